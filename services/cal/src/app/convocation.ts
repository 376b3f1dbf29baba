import type { Caller } from "@logis/http";
import type { Minutes } from "../domain/minutes.js";
import type { Session } from "../domain/session.js";
import type { SessionReader } from "./ports.js";
import type { SessionUseCases } from "./sessions.js";

// The convocation of a session sent to the préfet's representative, with the agenda and the minutes
// of the commission's previous session (the last one closed before this one): an event on
// cal.session.v1 (SessionConvened) for whoever delivers it, and a printable page.

export interface Convocation {
  seance: Omit<Session, "revision">;
  precedente: Minutes | null;
}

export function convocationUseCases(deps: { sessions: SessionUseCases; sessionReader: SessionReader }) {
  /** The commission's last session closed before `date`. */
  const previousOf = async (commissionId: string, date: string) =>
    (await deps.sessionReader.ofCommission(commissionId))
      .filter((s) => s.statut === "close" && s.date < date)
      .sort((a, b) => (a.date < b.date ? 1 : a.date > b.date ? -1 : a._id < b._id ? 1 : -1))[0];

  return {
    /** Records and publishes the convocation (the session must still be scheduled). */
    async convene(caller: Caller, sessionId: string) {
      const current = await deps.sessions.getSession(sessionId);
      const previous = await previousOf(current.commissionId, current.date);
      return deps.sessions.changeSession(caller, sessionId, {
        type: "Convene",
        seancePrecedente: previous ? { sessionId: previous._id, date: previous.date } : null,
      });
    },
    /** What the page shows: the session and the previous session's minutes. */
    async document(sessionId: string): Promise<Convocation> {
      const seance = await deps.sessions.getSession(sessionId);
      const previousId = seance.convocation?.seancePrecedente?.sessionId;
      const previous = previousId ?? (await previousOf(seance.commissionId, seance.date))?._id;
      return { seance, precedente: previous ? await deps.sessions.minutes(previous) : null };
    },
  };
}
export type ConvocationUseCases = ReturnType<typeof convocationUseCases>;

import { AppError } from "@logis/domain";
import type { Caller } from "@logis/http";
import type { Minutes } from "../domain/minutes.js";
import type { Session } from "../domain/session.js";
import { isPrefecture } from "./access.js";
import { decodeCursor, visibilityOf } from "./lists.js";
import type { SessionReader } from "./ports.js";
import type { SessionUseCases } from "./sessions.js";

// The convocation of a session sent to the préfet's representative, with the agenda and the minutes
// of the commission's previous session (the last one closed before this one): an event on
// cal.session.v1 (SessionConvened) for whoever delivers it, a printable page, and the recipients'
// inbox (« boîte de réception »): the préfecture reads there the convocations of its départements'
// sessions, with links to each one's page and to the previous minutes, and acknowledges receipt;
// the landlord's staff read there their own sessions' convocations and who acknowledged them.

export interface Convocation {
  seance: Omit<Session, "revision">;
  precedente: Minutes | null;
}

/** One convocation in an inbox: the session, its agenda, the links to read, the receipt. */
export interface InboxEntry {
  sessionId: string;
  commissionId: string;
  bailleurId: string;
  departement: string;
  date: string;
  mode: Session["mode"];
  statut: Session["statut"];
  convoqueeLe: string;
  ordreDuJour: { nature: "ATTRIBUTION" | "EXAMEN_OCCUPATION"; rplsId: string; cle: string }[];
  liens: { convocation: string; procesVerbalPrecedent: string | null };
  /** The caller's organisation's acknowledgement (préfecture), or null when not yet acknowledged. */
  accuse: { le: string; par: string } | null;
  /** Every acknowledgement (the landlord's staff see who acknowledged). */
  accuses: { organisationId: string; le: string }[];
}

const encodeCursor = (date: string, id: string) => `${date}~${id}`;

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
    /**
     * The caller's inbox: the convened sessions of its départements (préfecture) or of its landlord
     * (landlord's staff), from `depuis` (a day), by date then id, a page at a time.
     */
    async inbox(
      caller: Caller,
      query: { depuis?: string | undefined; apres?: string | undefined; limite?: number | undefined },
    ): Promise<{ convocations: InboxEntry[]; suivant: string | null }> {
      // A reserver is not a recipient here: the page holds the whole agenda and the previous minutes.
      const visibility = { ...visibilityOf(caller.principal), reservataire: undefined };
      const limite = query.limite ?? 50;
      const docs = await deps.sessionReader.list({
        visibility,
        du: query.depuis,
        convoquees: true,
        apres: query.apres ? decodeCursor(query.apres) : undefined,
        limite: limite + 1,
      });
      const page = docs.slice(0, limite);
      const org = caller.principal.organisation.id;
      const last = page.at(-1);
      return {
        convocations: page.flatMap((s) => {
          const c = s.convocation;
          if (!c) return [];
          const mine = (c.accuses ?? []).find((a) => a.organisationId === org);
          return [
            {
              sessionId: s._id,
              commissionId: s.commissionId,
              bailleurId: s.bailleurId,
              departement: s.departement,
              date: s.date,
              mode: s.mode,
              statut: s.statut,
              convoqueeLe: c.le,
              ordreDuJour: s.agenda.map((i) =>
                i.kind === "ATTRIBUTION"
                  ? { nature: i.kind, rplsId: i.rplsId, cle: i.attributionId }
                  : { nature: i.kind, rplsId: i.rplsId, cle: i.bailId },
              ),
              liens: {
                convocation: `/v1/seances/${s._id}/convocation`,
                procesVerbalPrecedent: c.seancePrecedente
                  ? `/v1/seances/${c.seancePrecedente.sessionId}/proces-verbal`
                  : null,
              },
              accuse: mine ? { le: mine.le, par: mine.userId } : null,
              accuses: (c.accuses ?? []).map((a) => ({ organisationId: a.organisationId, le: a.le })),
            },
          ];
        }),
        suivant: docs.length > limite && last ? encodeCursor(last.date, last._id) : null,
      };
    },
    /** The préfecture of the session's département acknowledges receipt of its convocation, once. */
    async acknowledge(caller: Caller, sessionId: string) {
      const seance = await deps.sessions.getSession(sessionId);
      if (!isPrefecture(caller.principal, seance.departement))
        throw new AppError(
          "FORBIDDEN",
          "Seul le représentant du préfet destinataire accuse réception de la convocation",
          { reason: "NOT_A_RECIPIENT" },
        );
      return deps.sessions.changeSession(caller, sessionId, {
        type: "AcknowledgeConvocation",
        organisationId: caller.principal.organisation.id,
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

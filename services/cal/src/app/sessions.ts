import {
  type AnyEnvelope,
  createEvent,
  DecisionRecorded,
  OccupancyExamined,
  OccupancyOpinionNotified,
  SessionCancelled,
  SessionConvened,
  SessionScheduled,
} from "@logis/contracts";
import { AppError, type Clock } from "@logis/domain";
import type { Caller } from "@logis/http";
import { type Commission, type CommissionCommand, commission, sessionDays } from "../domain/commission.js";
import { minutesOf } from "../domain/minutes.js";
import { type AgendaItem, type SessionCommand, type SessionEvent, session } from "../domain/session.js";
import type { AttributionUseCases } from "./attributions.js";
import type { AttributionDoc, AttributionStore, CommissionStore, SessionDoc, SessionStore } from "./ports.js";

const actorOf = (caller: Caller) => ({
  userId: caller.principal.userId,
  organisationId: caller.principal.organisation.id,
});

/** The public envelope of a session event, or none for an internal one. */
function publicEvent(
  event: SessionEvent,
  meta: { id: string; version: number; caller: Caller; now: Date },
): AnyEnvelope | undefined {
  const base = {
    aggregateId: meta.id,
    aggregateVersion: meta.version,
    correlationId: meta.caller.correlationId,
    actor: actorOf(meta.caller),
    occurredAt: meta.now,
  };
  switch (event.type) {
    case "SessionScheduled":
      return createEvent(SessionScheduled, { ...base, payload: event.scheduled });
    case "DecisionRecorded":
      return createEvent(DecisionRecorded, { ...base, payload: event.decision });
    case "OccupancyExamined": {
      const { type: _t, ...payload } = event;
      return createEvent(OccupancyExamined, { ...base, payload });
    }
    case "OccupancyOpinionNotified": {
      const { type: _t, ...payload } = event;
      return createEvent(OccupancyOpinionNotified, { ...base, payload });
    }
    case "SessionCancelled": {
      const { type: _t, ...payload } = event;
      return createEvent(SessionCancelled, { ...base, payload });
    }
    case "SessionConvened": {
      const { type: _t, ...payload } = event;
      return createEvent(SessionConvened, { ...base, payload });
    }
    default:
      return undefined;
  }
}

/** An attribution's candidates, with their eligibility snapshots, as an agenda item. */
const agendaItemOf = (att: Pick<AttributionDoc, "_id" | "logement" | "cible" | "candidats">): AgendaItem => ({
  kind: "ATTRIBUTION",
  attributionId: att._id,
  rplsId: att.logement.rplsId,
  departement: att.logement.departement,
  reservataireId: att.cible.reservataireId,
  candidats: att.candidats.map((c) => ({
    demandId: c.demandId,
    numeroUnique: c.numeroUnique,
    dalo: c.dalo,
    eligibilite: c.eligibilite,
  })),
});

/**
 * Commissions and their sessions: load, decide (domain/commission.ts, domain/session.ts), store with
 * the public events. Closing a session applies its decisions to each attribution on its agenda.
 */
export function sessionUseCases(deps: {
  commissions: CommissionStore;
  sessions: SessionStore;
  attributions: AttributionStore;
  attributionUseCases: AttributionUseCases;
  clock: Clock;
}) {
  const { commissions, sessions, clock } = deps;

  const changeCommission = async (caller: Caller, id: string, command: CommissionCommand) => {
    const { state } = await commissions.update(id, (current) => {
      const decided = commission.decide(current, command, { now: clock.now(), by: caller.principal.userId });
      if (!decided.ok) throw decided.error;
      const next = decided.value.reduce(commission.evolve, current);
      if (!next || decided.value.length === 0) return undefined;
      const { _id, ...rest } = next;
      return { state: rest };
    });
    if (!state) throw new AppError("NOT_FOUND", "Commission introuvable", { reason: "COMMISSION_NOT_FOUND" });
    return state;
  };

  /** Decides a command on a stored session: the next document and its public events, or undefined (no change). */
  const decideOn = (
    caller: Caller,
    id: string,
    current: SessionDoc | undefined,
    command: SessionCommand,
    now: Date,
  ) => {
    const decided = session.decide(current, command, { now, by: caller.principal.userId });
    if (!decided.ok) throw decided.error;
    if (decided.value.length === 0) return undefined;
    const next = decided.value.reduce(session.evolve, current);
    if (!next) return undefined;
    let publies = current?.publies ?? 0;
    const events: AnyEnvelope[] = [];
    for (const event of decided.value) {
      const envelope = publicEvent(event, { id, version: publies + 1, caller, now });
      if (envelope) {
        publies += 1;
        events.push(envelope);
      }
    }
    const doc: SessionDoc = { ...next, publies, journal: [...(current?.journal ?? []), ...decided.value] };
    return { doc, events };
  };

  const changeSession = async (caller: Caller, id: string, command: SessionCommand) => {
    const now = clock.now();
    const { state } = await sessions.update(id, (current) => {
      const out = decideOn(caller, id, current, command, now);
      if (!out) return undefined;
      const { _id, ...rest } = out.doc;
      return { state: rest, events: out.events };
    });
    if (!state) throw new AppError("NOT_FOUND", "Séance introuvable", { reason: "SESSION_NOT_FOUND" });
    return state;
  };

  const loadCommission = async (id: string): Promise<Commission> => {
    const found = await commissions.get(id);
    if (!found) throw new AppError("NOT_FOUND", "Commission introuvable", { reason: "COMMISSION_NOT_FOUND" });
    return found;
  };

  return {
    changeCommission,
    changeSession,
    getCommission: loadCommission,
    async plannedDays(id: string, from: string, to: string) {
      return sessionDays(await loadCommission(id), from, to);
    },
    async schedule(
      caller: Caller,
      id: string,
      input: Omit<Extract<SessionCommand, { type: "Schedule" }>, "type" | "id" | "commission"> & {
        commissionId: string;
      },
    ) {
      const { commissionId, ...rest } = input;
      return changeSession(caller, id, {
        type: "Schedule",
        id,
        commission: await loadCommission(commissionId),
        ...rest,
      });
    },
    /**
     * Schedules several new sessions of a commission in one insert (the planning's calendar days):
     * returns those written; a day whose session exists already is left as it is.
     */
    async scheduleMany(caller: Caller, commission: Commission, days: readonly { id: string; date: string }[]) {
      const now = clock.now();
      const items = days.flatMap(({ id, date }) => {
        const out = decideOn(
          caller,
          id,
          undefined,
          { type: "Schedule", id, commission, date, mode: commission.mode },
          now,
        );
        return out ? [out] : [];
      });
      const existing = new Set(await sessions.insertMany(items));
      return items.filter((i) => !existing.has(i.doc._id)).map((i) => i.doc);
    },
    /** Puts an attribution's candidates, with their eligibility snapshots, on a session's agenda. */
    async planAttribution(caller: Caller, sessionId: string, attributionId: string) {
      const att = await deps.attributions.get(attributionId);
      if (!att) throw new AppError("NOT_FOUND", "Attribution introuvable", { reason: "ATTRIBUTION_NOT_FOUND" });
      return changeSession(caller, sessionId, { type: "PlanItem", item: agendaItemOf(att) });
    },
    /** Several attributions on one session's agenda, in one write (the planning, from the attributions it read). */
    async planAttributions(
      caller: Caller,
      sessionId: string,
      atts: readonly Pick<AttributionDoc, "_id" | "logement" | "cible" | "candidats">[],
    ) {
      return changeSession(caller, sessionId, { type: "PlanItems", items: atts.map(agendaItemOf) });
    },
    /**
     * Closes the session, then applies its decisions to each attribution (offers follow). An
     * attribution already decided is left as it is, so a retried close changes nothing twice.
     */
    async close(caller: Caller, sessionId: string) {
      const closed = await changeSession(caller, sessionId, { type: "Close" });
      for (const item of closed.agenda) {
        if (item.kind !== "ATTRIBUTION") continue;
        const current = await deps.attributions.get(item.attributionId);
        if (current?.statut !== "proposee") continue;
        const decisions = closed.decisions
          .filter((d) => d.attributionId === item.attributionId)
          .map((d) => ({ demandId: d.demandId, type: d.type, rang: d.rang, condition: d.condition }));
        await deps.attributionUseCases.handle(caller, item.attributionId, {
          type: "ApplyDecisions",
          sessionId,
          decisions,
        });
      }
      return closed;
    },
    async getSession(id: string) {
      const found = await sessions.get(id);
      if (!found) throw new AppError("NOT_FOUND", "Séance introuvable", { reason: "SESSION_NOT_FOUND" });
      return found;
    },
    /** The notification of the opinion on a lease examined in the session (after its close), for its letter. */
    async occupancyLetter(id: string, bailId: string) {
      const found = await sessions.get(id);
      if (!found) throw new AppError("NOT_FOUND", "Séance introuvable", { reason: "SESSION_NOT_FOUND" });
      const notified = found.journal.find(
        (e): e is Extract<SessionEvent, { type: "OccupancyOpinionNotified" }> =>
          e.type === "OccupancyOpinionNotified" && e.bailId === bailId,
      );
      if (!notified)
        throw new AppError(
          "NOT_FOUND",
          "Aucun avis notifié pour ce bail dans cette séance (la séance est-elle close ?)",
          {
            reason: "OPINION_NOT_NOTIFIED",
            field: "bailId",
          },
        );
      const { type: _t, ...payload } = notified;
      const scheduled = found.journal.find((e) => e.type === "SessionScheduled");
      return {
        ...payload,
        bailleurId: found.bailleurId,
        typeCommission: scheduled?.type === "SessionScheduled" ? scheduled.scheduled.type : "CALEOL",
      };
    },
    async minutes(id: string) {
      const found = await sessions.get(id);
      const pv = found && minutesOf(found.journal);
      if (!pv) throw new AppError("NOT_FOUND", "Séance introuvable", { reason: "SESSION_NOT_FOUND" });
      return pv;
    },
  };
}
export type SessionUseCases = ReturnType<typeof sessionUseCases>;

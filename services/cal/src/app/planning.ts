import type { MotifRetraitOrdreDuJour } from "@logis/contracts";
import { AppError, type Clock } from "@logis/domain";
import type { Caller } from "@logis/http";
import { addDays } from "../domain/calendar.js";
import { type Commission, sessionDays } from "../domain/commission.js";
import { inForce, type Referentiel, zoneOf } from "../domain/reference.js";
import { daloDeadline, type Plan, planSessions, type SessionSlot, type VacancyToPlan } from "../domain/scheduling.js";
import { itemKey } from "../domain/session.js";
import { parisDay } from "./attributions.js";
import {
  type AttributionDoc,
  type AttributionReader,
  type SessionDoc,
  type SessionReader,
  scopeKey,
  type Waiting,
} from "./ports.js";
import type { SessionUseCases } from "./sessions.js";

// Scheduling from stored data (issue 12): a commission's next sessions are scheduled from its
// recurring calendar, then the vacancies whose candidates are known are placed on them by capacity
// and deadlines (domain/scheduling.ts, deterministic). A cancelled session's items are planned again.

/** A session's id from its commission and day: scheduling twice creates nothing twice. */
export const sessionIdOf = (commissionId: string, date: string) => `ses_${commissionId.replace(/^com_/, "")}_${date}`;

/**
 * The first day each withdrawn item may be examined again: the day after the last session it was
 * taken off (it goes to a next session, never back to the one that removed it).
 */
export function notBeforeOf(sessions: readonly Pick<SessionDoc, "date" | "retraits">[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const s of sessions)
    for (const r of s.retraits ?? []) {
      const next = addDays(s.date, 1);
      if ((out.get(r.cle) ?? "") < next) out.set(r.cle, next);
    }
  return out;
}
/**
 * Runs a write again when it failed for a reason worth retrying (the session's lock held by the
 * outbox relay while it publishes the sessions just scheduled), three times at most.
 */
export async function retried<T>(write: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await write();
    } catch (error) {
      if (!(error instanceof AppError && error.retriable) || attempt >= 3) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt));
    }
  }
}

/** The later of a day and an optional one. */
export const laterOf = (a: string, b: string | undefined) => (b !== undefined && b > a ? b : a);

export function planningUseCases(deps: {
  sessions: SessionUseCases;
  sessionReader: SessionReader;
  attributionReader: AttributionReader;
  clock: Clock;
  /** The rules in force (the DALO rehousing delay) and the zones (Île-de-France or not). */
  referentiel: Referentiel;
  /** How far ahead sessions are scheduled, in days. */
  horizonDays?: number;
}) {
  const horizon = deps.horizonDays ?? 56;

  type Planned = Plan & { reservations: Plan["placements"]; seancesProgrammees: string[] };

  /** Schedules the commission's missing sessions up to the horizon, then places what waits. */
  async function plan(caller: Caller, commissionId: string): Promise<Planned> {
    const [planned] = await planMany(caller, [commissionId]);
    return planned as Planned;
  }

  /**
   * Plans several commissions (the scheduler's pass): what waits for each is read in one query for
   * them all (FerretDB scans the attributions for each query: decision 0033), then each commission
   * is planned on its own.
   */
  async function planMany(caller: Caller, commissionIds: readonly string[]): Promise<Planned[]> {
    const commissions = await Promise.all(commissionIds.map((id) => deps.sessions.getCommission(id)));
    const waiting = await deps.attributionReader.waitingOf(commissions);
    return Promise.all(
      commissions.map((c) => planOne(caller, c, waiting.get(scopeKey(c)) ?? { proposed: [], awaiting: [] })),
    );
  }

  async function planOne(caller: Caller, commission: Commission, waitingNow: Waiting): Promise<Planned> {
    const commissionId = commission._id;
    const today = parisDay(deps.clock.now());
    const existing = await deps.sessionReader.ofCommission(commissionId);
    const taken = new Set(existing.map((s) => s.date));
    const seancesProgrammees: string[] = [];
    const scheduledNow: Omit<SessionDoc, "journal">[] = [];
    // The missing days' sessions in one insert (a cancelled day is not scheduled again).
    const days = sessionDays(commission, addDays(today, 1), addDays(today, horizon))
      .filter((date) => !taken.has(date))
      .map((date) => ({ id: sessionIdOf(commissionId, date), date }));
    for (const { journal: _j, ...made } of await deps.sessions.scheduleMany(caller, commission, days)) {
      scheduledNow.push(made);
      seancesProgrammees.push(made._id);
    }
    // The sessions just scheduled are as `schedule` returned them: no second read.
    const sessions = [...existing, ...scheduledNow];
    const planned = new Set(
      sessions
        .filter((s) => s.statut !== "annulee")
        .flatMap((s) => s.agenda.flatMap((item) => (item.kind === "ATTRIBUTION" ? [item.attributionId] : []))),
    );
    const slots: SessionSlot[] = sessions
      .filter((s) => s.statut === "programmee" && s.date > today)
      .map((s) => ({ sessionId: s._id, date: s.date, capacite: s.capacite, occupes: s.agenda.length }));
    const { proposed: waiting, awaiting: designating } = waitingNow;
    const delais = inForce(deps.referentiel.regles, today)?.delaiRelogementDaloMois;
    const notBefore = notBeforeOf(sessions);
    const vacancies: VacancyToPlan[] = waiting
      .filter((a) => !planned.has(a._id))
      .map((a) => {
        const ileDeFrance = zoneOf(deps.referentiel.zones, a.logement.commune) !== "autres";
        const months = delais ? (ileDeFrance ? delais.ileDeFrance : delais.ailleurs) : undefined;
        return {
          attributionId: a._id,
          libereLe: a.libereLe,
          pretLe: laterOf(today, notBefore.get(a._id)),
          // A DALO candidate's rehousing deadline: the examination comes before it.
          echeance: months === undefined ? undefined : daloDeadline(a.candidats, months),
          // Lost rent per day of vacancy: what a later session costs.
          coutJour: Math.round(((a.logement.loyer * 12) / 365) * 100) / 100,
        };
      });
    // Vacancies still waiting for the reserver's designation: examinable at the latest the day after
    // its deadline (the landlord proposes then). Their place is shown, not written: no candidate yet.
    const awaiting = designating
      .filter((a) => !planned.has(a._id))
      .map((a) => ({
        attributionId: a._id,
        libereLe: a.libereLe,
        pretLe: addDays(a.designationAvant as string, 1),
        coutJour: Math.round(((a.logement.loyer * 12) / 365) * 100) / 100,
      }));
    const waitingIds = new Set(awaiting.map((a) => a.attributionId));
    const all = planSessions([...vacancies, ...awaiting], slots);
    const result = {
      ...all,
      placements: all.placements.filter((p) => !waitingIds.has(p.attributionId)),
      nonPlaces: all.nonPlaces.filter((p) => !waitingIds.has(p.attributionId)),
    };
    const reservations = all.placements.filter((p) => waitingIds.has(p.attributionId));
    // One write per session: its share of the placements at once, from the attributions just read.
    const byId = new Map(waiting.map((a) => [a._id, a]));
    const bySession = new Map<string, AttributionDoc[]>();
    for (const p of result.placements) {
      const att = byId.get(p.attributionId);
      if (att) bySession.set(p.sessionId, [...(bySession.get(p.sessionId) ?? []), att]);
    }
    for (const [sessionId, atts] of bySession)
      await retried(() => deps.sessions.planAttributions(caller, sessionId, atts));
    return { ...result, reservations, seancesProgrammees };
  }

  /**
   * Takes an item off a session not yet held, with its reason, then plans it again on a next session
   * of the commission: a vacancy through the planning (as a cancelled session's), an occupancy
   * examination on the first next session with room.
   */
  async function removeAndReplan(
    caller: Caller,
    sessionId: string,
    input: { itemId: string; motif: MotifRetraitOrdreDuJour; commentaire?: string | undefined },
  ) {
    const before = await deps.sessions.getSession(sessionId);
    const item = before.agenda.find((i) => itemKey(i) === input.itemId);
    const removed = await deps.sessions.changeSession(caller, sessionId, {
      type: "WithdrawItem",
      key: input.itemId,
      motif: input.motif,
      commentaire: input.commentaire,
    });
    if (!item) {
      // Already removed (a retry): where it went is read from the agendas.
      const placed = (await deps.sessionReader.ofCommission(removed.commissionId)).find(
        (s) => s.statut !== "annulee" && s.agenda.some((i) => itemKey(i) === input.itemId),
      );
      return { ...removed, replanification: placed ? { sessionId: placed._id, date: placed.date } : null };
    }
    if (item.kind === "ATTRIBUTION") {
      const replanned = await plan(caller, removed.commissionId);
      const placed = replanned.placements.find((p) => p.attributionId === item.attributionId);
      const missed = replanned.nonPlaces.find((p) => p.attributionId === item.attributionId);
      return {
        ...removed,
        replanification: placed
          ? { sessionId: placed.sessionId, date: placed.date }
          : { sessionId: null, date: null, motif: missed?.motif ?? "non replanifié" },
      };
    }
    const today = parisDay(deps.clock.now());
    const sessions = await deps.sessionReader.ofCommission(removed.commissionId);
    const placed = planSessions(
      [
        {
          attributionId: item.bailId,
          libereLe: today,
          pretLe: laterOf(addDays(today, 1), addDays(removed.date, 1)),
          coutJour: 0,
        },
      ],
      sessions
        .filter((s) => s.statut === "programmee" && s.date > today)
        .map((s) => ({ sessionId: s._id, date: s.date, capacite: s.capacite, occupes: s.agenda.length })),
    );
    const to = placed.placements[0];
    if (!to)
      return {
        ...removed,
        replanification: { sessionId: null, date: null, motif: placed.nonPlaces[0]?.motif ?? "non replanifié" },
      };
    await deps.sessions.changeSession(caller, to.sessionId, { type: "PlanItems", items: [item] });
    return { ...removed, replanification: { sessionId: to.sessionId, date: to.date } };
  }

  return {
    plan,
    planMany,
    removeAndReplan,
    /** Cancels a session, then plans its agenda again on the commission's other sessions. */
    async cancelAndReplan(caller: Caller, sessionId: string, motif: string) {
      const cancelled = await deps.sessions.changeSession(caller, sessionId, { type: "Cancel", motif });
      const replanned = await plan(caller, cancelled.commissionId);
      return { ...cancelled, replanification: replanned };
    },
  };
}
export type PlanningUseCases = ReturnType<typeof planningUseCases>;

import { AppError, type Clock } from "@logis/domain";
import type { Caller } from "@logis/http";
import { addDays } from "../domain/calendar.js";
import { type LeaseFacts, occupancyDue, type Situation } from "../domain/occupancy.js";
import type { Referentiel } from "../domain/reference.js";
import { planSessions } from "../domain/scheduling.js";
import type { AgendaItem } from "../domain/session.js";
import { parisDay } from "./attributions.js";
import { laterOf, notBeforeOf } from "./planning.js";
import type { SessionReader } from "./ports.js";
import type { SessionUseCases } from "./sessions.js";

// The occupancy examination (CALEOL, L442-5-2): the landlord sends its leases' occupancy facts; those
// whose third (sixth…) anniversary falls in the coming weeks, in a tense-market commune, in one of the
// five legal situations, go onto the next sessions of its CALEOL as examination items (one per lease,
// by anniversary, within each session's capacity). Sending the same leases again changes nothing.

export function occupancyUseCases(deps: {
  sessions: SessionUseCases;
  sessionReader: SessionReader;
  referentiel: Referentiel;
  clock: Clock;
  /** How far ahead anniversaries are looked for, in days (the scheduling horizon). */
  windowDays?: number;
}) {
  const windowDays = deps.windowDays ?? 56;
  return {
    async examine(caller: Caller, commissionId: string, baux: LeaseFacts[]) {
      const commission = await deps.sessions.getCommission(commissionId);
      if (commission.typeCommission !== "CALEOL")
        throw new AppError("RULE_VIOLATION", "Seule une CALEOL examine l'occupation des logements", {
          reason: "NOT_A_CALEOL",
          field: "id",
        });
      const today = parisDay(deps.clock.now());
      const tense = new Set(deps.referentiel.zonesTendues?.communes ?? []);
      const due = occupancyDue(baux, today, tense, windowDays);
      const sessions = await deps.sessionReader.ofCommission(commissionId);
      const already = new Set(
        sessions.flatMap((s) => s.agenda.flatMap((i) => (i.kind === "EXAMEN_OCCUPATION" ? [i.bailId] : []))),
      );
      const pending = due.filter((d) => !already.has(d.lease.bailId));
      // A lease taken off a session's agenda goes to a later one.
      const notBefore = notBeforeOf(sessions);
      const plan = planSessions(
        pending.map((d) => ({
          attributionId: d.lease.bailId,
          libereLe: d.lease.signeLe,
          pretLe: laterOf(addDays(today, 1), notBefore.get(d.lease.bailId)),
          echeance: addDays(d.echeance, windowDays),
          coutJour: 0,
        })),
        sessions
          .filter((s) => s.statut === "programmee" && s.date > today)
          .map((s) => ({ sessionId: s._id, date: s.date, capacite: s.capacite, occupes: s.agenda.length })),
      );
      const byLease = new Map(pending.map((d) => [d.lease.bailId, d]));
      const bySession = new Map<string, AgendaItem[]>();
      for (const p of plan.placements) {
        const d = byLease.get(p.attributionId);
        if (!d) continue;
        const item: AgendaItem = {
          kind: "EXAMEN_OCCUPATION",
          bailId: d.lease.bailId,
          rplsId: d.lease.rplsId,
          situation: d.situations[0] as Situation,
        };
        bySession.set(p.sessionId, [...(bySession.get(p.sessionId) ?? []), item]);
      }
      for (const [sessionId, items] of bySession)
        await deps.sessions.changeSession(caller, sessionId, { type: "PlanItems", items });
      return {
        inscrits: plan.placements.flatMap((p) => {
          const d = byLease.get(p.attributionId);
          return d
            ? [
                {
                  bailId: d.lease.bailId,
                  sessionId: p.sessionId,
                  date: p.date,
                  echeance: d.echeance,
                  situations: d.situations,
                },
              ]
            : [];
        }),
        dejaInscrits: due.filter((d) => already.has(d.lease.bailId)).map((d) => d.lease.bailId),
        nonPlaces: plan.nonPlaces.map((n) => ({ bailId: n.attributionId, motif: n.motif })),
        nonConcernes: baux.length - due.length,
      };
    },
  };
}
export type OccupancyUseCases = ReturnType<typeof occupancyUseCases>;

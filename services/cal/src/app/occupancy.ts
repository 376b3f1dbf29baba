import { AppError, type Clock, newId } from "@logis/domain";
import type { Caller } from "@logis/http";
import { addDays } from "../domain/calendar.js";
import type { Commission } from "../domain/commission.js";
import { type LeaseFacts, occupancyDue, type Situation } from "../domain/occupancy.js";
import type { Referentiel } from "../domain/reference.js";
import { planSessions } from "../domain/scheduling.js";
import type { AgendaItem } from "../domain/session.js";
import { parisDay } from "./attributions.js";
import { laterOf, notBeforeOf } from "./planning.js";
import type { CommissionReader, LeaseFileStore, SessionReader } from "./ports.js";
import type { SessionUseCases } from "./sessions.js";

// The occupancy examination (CALEOL, L442-5-2): the landlord sends its leases' occupancy facts; those
// whose third (sixth…) anniversary falls in the coming weeks, in a tense-market commune, in one of the
// five legal situations, go onto the next sessions of its CALEOL as examination items (one per lease,
// by anniversary, within each session's capacity). Sending the same leases again changes nothing.
// The leases sent are kept (one file per landlord, `baux:<landlord>`, read by `_id`): the scheduler's
// daily pass (`scheduleAllDue`, job `occupancy-examinations`) selects those that become due without
// the landlord sending them again, with the facts it last sent.

/** The landlord's leases as last sent (the facts of each, and the day they were received). */
export interface LeaseFile {
  _id: string;
  bailleurId: string;
  baux: (LeaseFacts & { recuLe: string })[];
  revision: number;
}
export const leaseFileIdOf = (bailleurId: string) => `baux:${bailleurId}`;

/** A commune's département from its INSEE code (97x overseas, 2A/2B Corsica). */
const departementOf = (commune: string) => (commune.startsWith("97") ? commune.slice(0, 3) : commune.slice(0, 2));

export function occupancyUseCases(deps: {
  sessions: SessionUseCases;
  sessionReader: SessionReader;
  leaseFiles: LeaseFileStore;
  commissionReader: CommissionReader;
  referentiel: Referentiel;
  clock: Clock;
  /** How far ahead anniversaries are looked for, in days (the scheduling horizon). */
  windowDays?: number;
}) {
  const windowDays = deps.windowDays ?? 56;

  const caleol = async (commissionId: string) => {
    const commission = await deps.sessions.getCommission(commissionId);
    if (commission.typeCommission !== "CALEOL")
      throw new AppError("RULE_VIOLATION", "Seule une CALEOL examine l'occupation des logements", {
        reason: "NOT_A_CALEOL",
        field: "id",
      });
    return commission;
  };

  /** Keeps the leases sent in the landlord's file (a lease sent again replaces its facts). */
  const keep = async (bailleurId: string, baux: readonly LeaseFacts[], recuLe: string) => {
    const sent = new Map(baux.map((b) => [b.bailId, { ...b, recuLe }]));
    await deps.leaseFiles.update(leaseFileIdOf(bailleurId), (current) => ({
      state: {
        bailleurId,
        baux: [...(current?.baux ?? []).filter((b) => !sent.has(b.bailId)), ...sent.values()],
        revision: (current?.revision ?? 0) + 1,
      },
    }));
  };

  /** Places the due leases among `baux` on the commission's next sessions. */
  async function place(caller: Caller, commission: Commission, baux: readonly LeaseFacts[]) {
    const commissionId = commission._id;
    const today = parisDay(deps.clock.now());
    const tense = new Set(deps.referentiel.zonesTendues?.communes ?? []);
    const due = occupancyDue(baux, today, tense, windowDays);
    const sessions = await deps.sessionReader.ofCommission(commissionId);
    // On an agenda already: a session not cancelled, within this anniversary's window (a lease
    // examined three years ago comes again; a cancelled session's items are placed again).
    const since = addDays(today, -2 * windowDays);
    const already = new Set(
      sessions
        .filter((s) => s.statut !== "annulee" && s.date >= since)
        .flatMap((s) => s.agenda.flatMap((i) => (i.kind === "EXAMEN_OCCUPATION" ? [i.bailId] : []))),
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
  }

  /** The scheduler's pass for one CALEOL: its landlord's kept leases of its département, as of today. */
  async function scheduleDue(caller: Caller, commissionId: string) {
    const commission = await caleol(commissionId);
    const file = await deps.leaseFiles.get(leaseFileIdOf(commission.bailleurId));
    const baux = (file?.baux ?? []).filter((b) => departementOf(b.commune) === commission.departement);
    return place(caller, commission, baux);
  }

  return {
    /** The landlord sends its leases' occupancy: kept in its file, the due ones placed now. */
    async examine(caller: Caller, commissionId: string, baux: LeaseFacts[]) {
      const commission = await caleol(commissionId);
      await keep(commission.bailleurId, baux, deps.clock.now().toISOString());
      return place(caller, commission, baux);
    },
    scheduleDue,
    /** Every CALEOL's pass (the job `occupancy-examinations`): how many leases were placed. */
    async scheduleAllDue(): Promise<number> {
      const system: Caller = {
        principal: {
          userId: "system:cal",
          name: "Planification des examens d'occupation",
          organisation: { id: "org_logis", kind: "state", name: "Logis" },
          roles: [],
          territories: { departements: [], epcis: [] },
        },
        correlationId: newId("correlation"),
        requestId: newId("request"),
      };
      let placed = 0;
      for (const c of await deps.commissionReader.ofType("CALEOL"))
        placed += (await scheduleDue(system, c._id)).inscrits.length;
      return placed;
    },
  };
}
export type OccupancyUseCases = ReturnType<typeof occupancyUseCases>;

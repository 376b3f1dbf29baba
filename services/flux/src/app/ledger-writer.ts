import type { Clock } from "@logis/domain";
import { balanceOf, reportsFrom } from "../domain/balance.js";
import { type Convention, conventionOn } from "../domain/convention.js";
import {
  type Ledger,
  type LedgerCommand,
  type LedgerContext,
  type LedgerEvent,
  ledgerDecider,
  ledgerIdOf,
} from "../domain/ledger.js";
import type { ConventionEnVigueur } from "../domain/shares.js";
import { type Designation, designate, evolveVacance, type Vacance } from "../domain/vacance.js";
import { stateOf } from "./decide.js";
import { type EventMeta, envelopes } from "./events.js";
import type { ConventionsPort, LedgerDoc, LedgersPort, VacanceDoc, VacanciesPort } from "./ports.js";

export const ledgerOf = (doc: LedgerDoc): Ledger => ({
  prevision: undefined,
  ...(stateOf(doc) as Omit<Ledger, "prevision">),
});
const vacanceOf = (doc: VacanceDoc): Vacance => {
  const { _id, ledgerVersion, avant, ...v } = doc;
  return v as Vacance;
};
/** The vacancy as of its ledger's version: one written ahead of a ledger write that never happened reads as before it. */
export const resolve = (doc: VacanceDoc | undefined, ledgerVersion: number): Vacance | undefined =>
  doc === undefined ? undefined : doc.ledgerVersion > ledgerVersion ? doc.avant : vacanceOf(doc);

export const yearOf = (day: string) => Number(day.slice(0, 4));

/** The vacancy a decision assumed new exists already: decide again, having read it. */
export class VacancyExists extends Error {}

/** What to decide on a ledger, planned with its current state (under its lock). */
export interface Plan {
  commands: LedgerCommand[];
  context: LedgerContext;
  vacance: Vacance | undefined;
  /** The vacancy was not read, assumed new: it is inserted, and `VacancyExists` thrown if it was not. */
  assumedNew?: boolean;
}

/**
 * How every use case changes a ledger (landlord × département × year): under the ledger's lock
 * (the store's), the ledger decides (domain/ledger.ts); the vacancy it changes is written just
 * before the ledger and its events (the ledger's outbox, topic flux.orientation.v1), with the ledger
 * version it belongs to and its previous state, so that a crash between the two writes leaves a
 * vacancy that reads as it was (`resolve`). FerretDB has no multi-document transaction.
 */
export function ledgerWriter(deps: {
  ledgers: LedgersPort;
  vacancies: VacanciesPort;
  conventions: ConventionsPort;
  clock: Clock;
  toleranceEquilibre: number;
}) {
  const { ledgers, vacancies, conventions, clock } = deps;
  return {
    async change(
      ledgerId: string,
      meta: EventMeta,
      plan: (ledger: Ledger | undefined, version: number) => Promise<Plan>,
    ): Promise<{ events: readonly LedgerEvent[]; vacance: Vacance | undefined }> {
      let outcome: { events: readonly LedgerEvent[]; vacance: Vacance | undefined } = {
        events: [],
        vacance: undefined,
      };
      await ledgers.store.update(ledgerId, async (current) => {
        const version = current?.version ?? 0;
        let state = current ? ledgerOf(current) : undefined;
        const { commands, context, vacance, assumedNew } = await plan(state, version);
        const decided: LedgerEvent[] = [];
        for (const command of commands) {
          const result = ledgerDecider.decide(state, command, context);
          if (!result.ok) throw result.error;
          for (const e of result.value) state = ledgerDecider.evolve(state, e);
          decided.push(...result.value);
        }
        if (decided.length === 0 || !state) return undefined;
        const ids = { ledgerId, bailleurId: state.bailleurId };
        const next = decided.reduce<Vacance | undefined>((v, e) => evolveVacance(v, e, ids), vacance);
        const nextVersion = version + decided.length;
        if (next && next !== vacance) {
          const doc: VacanceDoc = { ...next, _id: next.id, ledgerVersion: nextVersion, avant: vacance };
          if (assumedNew) {
            if (!(await vacancies.store.insert(doc))) throw new VacancyExists();
          } else await vacancies.store.update(next.id, () => ({ state: doc }));
        }
        outcome = { events: decided, vacance: next };
        return {
          state: { ...state, version: nextVersion },
          events: envelopes(decided, { id: ledgerId, version }, meta),
        };
      });
      return outcome;
    },

    /**
     * Records the reserver's designation on a vacancy, under its ledger's lock (the ledger itself does
     * not change: the CAL published the candidates). The vacancy is written at the ledger's version,
     * so one left ahead of it by a crash is replaced by its resolved state plus the designation.
     */
    async designate(ledgerId: string, vacanceId: string, designation: Designation): Promise<Vacance | undefined> {
      let recorded: Vacance | undefined;
      await ledgers.store.update(ledgerId, async (current) => {
        if (!current) return undefined;
        const result = designate(await this.vacance(vacanceId, current.version), designation);
        if (!result.ok) throw result.error;
        recorded = result.value;
        if (recorded) {
          const doc: VacanceDoc = { ...recorded, _id: recorded.id, ledgerVersion: current.version, avant: undefined };
          await vacancies.store.update(recorded.id, () => ({ state: doc }));
        }
        return undefined;
      });
      return recorded;
    },

    /** A vacancy as of its ledger's version. */
    async vacance(vacanceId: string, ledgerVersion: number) {
      return resolve(await vacancies.store.get(vacanceId), ledgerVersion);
    },

    /** Every vacancy of a ledger, as of its version. */
    async vacances(ledgerId: string, ledgerVersion: number): Promise<Vacance[]> {
      return (await vacancies.list({ ledgerIds: [ledgerId] }))
        .map((d) => resolve(d, ledgerVersion))
        .filter((v): v is Vacance => v !== undefined);
    },

    /** The landlord's conventions in the département as they stand on `day`. */
    async conventionsOn(bailleurId: string, departement: string, day: string): Promise<ConventionEnVigueur[]> {
      const docs = await conventions.list({ bailleurId, departements: [departement] });
      return docs
        .map((doc) => conventionOn(stateOf(doc) as Convention, day))
        .filter((c): c is ConventionEnVigueur => c !== undefined);
    },

    /** The carry-over of the previous year's ledger, as this year's opening reports. */
    async reportsBefore(bailleurId: string, departement: string, annee: number) {
      const previous = await ledgers.store.get(ledgerIdOf(bailleurId, departement, annee - 1));
      if (!previous) return [];
      const closing = { clotureLe: clock.now().toISOString(), cloturePar: "flux", prevision: undefined };
      return reportsFrom(balanceOf(ledgerOf(previous), [], closing)).filter((r) => r.report !== 0);
    },

    /** The forecast of subtracted units declared on a ledger, if any. */
    async previsionOf(ledgerId: string): Promise<Ledger["prevision"]> {
      const doc = await ledgers.store.get(ledgerId);
      return doc ? ledgerOf(doc).prevision : undefined;
    },

    /** Opens the year first when its ledger does not exist yet (with the previous year's carry-over). */
    async opening(
      ledger: Ledger | undefined,
      of: { bailleurId: string; departement: string; annee: number },
    ): Promise<LedgerCommand[]> {
      if (ledger) return [];
      return [{ type: "OpenYear", ...of, reports: await this.reportsBefore(of.bailleurId, of.departement, of.annee) }];
    },

    context(conventionsEnVigueur: ConventionEnVigueur[], auteur: string): LedgerContext {
      return {
        now: clock.now(),
        auteur,
        conventions: conventionsEnVigueur,
        toleranceEquilibre: deps.toleranceEquilibre,
      };
    },
  };
}
export type LedgerWriter = ReturnType<typeof ledgerWriter>;

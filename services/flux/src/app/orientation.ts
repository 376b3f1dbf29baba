import type { UnitFreed, UnitLet } from "@logis/contracts";
import { AppError, type Clock } from "@logis/domain";
import { z } from "zod";
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
import { unitIdOf } from "../domain/logement.js";
import type { Referentiel } from "../domain/referentiel.js";
import type { ConventionEnVigueur } from "../domain/shares.js";
import { evolveVacance, type Vacance, vacanceIdOf } from "../domain/vacance.js";
import { canSeeLedger, canSeeVacance, landlordOf, notFound, type Reach, readerReach } from "./access.js";
import { stateOf } from "./decide.js";
import { actorOf, type EventMeta, envelopes } from "./events.js";
import type { Caller, ConventionsPort, LedgerDoc, LedgersPort, UnitsPort, VacanceDoc, VacanciesPort } from "./ports.js";

const day = (label: string) => z.iso.date({ error: `${label} attendue (AAAA-MM-JJ)` });
export const OverrideInput = z.object({
  reservataireId: z.string({ error: "réservataire requis" }).min(1, "réservataire requis"),
  motif: z.string({ error: "motif écrit requis" }).trim().min(1, "motif écrit requis").max(1000),
});
export const ReturnInput = z.object({ renduLe: day("date de restitution") });
const count = z.number({ error: "nombre de logements attendu" }).int("nombre entier de logements").min(0, "au moins 0");
export const ParMotifInput = z.object({
  mutation_interne: count,
  renouvellement_urbain: count,
  copropriete_degradee: count,
  demolition: count,
});
const yearOfFlux = z
  .number({ error: "année attendue" })
  .int("année attendue")
  .min(2020, "année : 2020 au plus tôt")
  .max(2100);
export const ForecastInput = z.object({
  departement: z.string().regex(/^(\d{2}|2A|2B|\d{3})$/, "département attendu (57, 2A, 971…)"),
  annee: yearOfFlux,
  prevision: ParMotifInput,
});
export const CloseYearInput = z.object({
  departement: z.string().regex(/^(\d{2}|2A|2B|\d{3})$/, "département attendu (57, 2A, 971…)"),
  annee: yearOfFlux,
  /** The forecast of subtracted units for the next year, told to the reservers with the balance. */
  previsionSoustraits: ParMotifInput.optional(),
});
export const BalanceQuery = z.object({
  bailleurId: z.string().min(1, "bailleur requis").optional(),
  departement: z.string().regex(/^(\d{2}|2A|2B|\d{3})$/, "département attendu (57, 2A, 971…)"),
  annee: z.coerce.number().int("année attendue").min(2020, "année : 2020 au plus tôt").max(2100),
});

const ledgerOf = (doc: LedgerDoc): Ledger => ({ prevision: undefined, ...(stateOf(doc) as Omit<Ledger, "prevision">) });
const vacanceOf = (doc: VacanceDoc): Vacance => {
  const { _id, ledgerVersion, avant, ...v } = doc;
  return v as Vacance;
};
/** The vacancy as of its ledger's version: one written ahead of a ledger write that never happened reads as before it. */
const resolve = (doc: VacanceDoc | undefined, ledgerVersion: number): Vacance | undefined =>
  doc === undefined ? undefined : doc.ledgerVersion > ledgerVersion ? doc.avant : vacanceOf(doc);

const yearOf = (day: string) => Number(day.slice(0, 4));

/** The vacancy a decision assumed new exists already: decide again, having read it. */
class VacancyExists extends Error {}

/**
 * The orientation of freed units and the yearly ledger of each landlord × département: the ledger
 * decides (domain/ledger.ts) under its lock; the vacancy it changes is written just before the ledger
 * and its events (outbox of the ledger, topic flux.orientation.v1).
 */
export function orientationUseCases(deps: {
  ledgers: LedgersPort;
  vacancies: VacanciesPort;
  units: UnitsPort;
  conventions: ConventionsPort;
  clock: Clock;
  referentiel: Referentiel;
  toleranceEquilibre: number;
}) {
  const { ledgers, vacancies, units, conventions, clock, referentiel } = deps;

  async function conventionsOn(bailleurId: string, departement: string, day: string): Promise<ConventionEnVigueur[]> {
    const docs = await conventions.list({ bailleurId, departements: [departement] });
    return docs
      .map((doc) => conventionOn(stateOf(doc) as Convention, day))
      .filter((c): c is ConventionEnVigueur => c !== undefined);
  }

  /** What to decide on a ledger, planned with its current state (under its lock). */
  type Plan = {
    commands: LedgerCommand[];
    context: LedgerContext;
    vacance: Vacance | undefined;
    /** The vacancy was not read, assumed new: it is inserted, and `VacancyExists` thrown if it was not. */
    assumedNew?: boolean;
  };

  async function onLedger(
    ledgerId: string,
    meta: EventMeta,
    plan: (ledger: Ledger | undefined, version: number) => Promise<Plan>,
  ): Promise<{ events: readonly LedgerEvent[]; vacance: Vacance | undefined }> {
    let outcome: { events: readonly LedgerEvent[]; vacance: Vacance | undefined } = { events: [], vacance: undefined };
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
      return { state: { ...state, version: nextVersion }, events: envelopes(decided, { id: ledgerId, version }, meta) };
    });
    return outcome;
  }

  /** The carry-over of the previous year's ledger, as this year's opening reports. */
  async function reportsBefore(bailleurId: string, departement: string, annee: number) {
    const previous = await ledgers.store.get(ledgerIdOf(bailleurId, departement, annee - 1));
    if (!previous) return [];
    const closing = { clotureLe: clock.now().toISOString(), cloturePar: "flux", prevision: undefined };
    return reportsFrom(balanceOf(ledgerOf(previous), [], closing)).filter((r) => r.report !== 0);
  }

  const context = (conventionsEnVigueur: ConventionEnVigueur[], auteur: string): LedgerContext => ({
    now: clock.now(),
    auteur,
    conventions: conventionsEnVigueur,
    toleranceEquilibre: deps.toleranceEquilibre,
  });

  /** The unit's current vacancy for a caller acting on it: the landlord's own, or the reserver it is oriented to. */
  async function currentFor(caller: Caller, rplsId: string, who: (reach: Reach, v: Vacance, l: LedgerDoc) => boolean) {
    const unit = await units.store.get(unitIdOf(rplsId));
    const unknown = notFound(`Logement ${rplsId} libéré`, "UNIT_NOT_ORIENTED");
    if (!unit?.vacance) throw unknown;
    const { departement } = unit.logement;
    const ledgerId = ledgerIdOf(unit.bailleurId, departement, yearOf(unit.vacance.libereLe));
    const ledger = await ledgers.store.get(ledgerId);
    const vacance =
      ledger && resolve(await vacancies.store.get(vacanceIdOf(rplsId, unit.vacance.libereLe)), ledger.version);
    const reach = readerReach(caller, referentiel);
    if (!ledger || !vacance || !canSeeLedger(reach, ledger) || !who(reach, vacance, ledger)) throw unknown;
    return { unit, ledgerId, vacanceId: vacance.id, libereLe: vacance.libereLe };
  }

  async function latest(vacanceId: string, version: number) {
    return resolve(await vacancies.store.get(vacanceId), version);
  }

  async function visibleVacancies(reach: Reach, ledgerDocs: LedgerDoc[], filter: { rplsIds?: string[] } = {}) {
    const versions = new Map(ledgerDocs.map((l) => [l._id, l.version]));
    const docs = await vacancies.list({
      ledgerIds: [...versions.keys()],
      ...(filter.rplsIds ? { rplsIds: filter.rplsIds } : {}),
      ...(reach.kind === "reserver" ? { reservataireId: reach.reservataireId } : {}),
    });
    return docs
      .map((d) => resolve(d, versions.get(d.ledgerId) ?? 0))
      .filter((v): v is Vacance => v !== undefined && canSeeVacance(reach, v));
  }

  return {
    /** Orients a freed unit (its UnitFreed event); a redelivered event finds its vacancy and does nothing. */
    async orientFreed(event: UnitFreed) {
      const { bailleurId, logement, libereLe, motif, soustraction, horsFlux } = event.payload;
      if (horsFlux) return { events: [], vacance: undefined }; // managed in stock: outside the flux
      const annee = yearOf(libereLe);
      const ledgerId = ledgerIdOf(bailleurId, logement.departement, annee);
      const meta = { correlationId: event.correlationId, causationId: event.eventId, now: clock.now() };
      // Most freeings are new: the first attempt inserts the vacancy without reading it; one that
      // exists (a redelivery, or a write ahead of a ledger write that never happened) is read and decided again.
      const attempt = (assumedNew: boolean) =>
        onLedger(ledgerId, meta, async (ledger, version) => {
          const vacance = assumedNew ? undefined : await latest(vacanceIdOf(logement.rplsId, libereLe), version);
          const opening: LedgerCommand[] = ledger
            ? []
            : [
                {
                  type: "OpenYear",
                  bailleurId,
                  departement: logement.departement,
                  annee,
                  reports: await reportsBefore(bailleurId, logement.departement, annee),
                },
              ];
          return {
            commands: [
              ...opening,
              { type: "OrientUnit", logement, libereLe, motifLiberation: motif, soustraction, existante: vacance },
            ],
            context: context(await conventionsOn(bailleurId, logement.departement, libereLe), "flux"),
            vacance,
            assumedNew,
          };
        });
      try {
        return await attempt(true).catch((error: unknown) => {
          if (error instanceof VacancyExists) return attempt(false);
          throw error;
        });
      } catch (error) {
        if (error instanceof AppError && error.reason === "UNIT_ALREADY_ORIENTED")
          return { events: [], vacance: undefined };
        throw error;
      }
    },

    /** Counts the attribution of a let unit (its UnitLet event) on the reserver it was oriented to. */
    async recordLease(event: UnitLet) {
      const { bailleurId, rplsId, libereLe, bailSigneLe } = event.payload;
      const unit = await units.store.get(unitIdOf(rplsId));
      if (!unit || !libereLe) return { events: [], vacance: undefined };
      const ledgerId = ledgerIdOf(bailleurId, unit.logement.departement, yearOf(libereLe));
      const meta = { correlationId: event.correlationId, causationId: event.eventId, now: clock.now() };
      try {
        return await onLedger(ledgerId, meta, async (_ledger, version) => {
          const vacance = await latest(vacanceIdOf(rplsId, libereLe), version);
          return {
            commands: [{ type: "RecordAttribution", rplsId, vacance, bailSigneLe }],
            context: context([], "flux"),
            vacance,
          };
        });
      } catch (error) {
        // Already counted (a redelivery), or never oriented (subtracted, or managed in stock).
        if (
          error instanceof AppError &&
          ["ALREADY_ATTRIBUTED", "UNIT_NOT_ORIENTED", "LEDGER_NOT_OPEN"].includes(error.reason ?? "")
        )
          return { events: [], vacance: undefined };
        throw error;
      }
    },

    /** Landlord staff orient a unit to another reserver, with a written reason (audited in the event). */
    async override(caller: Caller, rplsId: string, input: z.infer<typeof OverrideInput>) {
      const bailleurId = landlordOf(caller, "flux.orient");
      const { unit, ledgerId, vacanceId, libereLe } = await currentFor(
        caller,
        rplsId,
        (_r, _v, l) => l.bailleurId === bailleurId,
      );
      const meta = { correlationId: caller.correlationId, actor: actorOf(caller.principal), now: clock.now() };
      const conventionsEnVigueur = await conventionsOn(bailleurId, unit.logement.departement, libereLe);
      const { vacance } = await onLedger(ledgerId, meta, async (_ledger, version) => {
        const current = await latest(vacanceId, version);
        return {
          commands: [{ type: "OverrideOrientation", rplsId, vacance: current, ...input }],
          context: context(conventionsEnVigueur, caller.principal.userId),
          vacance: current,
        };
      });
      return vacance ?? (await this.orientationOf(caller, rplsId)).at(-1);
    },

    /** The reserver (or the landlord for it) hands an oriented unit back; how it counts follows the convention. */
    async returnUnit(caller: Caller, rplsId: string, input: z.infer<typeof ReturnInput>) {
      const { unit, ledgerId, vacanceId, libereLe } = await currentFor(caller, rplsId, (reach, v, l) =>
        reach.kind === "landlord"
          ? l.bailleurId === reach.bailleurId
          : reach.kind === "reserver" && v.cible?.reservataireId === reach.reservataireId,
      );
      const meta = { correlationId: caller.correlationId, actor: actorOf(caller.principal), now: clock.now() };
      const conventionsEnVigueur = await conventionsOn(unit.bailleurId, unit.logement.departement, libereLe);
      const { vacance } = await onLedger(ledgerId, meta, async (_ledger, version) => {
        const current = await latest(vacanceId, version);
        return {
          commands: [{ type: "ReturnUnit", rplsId, vacance: current, renduLe: input.renduLe }],
          context: context(conventionsEnVigueur, caller.principal.userId),
          vacance: current,
        };
      });
      return vacance;
    },

    /** The landlord's forecast of units to subtract from a year's flux (told to the reservers before 28 February). */
    async declareForecast(caller: Caller, input: z.infer<typeof ForecastInput>) {
      const bailleurId = landlordOf(caller, "flux.orient", input.departement);
      const ledgerId = ledgerIdOf(bailleurId, input.departement, input.annee);
      const meta = { correlationId: caller.correlationId, actor: actorOf(caller.principal), now: clock.now() };
      const { events } = await onLedger(ledgerId, meta, async (ledger) => ({
        commands: [
          ...(ledger
            ? []
            : [
                {
                  type: "OpenYear" as const,
                  bailleurId,
                  departement: input.departement,
                  annee: input.annee,
                  reports: await reportsBefore(bailleurId, input.departement, input.annee),
                },
              ]),
          { type: "DeclareSubtractionForecast", prevision: input.prevision },
        ],
        context: context([], caller.principal.userId),
        vacance: undefined,
      }));
      return { events: events.map((e) => e.type) };
    },

    /** Closes a year once it is over: BalanceClosed carries the balance; the ledger takes nothing more. */
    async closeYear(caller: Caller, input: z.infer<typeof CloseYearInput>) {
      const bailleurId = landlordOf(caller, "flux.orient", input.departement);
      const ledgerId = ledgerIdOf(bailleurId, input.departement, input.annee);
      const meta = { correlationId: caller.correlationId, actor: actorOf(caller.principal), now: clock.now() };
      const { events } = await onLedger(ledgerId, meta, async (_ledger, version) => {
        const vacances = (await vacancies.list({ ledgerIds: [ledgerId] }))
          .map((d) => resolve(d, version))
          .filter((v): v is Vacance => v !== undefined);
        return {
          commands: [{ type: "CloseYear", previsionSoustraits: input.previsionSoustraits, vacances }],
          context: context([], caller.principal.userId),
          vacance: undefined,
        };
      });
      return events[0]?.payload;
    },

    /** Every freeing of a unit the caller may see, oldest first: reserver, reason, returned, attributed. */
    async orientationOf(caller: Caller, rplsId: string): Promise<Vacance[]> {
      const reach = readerReach(caller, referentiel);
      const unit = await units.store.get(unitIdOf(rplsId));
      if (!unit) throw notFound(`Logement ${rplsId}`, "UNIT_NOT_FOUND");
      const docs = (
        await ledgers.list({ bailleurId: unit.bailleurId, departements: [unit.logement.departement] })
      ).filter((l) => canSeeLedger(reach, l));
      const found = (await visibleVacancies(reach, docs, { rplsIds: [rplsId] })).sort((a, b) =>
        a.libereLe.localeCompare(b.libereLe),
      );
      if (found.length === 0) throw notFound(`Orientation du logement ${rplsId}`, "UNIT_NOT_ORIENTED");
      return found;
    },

    /** The orientations of a year the caller may see (a reserver: those oriented to it). */
    async list(caller: Caller, query: { departement: string; annee: number; bailleurId?: string | undefined }) {
      const reach = readerReach(caller, referentiel);
      const docs = (
        await ledgers.list({
          departements: [query.departement],
          annee: query.annee,
          ...(query.bailleurId ? { bailleurId: query.bailleurId } : {}),
        })
      ).filter((l) => canSeeLedger(reach, l));
      return (await visibleVacancies(reach, docs)).sort(
        (a, b) => a.libereLe.localeCompare(b.libereLe) || a.id.localeCompare(b.id),
      );
    },

    /**
     * The balance of one landlord × département × year, to date (or as closed): per reserver owed,
     * oriented, returned, attributed and carry-over, and the breakdown the decree asks for. A reserver
     * sees its own lines; EPCI staff their own line and the rows of their communes.
     */
    async balance(caller: Caller, query: z.infer<typeof BalanceQuery>) {
      const reach = readerReach(caller, referentiel);
      const bailleurId = query.bailleurId ?? (reach.kind === "landlord" ? reach.bailleurId : undefined);
      if (!bailleurId)
        throw new AppError("VALIDATION", "Indiquez le bailleur (bailleurId) dont vous demandez le bilan", {
          reason: "LANDLORD_REQUIRED",
          field: "bailleurId",
        });
      const ledgerId = ledgerIdOf(bailleurId, query.departement, query.annee);
      const doc = await ledgers.store.get(ledgerId);
      if (!doc || !canSeeLedger(reach, doc))
        throw notFound(
          `Bilan ${query.annee} du bailleur ${bailleurId} dans le ${query.departement}`,
          "LEDGER_NOT_FOUND",
        );
      const ledger = ledgerOf(doc);
      const versions = new Map([[ledgerId, doc.version]]);
      const all = (await vacancies.list({ ledgerIds: [ledgerId] }))
        .map((d) => resolve(d, versions.get(d.ledgerId) ?? 0))
        .filter((v): v is Vacance => v !== undefined);
      const now = clock.now().toISOString();
      const bilan = balanceOf(ledger, all, {
        clotureLe: now,
        cloturePar: caller.principal.userId,
        prevision: ledger.prevision,
      });
      const mine = (id: string) =>
        reach.kind === "landlord" ||
        reach.kind === "state" ||
        ((reach.kind === "reserver" || reach.kind === "epci") && id === reach.reservataireId);
      const rows = bilan.detail.filter(
        (d) => mine(d.reservataireId) || (reach.kind === "epci" && reach.communes.has(d.commune)),
      );
      return {
        bailleurId,
        departement: query.departement,
        ...bilan,
        cloture: ledger.cloture,
        lignes: bilan.lignes.filter((l) => mine(l.reservataireId)),
        detail: rows,
      };
    },
  };
}
export type OrientationUseCases = ReturnType<typeof orientationUseCases>;
export type Balance = Awaited<ReturnType<OrientationUseCases["balance"]>>;

import {
  AttributionRecorded,
  BalanceClosed,
  type Financement,
  FluxYearOpened,
  type Logement,
  type MotifLiberation,
  type MotifSoustraction,
  OrientationOverridden,
  SubtractionForecastDeclared,
  type Typologie,
  typologies,
  UnitAssignedToReserver,
  UnitDesignationExpired,
  UnitReturned,
  UnitSubtractedFromFlux,
} from "@logis/contracts";
import { AppError, civilDay, type Decider, err, ok, type Result } from "@logis/domain";
import { balanceOf, type ParMotif } from "./balance.js";
import { type DomainEvent, domainEvent } from "./events.js";
import {
  bumpTypo,
  type Candidat,
  type Cible,
  type Compteurs,
  candidatesFor,
  emptyCompteurs,
  orient,
  typoIndex,
} from "./orientation.js";
import { type ConventionEnVigueur, toBp, WHOLE } from "./shares.js";
import { categorieOf, ownCible, type Vacance } from "./vacance.js";

/** The unit facts the balance breaks its figures down by, and the orientation mix looks at. */
export interface Categorie {
  readonly typologie: Typologie;
  readonly financement: Financement;
  readonly qpv: boolean;
  readonly commune: string;
  readonly anneeConstruction: number;
}

export interface LigneReservataire {
  readonly cible: Cible;
  readonly compteurs: Compteurs;
  readonly rendus: number;
  readonly attribues: number;
}

/**
 * The flux ledger of one landlord × département × year: counters only (each vacancy is an aggregate of
 * its own, `vacance.ts`), so its size depends on the number of reservers, not of units. Plain JSON.
 */
export interface Ledger {
  readonly bailleurId: string;
  readonly departement: string;
  readonly annee: number;
  readonly cloture: boolean;
  readonly fluxBrut: number;
  readonly soustraits: ParMotif;
  readonly prevision: ParMotif | undefined;
  readonly reservataires: Readonly<Record<string, LigneReservataire>>;
}

export type LedgerCommand =
  | {
      readonly type: "OpenYear";
      readonly bailleurId: string;
      readonly departement: string;
      readonly annee: number;
      /** Carry-over per reserver, in units, from the previous year's balance (`reportsFrom`). */
      readonly reports: readonly (Cible & { readonly report: number })[];
    }
  | { readonly type: "DeclareSubtractionForecast"; readonly prevision: ParMotif }
  | {
      readonly type: "OrientUnit";
      readonly logement: Logement;
      readonly libereLe: string;
      readonly motifLiberation: MotifLiberation;
      readonly soustraction?: MotifSoustraction | undefined;
      /** This vacancy (same unit, same day) if it was already recorded: a freeing is oriented once. */
      readonly existante?: Vacance | undefined;
    }
  | {
      readonly type: "OverrideOrientation";
      readonly rplsId: string;
      /** The unit's current vacancy in this ledger, as loaded by the use case. */
      readonly vacance: Vacance | undefined;
      readonly reservataireId: string;
      readonly motif: string;
    }
  | {
      readonly type: "ReturnUnit";
      readonly rplsId: string;
      readonly vacance: Vacance | undefined;
      readonly renduLe: string;
    }
  | {
      /** The daily pass: the reserver's deadline to designate candidates is over. */
      readonly type: "ExpireDesignation";
      readonly rplsId: string;
      readonly vacance: Vacance | undefined;
    }
  | {
      readonly type: "RecordAttribution";
      readonly rplsId: string;
      readonly vacance: Vacance | undefined;
      readonly bailSigneLe: string;
    }
  | {
      readonly type: "CloseYear";
      readonly previsionSoustraits?: ParMotif | undefined;
      /** Every vacancy of the ledger: the balance's breakdown by typology, financing, QPV, commune, period. */
      readonly vacances: readonly Vacance[];
    };

export type LedgerEvent =
  | DomainEvent<typeof FluxYearOpened>
  | DomainEvent<typeof SubtractionForecastDeclared>
  | DomainEvent<typeof UnitSubtractedFromFlux>
  | DomainEvent<typeof UnitAssignedToReserver>
  | DomainEvent<typeof OrientationOverridden>
  | DomainEvent<typeof UnitReturned>
  | DomainEvent<typeof UnitDesignationExpired>
  | DomainEvent<typeof AttributionRecorded>
  | DomainEvent<typeof BalanceClosed>;

export interface LedgerContext {
  readonly now: Date;
  readonly auteur: string;
  /** The landlord's conventions in the département, with their conditions on the day concerned. */
  readonly conventions: readonly ConventionEnVigueur[];
  /** How close to the furthest-behind reserver (in units) another may be to get a unit for the typology / QPV mix. */
  readonly toleranceEquilibre: number;
}

export const ledgerIdOf = (bailleurId: string, departement: string, annee: number): string =>
  `flux:${bailleurId}:${departement}:${annee}`;

const noSubtraction: ParMotif = {
  mutation_interne: 0,
  renouvellement_urbain: 0,
  copropriete_degradee: 0,
  demolition: 0,
};
// Both run once per freed unit, mostly with the same arguments: answers are kept.
let lastNow: { time: number; day: string } = { time: Number.NaN, day: "" };
const today = (now: Date) => {
  // The civil day in Paris, as every date the landlord gives.
  if (now.getTime() !== lastNow.time) lastNow = { time: now.getTime(), day: civilDay(now) };
  return lastNow.day;
};
const added = new Map<string, string>();
let lastAdded = { day: "", days: Number.NaN, out: "" };
const addDays = (day: string, days: number) => {
  if (day === lastAdded.day && days === lastAdded.days) return lastAdded.out;
  const key = `${day}+${days}`;
  let out = added.get(key);
  if (out === undefined) {
    if (added.size > 1_000) added.clear();
    out = new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
    added.set(key, out);
  }
  lastAdded = { day, days, out };
  return out;
};
/** The days a convention's reserver has to designate candidates (0 for the landlord's own part), by convention id once per list. */
const delais = new WeakMap<readonly ConventionEnVigueur[], Map<string | null, number>>();
function delaiOf(conventions: readonly ConventionEnVigueur[], conventionId: string | null): number {
  let byId = delais.get(conventions);
  if (!byId) {
    byId = new Map();
    for (const c of conventions) {
      if (!byId.has(c.conventionId)) byId.set(c.conventionId, c.conditions.delaiDesignationJours);
    }
    delais.set(conventions, byId);
  }
  return byId.get(conventionId) ?? 0;
}
const cibleOf = ({ reservataireId, conventionId, type, codeSne }: Cible): Cible => ({
  reservataireId,
  conventionId,
  type,
  codeSne,
});

const fail = (
  code: "NOT_FOUND" | "CONFLICT" | "RULE_VIOLATION" | "VALIDATION",
  message: string,
  reason: string,
  field?: string,
) => err(new AppError(code, message, { reason, ...(field ? { field } : {}) }));

type Oriented = Vacance & { readonly cible: Cible };

function currentVacance(ledger: Ledger, rplsId: string, vacance: Vacance | undefined): Result<Oriented, AppError> {
  if (!vacance || vacance.cible === undefined) {
    return fail(
      "NOT_FOUND",
      `Le logement ${rplsId} n'a pas été orienté dans le flux ${ledger.annee}`,
      "UNIT_NOT_ORIENTED",
      "rplsId",
    );
  }
  return ok(vacance as Oriented);
}

function orientUnit(ledger: Ledger, command: Extract<LedgerCommand, { type: "OrientUnit" }>, context: LedgerContext) {
  const { logement, libereLe } = command;
  if (logement.exceptionStock) {
    return fail(
      "RULE_VIOLATION",
      `Le logement ${logement.rplsId} est géré en stock (${logement.exceptionStock}) : il reste hors du flux`,
      "UNIT_OUT_OF_FLUX",
      "logement.exceptionStock",
    );
  }
  if (logement.departement !== ledger.departement) {
    return fail(
      "RULE_VIOLATION",
      `Le logement ${logement.rplsId} n'est pas dans le département ${ledger.departement}`,
      "WRONG_DEPARTEMENT",
      "logement.commune",
    );
  }
  if (!libereLe.startsWith(`${ledger.annee}-`)) {
    return fail(
      "VALIDATION",
      `Libération du ${libereLe} hors de l'exercice ${ledger.annee} : imputez-la sur l'exercice de sa date`,
      "WRONG_YEAR",
      "libereLe",
    );
  }
  const previous = command.existante;
  if (previous) {
    return fail(
      "CONFLICT",
      `Le logement ${logement.rplsId} est déjà orienté pour sa libération du ${previous.libereLe} : une libération ne se déclare qu'une fois`,
      "UNIT_ALREADY_ORIENTED",
      "rplsId",
    );
  }
  if (command.soustraction) {
    return ok([
      domainEvent(UnitSubtractedFromFlux, {
        logement,
        libereLe,
        motifLiberation: command.motifLiberation,
        motif: command.soustraction,
      }),
    ]);
  }
  const candidats = candidatesFor(logement, context.conventions, libereLe, ledger.bailleurId);
  const orientation = orient(logement, candidats, ledger.reservataires, Math.round(context.toleranceEquilibre * WHOLE));
  return ok([
    domainEvent(UnitAssignedToReserver, {
      logement,
      libereLe,
      motifLiberation: command.motifLiberation,
      cible: orientation.cible,
      designationAvant: addDays(today(context.now), delaiOf(context.conventions, orientation.cible.conventionId)),
      explication: { regle: orientation.regle, motif: orientation.motif, positions: orientation.positions },
    }),
  ]);
}

function override(
  ledger: Ledger,
  command: Extract<LedgerCommand, { type: "OverrideOrientation" }>,
  context: LedgerContext,
) {
  const vacance = currentVacance(ledger, command.rplsId, command.vacance);
  if (!vacance.ok) return vacance;
  const { categorie: logement, libereLe, cible } = vacance.value;
  if (vacance.value.attribue) {
    return fail(
      "CONFLICT",
      `Le logement ${command.rplsId} est déjà attribué : son orientation ne change plus`,
      "UNIT_ALREADY_ATTRIBUTED",
      "rplsId",
    );
  }
  if (command.motif.trim().length < 10) {
    return fail(
      "VALIDATION",
      "Motivez par écrit la dérogation à l'orientation (10 caractères au moins)",
      "OVERRIDE_REASON_REQUIRED",
      "motif",
    );
  }
  const target: Candidat | undefined = candidatesFor(logement, context.conventions, libereLe, ledger.bailleurId).find(
    (c) => c.reservataireId === command.reservataireId,
  );
  if (!target) {
    return fail(
      "RULE_VIOLATION",
      `${command.reservataireId} n'a pas de part du flux pour ce logement : choisissez un réservataire dont la convention couvre ce logement`,
      "NOT_A_CANDIDATE",
      "reservataireId",
    );
  }
  if (target.reservataireId === cible.reservataireId) return ok([]);
  return ok([
    domainEvent(OrientationOverridden, {
      rplsId: command.rplsId,
      libereLe,
      categorie: categorieOf(logement),
      de: cible,
      vers: cibleOf(target),
      motif: command.motif.trim(),
      decideLe: context.now.toISOString(),
      decidePar: context.auteur,
    }),
  ]);
}

function returnUnit(ledger: Ledger, command: Extract<LedgerCommand, { type: "ReturnUnit" }>, context: LedgerContext) {
  const vacance = currentVacance(ledger, command.rplsId, command.vacance);
  if (!vacance.ok) return vacance;
  const { cible, rendu, attribue, libereLe, categorie } = vacance.value;
  if (cible.conventionId === null || rendu || attribue) {
    return fail(
      "CONFLICT",
      `Le logement ${command.rplsId} n'est pas orienté vers un réservataire à qui le rendre`,
      "NOTHING_TO_RETURN",
      "rplsId",
    );
  }
  if (vacance.value.designationExpiree) {
    return fail(
      "CONFLICT",
      `Le délai de désignation du logement ${command.rplsId} a expiré le ${vacance.value.designationAvant} : le bailleur présente ses candidats, le logement ne se rend plus`,
      "DESIGNATION_EXPIRED",
      "rplsId",
    );
  }
  const convention = context.conventions.find((c) => c.conventionId === cible.conventionId);
  if (!convention) {
    return fail("NOT_FOUND", `Convention ${cible.conventionId} introuvable`, "CONVENTION_NOT_FOUND");
  }
  return ok([
    domainEvent(UnitReturned, {
      rplsId: command.rplsId,
      libereLe,
      categorie: categorieOf(categorie),
      cible,
      renduLe: command.renduLe,
      compte: convention.conditions.logementRendu === "compte",
      enregistrePar: context.auteur,
    }),
  ]);
}

function expireDesignation(
  ledger: Ledger,
  command: Extract<LedgerCommand, { type: "ExpireDesignation" }>,
  context: LedgerContext,
) {
  const vacance = currentVacance(ledger, command.rplsId, command.vacance);
  if (!vacance.ok) return vacance;
  const { cible, rendu, attribue, designation, designationExpiree, designationAvant, libereLe, categorie } =
    vacance.value;
  if (cible.conventionId === null || rendu || attribue || designationAvant === undefined) {
    return fail(
      "CONFLICT",
      `Le logement ${command.rplsId} n'attend de désignation d'aucun réservataire`,
      "NO_DESIGNATION_DUE",
      "rplsId",
    );
  }
  if (designation) {
    return fail(
      "CONFLICT",
      `Le réservataire a désigné ses candidats pour le logement ${command.rplsId} le ${designation.le}`,
      "ALREADY_DESIGNATED",
      "rplsId",
    );
  }
  if (designationExpiree) {
    return fail(
      "CONFLICT",
      `Le délai de désignation du logement ${command.rplsId} est déjà constaté expiré`,
      "DESIGNATION_ALREADY_EXPIRED",
      "rplsId",
    );
  }
  if (today(context.now) <= designationAvant) {
    return fail(
      "RULE_VIOLATION",
      `Le réservataire peut désigner ses candidats jusqu'au ${designationAvant} inclus`,
      "DESIGNATION_NOT_DUE",
      "rplsId",
    );
  }
  return ok([
    domainEvent(UnitDesignationExpired, {
      rplsId: command.rplsId,
      libereLe,
      categorie: categorieOf(categorie),
      cible,
      designationAvant,
      constateLe: context.now.toISOString(),
    }),
  ]);
}

function recordAttribution(
  ledger: Ledger,
  command: Extract<LedgerCommand, { type: "RecordAttribution" }>,
  context: LedgerContext,
) {
  const vacance = currentVacance(ledger, command.rplsId, command.vacance);
  if (!vacance.ok) return vacance;
  if (vacance.value.attribue) {
    return fail(
      "CONFLICT",
      `L'attribution du logement ${command.rplsId} est déjà enregistrée`,
      "ALREADY_ATTRIBUTED",
      "rplsId",
    );
  }
  if (command.bailSigneLe < vacance.value.libereLe) {
    return fail(
      "VALIDATION",
      `Le bail ne peut pas précéder la libération (le ${vacance.value.libereLe})`,
      "LEASE_BEFORE_FREEING",
      "bailSigneLe",
    );
  }
  return ok([
    domainEvent(AttributionRecorded, {
      rplsId: command.rplsId,
      libereLe: vacance.value.libereLe,
      categorie: categorieOf(vacance.value.categorie),
      cible: vacance.value.cible,
      bailSigneLe: command.bailSigneLe,
      enregistrePar: context.auteur,
    }),
  ]);
}

function decideOpen(
  ledger: Ledger,
  command: LedgerCommand,
  context: LedgerContext,
): Result<readonly LedgerEvent[], AppError> {
  switch (command.type) {
    case "OpenYear":
      return fail("CONFLICT", `L'exercice ${ledger.annee} du flux est déjà ouvert`, "LEDGER_ALREADY_OPEN");
    case "DeclareSubtractionForecast":
      return ok([
        domainEvent(SubtractionForecastDeclared, {
          annee: ledger.annee,
          prevision: command.prevision,
          declareLe: context.now.toISOString(),
          declarePar: context.auteur,
        }),
      ]);
    case "OrientUnit":
      return orientUnit(ledger, command, context);
    case "OverrideOrientation":
      return override(ledger, command, context);
    case "ReturnUnit":
      return returnUnit(ledger, command, context);
    case "ExpireDesignation":
      return expireDesignation(ledger, command, context);
    case "RecordAttribution":
      return recordAttribution(ledger, command, context);
    case "CloseYear": {
      if (today(context.now) < `${ledger.annee + 1}-01-01`) {
        return fail(
          "RULE_VIOLATION",
          `L'exercice ${ledger.annee} se clôture à partir du 1er janvier ${ledger.annee + 1}`,
          "YEAR_NOT_OVER",
        );
      }
      return ok([
        domainEvent(
          BalanceClosed,
          balanceOf(ledger, command.vacances, {
            clotureLe: context.now.toISOString(),
            cloturePar: context.auteur,
            prevision: command.previsionSoustraits,
          }),
        ),
      ]);
    }
  }
}

const newLine = (cible: Cible): LigneReservataire => ({
  cible: cibleOf(cible),
  compteurs: emptyCompteurs,
  rendus: 0,
  attribues: 0,
});

// The evolve functions run once per event of a year (tens of thousands): they build objects field by
// field, as object spread is several times slower on V8 for these small records.

/** The ledger with some of its fields replaced. */
const ledgerWith = (l: Ledger, c: Partial<Ledger>): Ledger => ({
  bailleurId: l.bailleurId,
  departement: l.departement,
  annee: l.annee,
  cloture: c.cloture ?? l.cloture,
  fluxBrut: c.fluxBrut ?? l.fluxBrut,
  soustraits: c.soustraits ?? l.soustraits,
  prevision: "prevision" in c ? c.prevision : l.prevision,
  reservataires: c.reservataires ?? l.reservataires,
});

/** A reserver's line with some of its fields replaced. */
const lineWith = (l: LigneReservataire, c: Partial<LigneReservataire>): LigneReservataire => ({
  cible: l.cible,
  compteurs: c.compteurs ?? l.compteurs,
  rendus: c.rendus ?? l.rendus,
  attribues: c.attribues ?? l.attribues,
});

/** Counters with some of their fields replaced. */
const compteursWith = (k: Compteurs, c: Partial<Compteurs>): Compteurs => ({
  duBp: c.duBp ?? k.duBp,
  reportBp: c.reportBp ?? k.reportBp,
  orientes: c.orientes ?? k.orientes,
  duQpvBp: c.duQpvBp ?? k.duQpvBp,
  orientesQpv: c.orientesQpv ?? k.orientesQpv,
  duTypoBp: c.duTypoBp ?? k.duTypoBp,
  orientesTypo: c.orientesTypo ?? k.orientesTypo,
});

function withCompteurs(
  ledger: Ledger,
  cible: Cible,
  change: (k: Compteurs, line: LigneReservataire) => Partial<LigneReservataire>,
): Ledger {
  const line = ledger.reservataires[cible.reservataireId] ?? newLine(cible);
  const reservataires = { ...ledger.reservataires };
  reservataires[cible.reservataireId] = lineWith(line, change(line.compteurs, line));
  return ledgerWith(ledger, { reservataires });
}

/** A copy of per-typology counters with `by` added at index `t` (`typoIndex`). */
function addAt(counts: readonly number[], t: number, by: number): number[] {
  if (counts.length !== typologies.length) return bumpTypo(counts, typologies[t] as Typologie, by);
  const next = counts.slice();
  next[t] = (next[t] as number) + by;
  return next;
}

/** Adds `by` at the QPV side of a [outside, inside] pair. */
const bumpQpv = (pair: readonly [number, number], qpv: boolean, by: number): [number, number] =>
  qpv ? [pair[0], pair[1] + by] : [pair[0] + by, pair[1]];

/**
 * +1 (or −1) oriented unit of this typology and QPV side for this reserver. Without the unit's
 * category (an event written before it was carried) only the total moves.
 */
const orientedOnce = (
  ledger: Ledger,
  cible: Cible,
  logement: Pick<Categorie, "qpv" | "typologie"> | undefined,
  by: 1 | -1,
): Ledger =>
  withCompteurs(ledger, cible, (k) => ({
    compteurs: compteursWith(k, {
      orientes: k.orientes + by,
      ...(logement && {
        orientesQpv: bumpQpv(k.orientesQpv, logement.qpv, by),
        orientesTypo: bumpTypo(k.orientesTypo, logement.typologie, by),
      }),
    }),
  }));

function evolveOpen(ledger: Ledger, event: LedgerEvent): Ledger {
  switch (event.type) {
    case "FluxYearOpened":
      return ledger;
    case "SubtractionForecastDeclared":
      return ledgerWith(ledger, { prevision: event.payload.prevision });
    case "UnitSubtractedFromFlux": {
      const motif = event.payload.motif;
      return ledgerWith(ledger, {
        fluxBrut: ledger.fluxBrut + 1,
        soustraits: { ...ledger.soustraits, [motif]: ledger.soustraits[motif] + 1 },
      });
    }
    case "UnitAssignedToReserver": {
      const { logement, cible, explication } = event.payload;
      // One copy of the reservers' lines for all the shares of this unit, the chosen one's
      // orientation counted in the same pass, each record built once (it runs once per freed unit).
      const reservataires = { ...ledger.reservataires };
      const qpv = logement.qpv;
      const t = typoIndex(logement.typologie);
      const positions = explication.positions;
      let counted = false;
      for (let i = 0; i < positions.length; i++) {
        const p = positions[i] as (typeof positions)[number];
        const part = toBp(p.part);
        const line = reservataires[p.reservataireId] ?? newLine(p);
        const k = line.compteurs;
        const chosen = !counted && p.reservataireId === cible.reservataireId;
        if (chosen) counted = true;
        reservataires[p.reservataireId] = {
          cible: line.cible,
          compteurs: {
            duBp: k.duBp + part,
            reportBp: k.reportBp,
            orientes: chosen ? k.orientes + 1 : k.orientes,
            duQpvBp: bumpQpv(k.duQpvBp, qpv, part),
            orientesQpv: chosen ? bumpQpv(k.orientesQpv, qpv, 1) : k.orientesQpv,
            duTypoBp: addAt(k.duTypoBp, t, part),
            orientesTypo: chosen ? addAt(k.orientesTypo, t, 1) : k.orientesTypo,
          },
          rendus: line.rendus,
          attribues: line.attribues,
        };
      }
      const next = ledgerWith(ledger, { fluxBrut: ledger.fluxBrut + 1, reservataires });
      return counted ? next : orientedOnce(next, cible, logement, 1);
    }
    case "OrientationOverridden": {
      const { de, vers, categorie } = event.payload;
      return orientedOnce(orientedOnce(ledger, de, categorie, -1), vers, categorie, 1);
    }
    case "UnitReturned": {
      const { cible, compte, categorie } = event.payload;
      const next = withCompteurs(ledger, cible, (_k, line) => ({ rendus: line.rendus + 1 }));
      if (compte) return next;
      // Not counted for the reserver: the landlord lets it to its own candidates, on its own part.
      const own = ownCible(ledger.bailleurId);
      return orientedOnce(orientedOnce(next, cible, categorie, -1), own, categorie, 1);
    }
    case "UnitDesignationExpired":
      // The landlord presents its own candidates; the unit still counts for the reserver.
      return ledger;
    case "AttributionRecorded":
      return withCompteurs(ledger, event.payload.cible, (_k, line) => ({ attribues: line.attribues + 1 }));
    case "BalanceClosed":
      return ledgerWith(ledger, { cloture: true });
  }
}

export const ledgerDecider: Decider<Ledger | undefined, LedgerCommand, LedgerEvent, LedgerContext> = {
  initialState: undefined,
  decide(state, command, context) {
    if (!state) {
      if (command.type !== "OpenYear") {
        return fail(
          "NOT_FOUND",
          "Exercice du flux non ouvert : ouvrez l'exercice avant d'y enregistrer des logements",
          "LEDGER_NOT_OPEN",
        );
      }
      return ok([
        domainEvent(FluxYearOpened, {
          bailleurId: command.bailleurId,
          departement: command.departement,
          annee: command.annee,
          ouvertLe: context.now.toISOString(),
          reports: command.reports.map((r) => ({ ...cibleOf(r), report: r.report })),
        }),
      ]);
    }
    if (state.cloture) {
      return fail("CONFLICT", `L'exercice ${state.annee} du flux est clôturé : son bilan est arrêté`, "LEDGER_CLOSED");
    }
    return decideOpen(state, command, context);
  },
  evolve(state, event) {
    if (event.type === "FluxYearOpened") {
      const { bailleurId, departement, annee, reports } = event.payload;
      const reservataires: Record<string, LigneReservataire> = {};
      for (const { report, ...cible } of reports) {
        reservataires[cible.reservataireId] = {
          cible: cibleOf(cible),
          compteurs: { ...emptyCompteurs, reportBp: Math.round(report * WHOLE) },
          rendus: 0,
          attribues: 0,
        };
      }
      return {
        bailleurId,
        departement,
        annee,
        cloture: false,
        fluxBrut: 0,
        soustraits: noSubtraction,
        prevision: undefined,
        reservataires,
      };
    }
    return state && evolveOpen(state, event);
  },
};

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
  UnitAssignedToReserver,
  UnitReturned,
  UnitSubtractedFromFlux,
} from "@logis/contracts";
import { AppError, type Decider, err, ok, type Result } from "@logis/domain";
import { balanceOf, type ParMotif } from "./balance.js";
import { type DomainEvent, domainEvent } from "./events.js";
import { type Candidat, type Cible, type Compteurs, candidatesFor, emptyCompteurs, orient } from "./orientation.js";
import { emptyPMap, type PMap, pget, pset } from "./pmap.js";
import { type ConventionEnVigueur, toBp, WHOLE } from "./shares.js";

/** The unit facts the balance breaks its figures down by, and the orientation mix looks at. */
export interface Categorie {
  readonly typologie: Typologie;
  readonly financement: Financement;
  readonly qpv: boolean;
  readonly commune: string;
  readonly anneeConstruction: number;
}

/** One vacancy of a unit in the year, and where it went (kept small: the ledger is one stored document). */
export interface Vacance {
  readonly libereLe: string;
  readonly categorie: Categorie;
  readonly cible: Cible;
  readonly rendu: boolean;
  readonly attribue: boolean;
}

export interface LigneReservataire {
  readonly cible: Cible;
  readonly compteurs: Compteurs;
  readonly rendus: number;
  readonly attribues: number;
}

/** The flux ledger of one landlord × département × year; plain JSON, so it is stored as it is. */
export interface Ledger {
  readonly bailleurId: string;
  readonly departement: string;
  readonly annee: number;
  readonly cloture: boolean;
  readonly fluxBrut: number;
  readonly soustraits: ParMotif;
  readonly prevision: ParMotif | undefined;
  readonly reservataires: Readonly<Record<string, LigneReservataire>>;
  /** Vacancies by RPLS id (a unit can be freed more than once in a year), the last one current. */
  readonly vacances: PMap<readonly Vacance[]>;
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
    }
  | {
      readonly type: "OverrideOrientation";
      readonly rplsId: string;
      readonly reservataireId: string;
      readonly motif: string;
    }
  | { readonly type: "ReturnUnit"; readonly rplsId: string; readonly renduLe: string }
  | { readonly type: "RecordAttribution"; readonly rplsId: string; readonly bailSigneLe: string }
  | { readonly type: "CloseYear"; readonly previsionSoustraits?: ParMotif | undefined };

export type LedgerEvent =
  | DomainEvent<typeof FluxYearOpened>
  | DomainEvent<typeof SubtractionForecastDeclared>
  | DomainEvent<typeof UnitSubtractedFromFlux>
  | DomainEvent<typeof UnitAssignedToReserver>
  | DomainEvent<typeof OrientationOverridden>
  | DomainEvent<typeof UnitReturned>
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
const today = (now: Date) => now.toISOString().slice(0, 10);
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + days * 86_400_000).toISOString().slice(0, 10);
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

function currentVacance(ledger: Ledger, rplsId: string): Result<Vacance, AppError> {
  const vacance = pget(ledger.vacances, rplsId)?.at(-1);
  if (!vacance) {
    return fail(
      "NOT_FOUND",
      `Le logement ${rplsId} n'a pas été orienté dans le flux ${ledger.annee}`,
      "UNIT_NOT_ORIENTED",
      "rplsId",
    );
  }
  return ok(vacance);
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
  const previous = pget(ledger.vacances, logement.rplsId)?.at(-1);
  if (previous && !previous.attribue) {
    return fail(
      "CONFLICT",
      `Le logement ${logement.rplsId} est déjà orienté (libéré le ${previous.libereLe}) et pas encore attribué : une libération ne se déclare qu'une fois`,
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
  const orientation = orient(
    logement,
    candidats,
    (id) => ledger.reservataires[id]?.compteurs ?? emptyCompteurs,
    Math.round(context.toleranceEquilibre * WHOLE),
  );
  const convention = context.conventions.find((c) => c.conventionId === orientation.cible.conventionId);
  return ok([
    domainEvent(UnitAssignedToReserver, {
      logement,
      libereLe,
      motifLiberation: command.motifLiberation,
      cible: orientation.cible,
      designationAvant: addDays(today(context.now), convention?.conditions.delaiDesignationJours ?? 0),
      explication: { regle: orientation.regle, motif: orientation.motif, positions: [...orientation.positions] },
    }),
  ]);
}

function override(
  ledger: Ledger,
  command: Extract<LedgerCommand, { type: "OverrideOrientation" }>,
  context: LedgerContext,
) {
  const vacance = currentVacance(ledger, command.rplsId);
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
      de: cible,
      vers: cibleOf(target),
      motif: command.motif.trim(),
      decideLe: context.now.toISOString(),
      decidePar: context.auteur,
    }),
  ]);
}

function returnUnit(ledger: Ledger, command: Extract<LedgerCommand, { type: "ReturnUnit" }>, context: LedgerContext) {
  const vacance = currentVacance(ledger, command.rplsId);
  if (!vacance.ok) return vacance;
  const { cible, rendu, attribue } = vacance.value;
  if (cible.conventionId === null || rendu || attribue) {
    return fail(
      "CONFLICT",
      `Le logement ${command.rplsId} n'est pas orienté vers un réservataire à qui le rendre`,
      "NOTHING_TO_RETURN",
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
      cible,
      renduLe: command.renduLe,
      compte: convention.conditions.logementRendu === "compte",
      enregistrePar: context.auteur,
    }),
  ]);
}

function recordAttribution(
  ledger: Ledger,
  command: Extract<LedgerCommand, { type: "RecordAttribution" }>,
  context: LedgerContext,
) {
  const vacance = currentVacance(ledger, command.rplsId);
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
          balanceOf(ledger, {
            clotureLe: context.now.toISOString(),
            cloturePar: context.auteur,
            prevision: command.previsionSoustraits,
          }),
        ),
      ]);
    }
  }
}

const bump = (record: Readonly<Partial<Record<string, number>>>, key: string, by: number) => ({
  ...record,
  [key]: (record[key] ?? 0) + by,
});

function withCompteurs(
  ledger: Ledger,
  cible: Cible,
  change: (k: Compteurs, line: LigneReservataire) => Partial<LigneReservataire> & { compteurs?: Compteurs },
): Ledger {
  const line = ledger.reservataires[cible.reservataireId] ?? {
    cible: cibleOf(cible),
    compteurs: emptyCompteurs,
    rendus: 0,
    attribues: 0,
  };
  return {
    ...ledger,
    reservataires: { ...ledger.reservataires, [cible.reservataireId]: { ...line, ...change(line.compteurs, line) } },
  };
}

/** +1 (or −1) oriented unit of this typology and QPV side for this reserver. */
const orientedOnce = (
  ledger: Ledger,
  cible: Cible,
  logement: Pick<Categorie, "qpv" | "typologie">,
  by: 1 | -1,
): Ledger =>
  withCompteurs(ledger, cible, (k) => ({
    compteurs: {
      ...k,
      orientes: k.orientes + by,
      orientesQpv: logement.qpv ? [k.orientesQpv[0], k.orientesQpv[1] + by] : [k.orientesQpv[0] + by, k.orientesQpv[1]],
      orientesTypo: bump(k.orientesTypo, logement.typologie, by),
    },
  }));

function replaceVacance(ledger: Ledger, rplsId: string, change: (v: Vacance) => Vacance): Ledger {
  const list = pget(ledger.vacances, rplsId) ?? [];
  const last = list.at(-1);
  return last ? { ...ledger, vacances: pset(ledger.vacances, rplsId, [...list.slice(0, -1), change(last)]) } : ledger;
}

function evolveOpen(ledger: Ledger, event: LedgerEvent): Ledger {
  switch (event.type) {
    case "FluxYearOpened":
      return ledger;
    case "SubtractionForecastDeclared":
      return { ...ledger, prevision: event.payload.prevision };
    case "UnitSubtractedFromFlux": {
      const motif = event.payload.motif;
      return {
        ...ledger,
        fluxBrut: ledger.fluxBrut + 1,
        soustraits: { ...ledger.soustraits, [motif]: ledger.soustraits[motif] + 1 },
      };
    }
    case "UnitAssignedToReserver": {
      const { logement, libereLe, cible, explication } = event.payload;
      let next: Ledger = { ...ledger, fluxBrut: ledger.fluxBrut + 1 };
      for (const p of explication.positions) {
        const part = toBp(p.part);
        next = withCompteurs(next, p, (k) => ({
          compteurs: {
            ...k,
            duBp: k.duBp + part,
            duQpvBp: logement.qpv ? [k.duQpvBp[0], k.duQpvBp[1] + part] : [k.duQpvBp[0] + part, k.duQpvBp[1]],
            duTypoBp: bump(k.duTypoBp, logement.typologie, part),
          },
        }));
      }
      next = orientedOnce(next, cible, logement, 1);
      const list = pget(next.vacances, logement.rplsId) ?? [];
      const { typologie, financement, qpv, commune, anneeConstruction } = logement;
      const categorie = { typologie, financement, qpv, commune, anneeConstruction };
      const vacance: Vacance = { libereLe, categorie, cible, rendu: false, attribue: false };
      return { ...next, vacances: pset(next.vacances, logement.rplsId, [...list, vacance]) };
    }
    case "OrientationOverridden": {
      const { rplsId, de, vers } = event.payload;
      const vacance = pget(ledger.vacances, rplsId)?.at(-1);
      if (!vacance) return ledger;
      const moved = orientedOnce(orientedOnce(ledger, de, vacance.categorie, -1), vers, vacance.categorie, 1);
      return replaceVacance(moved, rplsId, (v) => ({ ...v, cible: vers }));
    }
    case "UnitReturned": {
      const { rplsId, cible, compte } = event.payload;
      const vacance = pget(ledger.vacances, rplsId)?.at(-1);
      if (!vacance) return ledger;
      let next = withCompteurs(ledger, cible, (_k, line) => ({ rendus: line.rendus + 1 }));
      if (compte) return replaceVacance(next, rplsId, (v) => ({ ...v, rendu: true }));
      // Not counted for the reserver: the landlord lets it to its own candidates, on its own part.
      const own: Cible = { reservataireId: ledger.bailleurId, conventionId: null, type: "bailleur", codeSne: "AUCUN" };
      next = orientedOnce(orientedOnce(next, cible, vacance.categorie, -1), own, vacance.categorie, 1);
      return replaceVacance(next, rplsId, (v) => ({ ...v, rendu: true, cible: own }));
    }
    case "AttributionRecorded": {
      const { rplsId, cible } = event.payload;
      const next = withCompteurs(ledger, cible, (_k, line) => ({ attribues: line.attribues + 1 }));
      return replaceVacance(next, rplsId, (v) => ({ ...v, attribue: true }));
    }
    case "BalanceClosed":
      return { ...ledger, cloture: true };
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
        vacances: emptyPMap(),
      };
    }
    return state && evolveOpen(state, event);
  },
};

import { codesOf } from "@logis/contracts";
import { activeOn, type DemandRow, MOTIFS_SORTIE, type MotifSortie } from "./demand-row.js";
import { addMonths } from "./reference.js";
import { HORS_REFERENTIEL, type Territory } from "./territory.js";

// Statistics of the demand stock over a period, from the read model's rows (pure). A period is two
// Paris civil days, both included. "Active" means in the stock at the end of the period's last day.
// Waiting time (délai d'attente) of an active demand: the days from its first deposit to that day.
// Percentiles interpolate between the two nearest ranks, as a spreadsheet's CENTILE (PERCENTILE.INC)
// does, so that a statistician can check them from the CSV.

export interface Periode {
  du: string;
  au: string;
}

/** SNE-style seniority bands (infocentre TAB03: ancienneté of current demands), in whole years. */
export const TRANCHES_ANCIENNETE = [
  { code: "0-1", libelle: "Moins d'1 an", de: 0, a: 1 },
  { code: "1-2", libelle: "De 1 à moins de 2 ans", de: 1, a: 2 },
  { code: "2-3", libelle: "De 2 à moins de 3 ans", de: 2, a: 3 },
  { code: "3-4", libelle: "De 3 à moins de 4 ans", de: 3, a: 4 },
  { code: "4-5", libelle: "De 4 à moins de 5 ans", de: 4, a: 5 },
  { code: "5-10", libelle: "De 5 à moins de 10 ans", de: 5, a: 10 },
  { code: "10+", libelle: "10 ans et plus", de: 10, a: Number.POSITIVE_INFINITY },
] as const;

const DAY_MS = 86_400_000;
const dayNumber = (civil: string) => Date.parse(`${civil}T00:00:00Z`) / DAY_MS;

/** Days between two civil days (`to` − `from`). */
export const daysBetween = (from: string, to: string): number => dayNumber(to) - dayNumber(from);

/** Whole years from `from` to `to` (birthday rule: 29 February counts from 1 March in common years). */
export function wholeYears(from: string, to: string): number {
  const [fy, fm, fd] = from.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = to.split("-").map(Number) as [number, number, number];
  return ty - fy - (tm < fm || (tm === fm && td < fd) ? 1 : 0);
}

/** The p-th percentile (0–1) of sorted values, interpolated between ranks (PERCENTILE.INC); undefined when empty. */
export function percentile(sorted: readonly number[], p: number): number | undefined {
  if (sorted.length === 0) return undefined;
  const rank = (sorted.length - 1) * p;
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a + (b - a) * (rank - lo);
}

const round1 = (v: number) => Math.round(v * 10) / 10;
const DAYS_PER_MONTH = 365.25 / 12;

export interface Attente {
  /** Active demands measured. */
  demandes: number;
  medianeJours?: number;
  p90Jours?: number;
  medianeMois?: number;
  p90Mois?: number;
}

export function waitingTime(rows: readonly DemandRow[], on: string): Attente {
  return waitOf(rows.filter((r) => activeOn(r, on)).map((r) => daysBetween(r.depotLe, on)));
}

function waitOf(unsorted: number[]): Attente {
  const days = unsorted.sort((a, b) => a - b);
  const median = percentile(days, 0.5);
  const p90 = percentile(days, 0.9);
  return {
    demandes: days.length,
    ...(median === undefined ? {} : { medianeJours: round1(median), medianeMois: round1(median / DAYS_PER_MONTH) }),
    ...(p90 === undefined ? {} : { p90Jours: round1(p90), p90Mois: round1(p90 / DAYS_PER_MONTH) }),
  };
}

/** The contingents an attribution is charged to (SNE typeReservataire). */
export const CONTINGENTS = codesOf("typeReservataire");
export type Contingent = (typeof CONTINGENTS)[number];

/** Current housing that makes an attribution count for "Logement d'abord": shelter, hotel, street. */
export const SANS_DOMICILE = new Set(["SH", "HOT", "SD"]);
/** Persons per household the State's barometer assumes for "Logement d'abord". */
export const PERSONNES_PAR_MENAGE_LOGEMENT_D_ABORD = 2.2;

export interface Attributions {
  /** Demands radiated for an attribution (RADATT) during the period. */
  total: number;
  parContingent: Record<Contingent, number>;
  /** Of which DALO households (as the radiation says). */
  dalo: number;
  /** "Logement d'abord": households that came from a shelter, a hotel or the street, and the persons that makes (× 2,2). */
  logementDAbord: { menages: number; personnesEstimees: number };
  /** Waiting time of the satisfied demands: from the first deposit to the attribution. */
  attente: Attente;
}

export interface Indicateurs {
  /** Active at the end of the period: all, first demands, transfers (mutations). */
  actives: number;
  primo: number;
  mutation: number;
  /** First deposited during the period. */
  nouvelles: number;
  /** Left the stock during the period (radiations, and cancellations for non-renewal as RADREN). */
  radiations: number;
  radiationsParMotif: Record<MotifSortie, number>;
  attente: Attente;
  /** Active priority households (DALO or L441-1) and their share of the active stock, in percent. */
  prioritaires: number;
  partPrioritaires?: number;
  attributions: Attributions;
  /** Tension: active demands per attribution of the period (undefined without attribution). */
  tension?: number;
  /**
   * Active demands waiting longer than the département's "délai anormalement long" (L441-1-4) for
   * their typology, and their share of the active demands whose delay is known, in percent.
   */
  depassementDelai: { demandes: number; part?: number };
}

/** The abnormally long delay (months) that applies to a demand, when the reference data knows one. */
export type DelaiOf = (row: DemandRow, on: string) => number | undefined;

export function indicators(
  rows: readonly DemandRow[],
  periode: Periode,
  delaiOf: DelaiOf = () => undefined,
): Indicateurs {
  let actives = 0;
  let delaiConnu = 0;
  let depasse = 0;
  let mutation = 0;
  let nouvelles = 0;
  let prioritaires = 0;
  const parContingent = Object.fromEntries(CONTINGENTS.map((c) => [c, 0])) as Record<Contingent, number>;
  let dalo = 0;
  let sansDomicile = 0;
  const satisfied: number[] = [];
  const radiationsParMotif = Object.fromEntries(MOTIFS_SORTIE.map((m) => [m, 0])) as Record<MotifSortie, number>;
  for (const r of rows) {
    if (activeOn(r, periode.au)) {
      actives++;
      if (r.mutation) mutation++;
      if (r.prioritaire) prioritaires++;
      const delai = delaiOf(r, periode.au);
      if (delai !== undefined) {
        delaiConnu++;
        if (addMonths(r.depotLe, delai) < periode.au) depasse++;
      }
    }
    if (r.depotLe >= periode.du && r.depotLe <= periode.au) nouvelles++;
    for (const m of r.mouvements) {
      if (m.type !== "sortie" || m.le < periode.du || m.le > periode.au) continue;
      radiationsParMotif[m.motif]++;
      if (m.motif !== "RADATT") continue;
      const contingent = (r.attribution?.contingent ?? "AUCUN") as Contingent;
      parContingent[contingent in parContingent ? contingent : "AUCUN"]++;
      if (r.attribution?.dalo) dalo++;
      if (SANS_DOMICILE.has(r.modeleLogement)) sansDomicile++;
      satisfied.push(daysBetween(r.depotLe, m.le));
    }
  }
  const attributions = radiationsParMotif.RADATT;
  return {
    actives,
    primo: actives - mutation,
    mutation,
    nouvelles,
    radiations: Object.values(radiationsParMotif).reduce((a, b) => a + b, 0),
    radiationsParMotif,
    attente: waitingTime(rows, periode.au),
    prioritaires,
    ...(actives === 0 ? {} : { partPrioritaires: round1((prioritaires * 100) / actives) }),
    attributions: {
      total: attributions,
      parContingent,
      dalo,
      logementDAbord: {
        menages: sansDomicile,
        personnesEstimees: round1(sansDomicile * PERSONNES_PAR_MENAGE_LOGEMENT_D_ABORD),
      },
      attente: waitOf(satisfied),
    },
    ...(attributions === 0 ? {} : { tension: round1(actives / attributions) }),
    depassementDelai: {
      demandes: depasse,
      ...(delaiConnu === 0 ? {} : { part: round1((depasse * 100) / delaiConnu) }),
    },
  };
}

export interface LigneAnciennete {
  code: string;
  libelle: string;
  actives: number;
  primo: number;
  mutation: number;
  /** Share of the active stock, in percent (one decimal). */
  part: number;
}

/** The SNE-style table of the active stock by seniority band, at the end of civil day `on`. */
export function stockBySeniority(rows: readonly DemandRow[], on: string): LigneAnciennete[] {
  const lines = TRANCHES_ANCIENNETE.map((t) => ({
    code: t.code,
    libelle: t.libelle,
    actives: 0,
    primo: 0,
    mutation: 0,
  }));
  let total = 0;
  for (const r of rows) {
    if (!activeOn(r, on)) continue;
    const years = wholeYears(r.depotLe, on);
    const i = TRANCHES_ANCIENNETE.findIndex((t) => years >= t.de && years < t.a);
    const line = lines[i === -1 ? 0 : i] as (typeof lines)[number];
    line.actives++;
    if (r.mutation) line.mutation++;
    else line.primo++;
    total++;
  }
  return lines.map((l) => ({ ...l, part: total === 0 ? 0 : round1((l.actives * 100) / total) }));
}

/** A band of an SNE-style stock table (infocentre TAB03). */
export interface Tranche {
  code: string;
  libelle: string;
}

/** The applicant's age bands. */
export const TRANCHES_AGE = [
  { code: "-25", libelle: "Moins de 25 ans", de: 0, a: 25 },
  { code: "25-29", libelle: "De 25 à 29 ans", de: 25, a: 30 },
  { code: "30-39", libelle: "De 30 à 39 ans", de: 30, a: 40 },
  { code: "40-49", libelle: "De 40 à 49 ans", de: 40, a: 50 },
  { code: "50-64", libelle: "De 50 à 64 ans", de: 50, a: 65 },
  { code: "65+", libelle: "65 ans et plus", de: 65, a: Number.POSITIVE_INFINITY },
] as const;

/** Household sizes. */
export const TRANCHES_TAILLE = [
  { code: "1", libelle: "1 personne", de: 1, a: 2 },
  { code: "2", libelle: "2 personnes", de: 2, a: 3 },
  { code: "3", libelle: "3 personnes", de: 3, a: 4 },
  { code: "4", libelle: "4 personnes", de: 4, a: 5 },
  { code: "5", libelle: "5 personnes", de: 5, a: 6 },
  { code: "6+", libelle: "6 personnes et plus", de: 6, a: Number.POSITIVE_INFINITY },
] as const;

/** Monthly household resources, in euros. */
export const TRANCHES_RESSOURCES = [
  { code: "0", libelle: "Sans ressources", de: 0, a: 1 },
  { code: "1-499", libelle: "De 1 à 499 €", de: 1, a: 500 },
  { code: "500-999", libelle: "De 500 à 999 €", de: 500, a: 1000 },
  { code: "1000-1499", libelle: "De 1 000 à 1 499 €", de: 1000, a: 1500 },
  { code: "1500-1999", libelle: "De 1 500 à 1 999 €", de: 1500, a: 2000 },
  { code: "2000-2999", libelle: "De 2 000 à 2 999 €", de: 2000, a: 3000 },
  { code: "3000+", libelle: "3 000 € et plus", de: 3000, a: Number.POSITIVE_INFINITY },
] as const;

const NON_RENSEIGNE_TRANCHE = { code: "nr", libelle: "Non renseigné" };

/**
 * An SNE-style table of the active stock at the end of civil day `on`: the value `measure` gives each
 * active demand falls in a band (`de` ≤ value < `a`); demands without a value go to "Non renseigné".
 */
export function stockTable(
  rows: readonly DemandRow[],
  on: string,
  bands: readonly (Tranche & { de: number; a: number })[],
  measure: (r: DemandRow) => number | undefined,
): LigneAnciennete[] {
  const lines = [...bands, NON_RENSEIGNE_TRANCHE].map((t) => ({
    code: t.code,
    libelle: t.libelle,
    actives: 0,
    primo: 0,
    mutation: 0,
  }));
  let total = 0;
  for (const r of rows) {
    if (!activeOn(r, on)) continue;
    const v = measure(r);
    const i = v === undefined ? -1 : bands.findIndex((t) => v >= t.de && v < t.a);
    const line = lines[i === -1 ? bands.length : i] as (typeof lines)[number];
    line.actives++;
    if (r.mutation) line.mutation++;
    else line.primo++;
    total++;
  }
  return lines
    .filter((l, i) => i < bands.length || l.actives > 0)
    .map((l) => ({ ...l, part: total === 0 ? 0 : round1((l.actives * 100) / total) }));
}

export interface Ventilation extends Indicateurs {
  cle: string;
  libelle: string;
}

/** The indicators per value of `keyOf` (département, EPCI, commune, typology), sorted by key. */
export function breakdown(
  rows: readonly DemandRow[],
  periode: Periode,
  keyOf: (r: DemandRow) => string,
  labelOf: (key: string) => string = (k) => k,
  delaiOf: DelaiOf = () => undefined,
): Ventilation[] {
  const groups = new Map<string, DemandRow[]>();
  for (const r of rows) {
    const k = keyOf(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([cle, g]) => ({ cle, libelle: labelOf(cle), ...indicators(g, periode, delaiOf) }));
}

export interface Statistiques {
  periode: Periode;
  /** The territory referential's version the EPCIs come from. */
  referentiel: string;
  ensemble: Indicateurs;
  anciennete: LigneAnciennete[];
  /** SNE-style tables of the active stock: the applicant's age, the household's size, its monthly resources. */
  ageDemandeur: LigneAnciennete[];
  tailleMenage: LigneAnciennete[];
  ressources: LigneAnciennete[];
  parDepartement: Ventilation[];
  parEpci: Ventilation[];
  parCommune: Ventilation[];
  parTypologie: Ventilation[];
  /** By decile of the demand's cotation rank in its EPCI (1 = best tenth), and "non cotée". */
  parDecile: Ventilation[];
}

const NON_COTEE = "non-cotee";
const decileLabel = (key: string) =>
  key === NON_COTEE ? "Non cotée" : `${Number(key)}${key === "01" ? "er" : "e"} décile de cotation`;

const NON_RENSEIGNE = "non renseigné";

/** Every statistic of the demand stock for the period, over the given rows (already narrowed to a territory). */
export function statistics(
  rows: readonly DemandRow[],
  periode: Periode,
  territory: Territory,
  /** The decile of a demand's last cotation in the EPCI of its first wished commune, when it has one. */
  decileOf: (row: DemandRow) => number | undefined = () => undefined,
  delaiOf: DelaiOf = () => undefined,
): Statistiques {
  const on = periode.au;
  return {
    periode,
    referentiel: territory.version,
    ensemble: indicators(rows, periode, delaiOf),
    anciennete: stockBySeniority(rows, on),
    ageDemandeur: stockTable(rows, on, TRANCHES_AGE, (r) =>
      r.naissance === undefined ? undefined : wholeYears(`${r.naissance}-01`, on),
    ),
    tailleMenage: stockTable(rows, on, TRANCHES_TAILLE, (r) => r.tailleMenage),
    ressources: stockTable(rows, on, TRANCHES_RESSOURCES, (r) => r.ressourcesMensuelles),
    parDepartement: breakdown(
      rows,
      periode,
      (r) => r.departement,
      (k) => territory.departementName(k) ?? k,
      delaiOf,
    ),
    parEpci: breakdown(
      rows,
      periode,
      (r) => territory.epciOf(r.commune),
      (k) => (k === HORS_REFERENTIEL ? "Hors référentiel" : (territory.epciName(k) ?? k)),
      delaiOf,
    ),
    parCommune: breakdown(
      rows,
      periode,
      (r) => r.commune ?? NON_RENSEIGNE,
      (k) => k,
      delaiOf,
    ),
    parTypologie: breakdown(rows, periode, (r) => r.typologie ?? NON_RENSEIGNE, undefined, delaiOf),
    parDecile: breakdown(
      rows,
      periode,
      (r) => {
        const d = decileOf(r);
        return d === undefined ? NON_COTEE : String(d).padStart(2, "0");
      },
      decileLabel,
      delaiOf,
    ),
  };
}

import type { AttributionRow, BailRow } from "./attribution-row.js";
import type { DemandRow } from "./demand-row.js";
import type { LeaseFact } from "./quotas.js";
import type { Reference } from "./reference.js";
import type { SessionRow } from "./session-row.js";
import { type Periode, SANS_DOMICILE } from "./statistics.js";
import type { Territory } from "./territory.js";
import type { UnitRow } from "./unit-row.js";

// The year's signed leases joined across the three streams that know them: the CAL's lease (reserver,
// contingent, DALO), flux's unit (QPV), registration's demand (priority, resources per unit of
// consumption, current housing). A fact a stream has not told yet is taken from the CAL's own
// examination (the candidate's reference income and persons) or counted as unknown.

export type SignedAttribution = AttributionRow & { bail: BailRow };

export const signed = (a: AttributionRow): a is SignedAttribution => a.bail !== undefined;

export interface LeaseJoin {
  attribution: SignedAttribution;
  unit?: UnitRow;
  demand?: DemandRow;
}

/** INSEE units of consumption from a number of persons when their ages are unknown (adults assumed). */
const ucOfPersons = (n: number) => 1 + 0.5 * Math.max(0, n - 1);

/** Annual resources per unit of consumption: the demand's monthly resources, else the CAL's reference income. */
export function resourcesPerUc(j: LeaseJoin): number | undefined {
  const d = j.demand;
  if (d?.ressourcesMensuelles !== undefined && d.uc) return (d.ressourcesMensuelles * 12) / d.uc;
  const c = j.attribution.candidats.find((x) => x.demandId === j.attribution.bail.demandId);
  if (c?.revenu !== undefined) return c.revenu / ucOfPersons(c.personnes);
  return undefined;
}

export interface LeaseFactFull extends LeaseFact {
  bailleurId: string;
  commune?: string;
  typologie?: string;
  /** The household came from a shelter, a hotel or the street ("Logement d'abord"). */
  sansDomicile: boolean;
  /** Whether the QPV flag and the quartile were known (the unit seen in flux, a threshold and resources). */
  qpvConnu: boolean;
  quartileConnu: boolean;
}

export function leaseFactOf(j: LeaseJoin, territory: Territory, reference: Reference): LeaseFactFull {
  const a = j.attribution;
  const commune = j.unit?.commune ?? a.commune;
  const epci = territory.epciOf(commune);
  const seuil = reference.seuilPremierQuartile(epci, Number(a.bail.signeLe.slice(0, 4)));
  const perUc = resourcesPerUc(j);
  const quartileConnu = seuil !== undefined && perUc !== undefined;
  const candidat = a.candidats.find((c) => c.demandId === a.bail.demandId);
  const dalo = a.bail.dalo || (j.demand?.dalo ?? candidat?.dalo ?? false);
  return {
    signeLe: a.bail.signeLe,
    epci,
    reservataireId: a.bail.reservataireId,
    contingent: a.bail.contingent,
    enQpv: j.unit?.qpv ?? false,
    premierQuartile: quartileConnu && (perUc as number) < (seuil as number),
    relogeRenouvellementUrbain: false,
    dalo,
    prioritaire: dalo || (j.demand?.prioritaire ?? false),
    bailleurId: a.bail.bailleur,
    ...(commune === undefined ? {} : { commune }),
    ...((j.unit?.typologie ?? a.typologie) === undefined ? {} : { typologie: j.unit?.typologie ?? a.typologie }),
    sansDomicile: j.demand !== undefined && SANS_DOMICILE.has(j.demand.modeleLogement),
    qpvConnu: j.unit !== undefined,
    quartileConnu,
  };
}

export interface LigneAttributions {
  cle: string;
  libelle: string;
  attributions: number;
  dalo: number;
  /** DALO or L441-1 priority households. */
  prioritaires: number;
  partPrioritaires?: number;
  horsQpv: number;
  /** Of which first-quartile households. */
  premierQuartileHorsQpv: number;
  enQpv: number;
  logementDAbord: number;
}

export interface StatistiquesAttributions {
  periode: Periode;
  ensemble: Omit<LigneAttributions, "cle" | "libelle">;
  parReservataire: LigneAttributions[];
  parContingent: LigneAttributions[];
  parBailleur: LigneAttributions[];
  parCommune: LigneAttributions[];
  parTypologie: LigneAttributions[];
  /** Offers of the vacancies let during the period. */
  offres: { faites: number; acceptees: number; refusees: number; echues: number };
  /** The commissions' decisions of the period's sessions, by type (R441-3). */
  decisions: Record<string, number>;
  /** Leases whose unit flux has not described yet (QPV unknown, counted outside QPV), or whose quartile is unknown. */
  inconnus: { qpv: number; quartile: number };
}

const round1 = (v: number) => Math.round(v * 10) / 10;

function line(facts: readonly LeaseFactFull[]): Omit<LigneAttributions, "cle" | "libelle"> {
  const prioritaires = facts.filter((f) => f.prioritaire).length;
  const horsQpv = facts.filter((f) => !f.enQpv);
  return {
    attributions: facts.length,
    dalo: facts.filter((f) => f.dalo).length,
    prioritaires,
    ...(facts.length === 0 ? {} : { partPrioritaires: round1((prioritaires * 100) / facts.length) }),
    horsQpv: horsQpv.length,
    premierQuartileHorsQpv: horsQpv.filter((f) => f.premierQuartile).length,
    enQpv: facts.length - horsQpv.length,
    logementDAbord: facts.filter((f) => f.sansDomicile).length,
  };
}

function by(
  facts: readonly LeaseFactFull[],
  keyOf: (f: LeaseFactFull) => string,
  labelOf: (k: string) => string,
): LigneAttributions[] {
  const groups = new Map<string, LeaseFactFull[]>();
  for (const f of facts) groups.set(keyOf(f), [...(groups.get(keyOf(f)) ?? []), f]);
  return [...groups.entries()]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([cle, g]) => ({ cle, libelle: labelOf(cle), ...line(g) }));
}

/** The attributions (signed leases) of the period, from the joined facts, and the CAL's activity. */
export function attributionStatistics(
  leases: readonly { fact: LeaseFactFull; attribution: AttributionRow }[],
  sessions: readonly SessionRow[],
  periode: Periode,
  labels: { contingent: (code: string) => string; epci: (siren: string) => string },
): StatistiquesAttributions {
  const inPeriod = leases.filter((l) => l.fact.signeLe >= periode.du && l.fact.signeLe <= periode.au);
  const facts = inPeriod.map((l) => l.fact);
  const offres = { faites: 0, acceptees: 0, refusees: 0, echues: 0 };
  for (const l of inPeriod)
    for (const k of Object.keys(offres) as (keyof typeof offres)[]) offres[k] += l.attribution.offres[k];
  const decisions: Record<string, number> = {};
  for (const s of sessions) {
    if (s.annulee || s.date === undefined || s.date < periode.du || s.date > periode.au) continue;
    for (const [type, n] of Object.entries(s.decisions)) decisions[type] = (decisions[type] ?? 0) + n;
  }
  const same = (k: string) => k;
  return {
    periode,
    ensemble: line(facts),
    parReservataire: by(facts, (f) => f.reservataireId, same),
    parContingent: by(facts, (f) => f.contingent, labels.contingent),
    parBailleur: by(facts, (f) => f.bailleurId, same),
    parCommune: by(facts, (f) => f.commune ?? "non renseignée", same),
    parTypologie: by(facts, (f) => f.typologie ?? "non renseignée", same),
    offres,
    decisions,
    inconnus: { qpv: facts.filter((f) => !f.qpvConnu).length, quartile: facts.filter((f) => !f.quartileConnu).length },
  };
}

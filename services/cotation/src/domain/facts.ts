import { codesOf, type DemandFacts, labelOf } from "@logis/contracts";
import type { Referentiels } from "./referentiels.js";

// The facts a grid may name (domain reference §4.3–4.5). Each is read from the demand as the
// registration events carry it, or derived from it (rent burden, over-occupation, seniority).
// Adding a fact = one entry here + its extraction below; the engine stores it in a column of its type.
// The codes of some facts come from the reference data (referentiels.json), loaded in compose.ts and
// passed in: `factCatalogueOf(referentiels)` is built once there and given to whoever needs it.

export type FactType = "bool" | "number" | "code" | "codeSet" | "commune";

export interface FactDef {
  readonly name: string;
  readonly libelle: string;
  readonly type: FactType;
  /** Allowed codes for `code` and `codeSet` facts. */
  readonly codes?: readonly string[];
  /** Possible values of a number fact: a condition outside them can never hold. */
  readonly min?: number;
  readonly max?: number;
  /** Grows with time (computed when scoring, never stored): the seniority criterion. */
  readonly temporal?: boolean;
}

/** The window of the refusal fact (`refus12Mois`): refusals of suitable units in the months before the day scored. */
export const REFUSAL_WINDOW_MONTHS = 12;

/** A refusal as registration (later the CAL service) records it. */
export interface Refusal {
  on: string;
  suitable: boolean;
}

/** Refusals of suitable units in the window ending on `asOf` (both `YYYY-MM-DD`); unsuitable units never count. */
export function refusalsInWindow(refusals: readonly Refusal[], asOf: string): number {
  return refusals.filter((r) => r.suitable && r.on <= asOf && monthsBetween(r.on, asOf) < REFUSAL_WINDOW_MONTHS).length;
}

const number = (name: string, libelle: string, min: number, max: number, temporal = false): FactDef => ({
  name,
  libelle,
  type: "number",
  min,
  max,
  temporal,
});

/** The facts a grid may name, with the reference data their codes come from. */
export interface FactCatalogue {
  /** In catalogue order (the projection lays its columns out in this order). */
  readonly facts: readonly FactDef[];
  readonly byName: ReadonlyMap<string, FactDef>;
  readonly referentiels: Referentiels;
}

const factsOf = (referentiels: Referentiels): FactDef[] => [
  { name: "dalo", libelle: "Statut DALO", type: "code", codes: codesOf("statutDalo") },
  {
    name: "prioritesL441",
    libelle: "Publics prioritaires (L441-1)",
    type: "codeSet",
    codes: Object.keys(referentiels.prioritesL441),
  },
  { name: "accordCollectif", libelle: "Accord collectif", type: "code", codes: ["ACD", "ACI", "AUCUN"] },
  { name: "modeleLogement", libelle: "Logement actuel", type: "code", codes: codesOf("modeleLogement") },
  { name: "motifs", libelle: "Motifs de la demande", type: "codeSet", codes: codesOf("motifDemande") },
  {
    name: "justificatifs",
    libelle: "Pièces justificatives vérifiées",
    type: "codeSet",
    codes: Object.keys(referentiels.justificatifs),
  },
  { name: "typologies", libelle: "Typologies souhaitées", type: "codeSet", codes: codesOf("typeLogement") },
  {
    name: "typeContrat",
    libelle: "Situation professionnelle du demandeur",
    type: "code",
    codes: codesOf("typeContratTravail"),
  },
  { name: "handicap", libelle: "Situation de handicap dans le ménage", type: "bool" },
  { name: "violencesFamiliales", libelle: "Violences familiales déclarées", type: "bool" },
  { name: "parentIsole", libelle: "Parent isolé", type: "bool" },
  { name: "mutation", libelle: "Locataire du parc social (mutation)", type: "bool" },
  { name: "logementAdapteDemande", libelle: "Logement adapté demandé", type: "bool" },
  number("personnes", "Personnes du ménage", 1, 40),
  number("occupants", "Occupants du logement actuel", 1, 30),
  number("surface", "Surface du logement actuel (m²)", 0, 1000),
  number("surfaceParOccupant", "Surface par occupant (m²)", 0, 1000),
  number("occupantsAuDelaDesPieces", "Occupants au-delà du nombre de pièces", -30, 30),
  number("loyer", "Loyer mensuel actuel (€)", 0, 1_000_000),
  number("ressourcesMensuelles", "Ressources mensuelles du ménage (€)", 0, 10_000_000),
  number(
    "revenuFiscalPlancher",
    "Revenu fiscal de référence le plus bas connu du foyer, N-2 ou N-1 (€ ; 0 : non renseigné)",
    0,
    100_000_000,
  ),
  number("enfantsGardeAlternee", "Enfants en garde alternée", 0, 20),
  number("tauxEffort", "Taux d'effort (loyer / ressources)", 0, 10),
  number("resteAVivreJourUC", "Reste à vivre par jour et par unité de consommation (€)", -100_000, 1_000_000),
  number("ageDemandeur", "Âge du demandeur", 0, 130),
  number("enfantsMineurs", "Enfants mineurs à charge", 0, 40),
  number("refus12Mois", `Refus de logements adaptés sur ${REFUSAL_WINDOW_MONTHS} mois`, 0, 255),
  number("ancienneteMois", "Ancienneté de la demande (mois)", 0, 1200, true),
  { name: "communeTravail", libelle: "Commune de travail", type: "commune" },
];

export function factCatalogueOf(referentiels: Referentiels): FactCatalogue {
  const facts = factsOf(referentiels);
  return { facts, byName: new Map(facts.map((f) => [f.name, f])), referentiels };
}

/** A demand's facts as plain values: what the interpreter reads and the projection stores. */
export type FactValue = boolean | number | string | readonly string[] | undefined;
export type FactValues = Record<string, FactValue>;

/** What the projection keeps about a demand besides the facts. */
export interface DemandHeader {
  /** First deposit date, `YYYY-MM-DD` (seniority and the first tie-break). */
  dateDepot: string;
  /** Wished communes (INSEE), in the order of the form. */
  communes: readonly string[];
}

const PIECES: Record<string, number> = { C: 1, T1: 1, T2: 2, T3: 3, T4: 4, T5: 5, T6P: 6 };
const round2 = (v: number) => Math.round(v * 100) / 100;

export const ageAt = (birth: string, on: string): number => {
  const [by, bm, bd] = birth.split("-").map(Number) as [number, number, number];
  const [y, m, d] = on.split("-").map(Number) as [number, number, number];
  return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
};

/** Whole months from `from` to `to` (both `YYYY-MM-DD`), never negative. */
export const monthsBetween = (from: string, to: string): number => {
  const [fy, fm, fd] = from.split("-").map(Number) as [number, number, number];
  const [ty, tm, td] = to.split("-").map(Number) as [number, number, number];
  return Math.max(0, (ty - fy) * 12 + (tm - fm) - (td < fd ? 1 : 0));
};

/**
 * The stored facts of a demand (everything but the temporal ones), as of `on` (ages). `extra` carries
 * what other services tell us: verified pieces, refusals over the last twelve months.
 */
export function extractFacts(
  demand: DemandFacts,
  on: string,
  extra: { justificatifs?: readonly string[]; refus12Mois?: number } = {},
): FactValues {
  const adults = [demand.demandeur, ...(demand.cotitulaire ? [demand.cotitulaire] : [])];
  const children = demand.personnesACharge.filter((p) => ageAt(p.dateNaissance, on) < 18);
  const personnes =
    1 + (demand.cotitulaire ? 1 : 0) + demand.personnesACharge.length + (demand.naissanceAttendue?.nombre ?? 0);
  const ressources = adults.reduce(
    (sum, a) => sum + (a.ressources?.mensuelles ?? []).reduce((s, r) => s + r.montant, 0),
    0,
  );
  const loyer = demand.logementActuel.loyerMensuel ?? 0;
  const occupants = demand.logementActuel.nombreOccupants;
  const surface = demand.logementActuel.surface ?? 0;
  const pieces = demand.logementActuel.typeLogement ? PIECES[demand.logementActuel.typeLogement] : undefined;
  // Consumption units (OECD scale): 1 for the first adult, 0.5 per other person of 14 or more, 0.3 below.
  const others = [
    ...(demand.cotitulaire ? [demand.cotitulaire.dateNaissance] : []),
    ...demand.personnesACharge.map((p) => p.dateNaissance),
  ];
  const uc = 1 + others.reduce((s, birth) => s + (ageAt(birth, on) >= 14 ? 0.5 : 0.3), 0);
  const tauxEffort = loyer === 0 ? 0 : ressources === 0 ? 10 : Math.min(10, loyer / ressources);
  const workplaces = adults.map((a) => a.situationProfessionnelle.communeTravail).filter((c) => c !== undefined);
  // The lowest reference income the CAL could retain (N-2, or N-1 when lower): its ceiling prefilter
  // must never be stricter than its eligibility. Known only when every adult's figure is.
  const revenuFiscal = (key: "montantN2" | "montantN1") => {
    const values = adults.map((a) => a.ressources?.revenuFiscal?.[key]);
    return values.every((v) => v !== undefined) ? values.reduce<number>((s, v) => s + (v ?? 0), 0) : undefined;
  };
  const known = [revenuFiscal("montantN2"), revenuFiscal("montantN1")].filter((v) => v !== undefined);
  return {
    dalo: demand.situations.dalo.statut,
    prioritesL441: demand.situations.prioritesL441,
    accordCollectif: demand.situations.accordCollectif,
    modeleLogement: demand.logementActuel.modele,
    motifs: demand.motifs.map((m) => m.code),
    justificatifs: extra.justificatifs,
    typologies: demand.souhaits.typologies,
    typeContrat: demand.demandeur.situationProfessionnelle.typeContrat,
    handicap: demand.situations.handicap,
    violencesFamiliales: demand.situations.violencesFamiliales,
    parentIsole: !demand.cotitulaire && (children.length > 0 || demand.enfantsEnGarde.length > 0),
    mutation: demand.logementActuel.modele === "HLM",
    logementAdapteDemande: demand.souhaits.logementAdapte,
    personnes,
    occupants,
    surface,
    surfaceParOccupant: round2(surface / occupants),
    occupantsAuDelaDesPieces: pieces === undefined ? -30 : occupants - pieces,
    loyer,
    ressourcesMensuelles: round2(ressources),
    revenuFiscalPlancher: known.length > 0 ? Math.min(...known) : undefined,
    enfantsGardeAlternee: demand.enfantsEnGarde.filter((e) => e.coParentalite === "G").length,
    tauxEffort: round2(tauxEffort),
    resteAVivreJourUC: round2((ressources - loyer) / uc / 30),
    ageDemandeur: ageAt(demand.demandeur.dateNaissance, on),
    enfantsMineurs: children.length,
    refus12Mois: extra.refus12Mois,
    communeTravail: workplaces[0],
  };
}

/** Temporal facts as of a day. */
export const temporalFacts = (header: Pick<DemandHeader, "dateDepot">, asOf: string): FactValues => ({
  ancienneteMois: monthsBetween(header.dateDepot, asOf),
});

export const describeCode = ({ referentiels }: FactCatalogue, fact: string, code: string): string => {
  if (fact === "prioritesL441") return referentiels.prioritesL441[code] ?? code;
  if (fact === "justificatifs") return referentiels.justificatifs[code] ?? code;
  if (fact === "motifs") return labelOf("motifDemande", code);
  if (fact === "modeleLogement") return labelOf("modeleLogement", code);
  return code;
};

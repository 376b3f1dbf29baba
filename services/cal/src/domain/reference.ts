import { z } from "zod";

// Schemas of the CAL's versioned reference data (config/): income ceilings per year, the zone of a
// commune, and the attribution rules (typology per household size, thresholds, delays). The files
// are read by adapters/files/reference.ts in compose.ts; the domain only receives parsed data.

const day = z.iso.date();

export const Zone = z.enum(["paris_limitrophes", "ile_de_france", "autres"]);
export type Zone = z.infer<typeof Zone>;
export const zoneLabel: Record<Zone, string> = {
  paris_limitrophes: "Paris et communes limitrophes",
  ile_de_france: "Île-de-France hors Paris et communes limitrophes",
  autres: "autres régions",
};

export const FinancementPlafond = z.enum(["PLAI", "PLUS", "PLS"]);
export type FinancementPlafond = z.infer<typeof FinancementPlafond>;

/** Annual ceilings of categories 1 to 6, then the amount per extra person. */
const Bareme = z.object({
  categories: z.array(z.number().positive()).length(6),
  parPersonneSupplementaire: z.number().positive(),
});
/** A ceiling given by its figures, or derived from another financing's (PLS = PLUS × 1.30, rounded to the euro). */
const Plafond = z.union([Bareme, z.object({ derive: FinancementPlafond, facteur: z.number().positive() })]);

/** One year's ceilings (a new year is a new table, never an edit). */
export const TablePlafonds = z.object({
  id: z.string().min(1),
  validFrom: day,
  validTo: day.optional(),
  source: z.string().min(1),
  plafonds: z.partialRecord(FinancementPlafond, z.partialRecord(Zone, Plafond)),
});
export type TablePlafonds = z.infer<typeof TablePlafonds>;

/** The zone of a commune: a listed commune, else its département's zone, else `autres`. */
export const ZonesCommunes = z.object({
  id: z.string().min(1),
  source: z.string().min(1),
  communes: z.record(z.string(), Zone),
  departements: z.record(z.string(), Zone),
});
export type ZonesCommunes = z.infer<typeof ZonesCommunes>;

const Typo = z.enum(["T1", "T2", "T3", "T4", "T5", "T6P"]);

/** The attribution rules in force from `validFrom` (thresholds are local choices: set per territory). */
export const ReglesAttribution = z.object({
  id: z.string().min(1),
  validFrom: day,
  /** Typologies suited to a household of n persons (the last line holds for larger households). */
  typologiesParTaille: z.array(z.object({ personnes: z.number().int().min(1), typologies: z.array(Typo).min(1) })),
  verifierTypologieSouhaitee: z.boolean(),
  /** Rent + estimated charges over monthly resources, refused above this rate (null: not checked). */
  tauxEffortMax: z.number().min(0).max(1).nullable(),
  chargesMensuellesParPiece: z.number().min(0),
  /** Remaining income per consumption unit and per day, refused below (null: not checked). */
  resteAVivreMinParUCJour: z.number().min(0).nullable(),
  /** N-1 income replaces N-2 when at least this much lower (R441-1: 10 %). */
  baisseRevenuN1: z.number().min(0).max(1),
  /** Sum of ages at most this for a young couple (jeune ménage). */
  ageMaxJeuneMenage: z.number().int().positive(),
  delaiReponseOffreJours: z.number().int().min(10),
  candidatsParLogement: z.number().int().min(3),
  /**
   * Months the préfet has to rehouse a household after a favourable DALO decision (L441-2-3-1: three,
   * six in Île-de-France): the examination of a vacancy with a DALO candidate is planned before.
   */
  delaiRelogementDaloMois: z.object({ ileDeFrance: z.number().int().min(1), ailleurs: z.number().int().min(1) }),
});
export type ReglesAttribution = z.infer<typeof ReglesAttribution>;

/** The EPCI of each commune: the ranking a unit's shortlist is drawn from is its EPCI's (decision 0011). */
export const EpcisCommunes = z.object({
  id: z.string().min(1),
  validFrom: day,
  source: z.string().min(1),
  epcis: z.array(
    z.object({ siren: z.string().regex(/^\d{9}$/), nom: z.string().min(1), communes: z.array(z.string()) }),
  ),
});
export type EpcisCommunes = z.infer<typeof EpcisCommunes>;

/** The tense-market communes (zones tendues) where leases are examined every three years (L442-5-2). */
export const ZonesTendues = z.object({
  id: z.string().min(1),
  validFrom: day,
  source: z.string().min(1),
  communes: z.array(z.string().regex(/^(\d{5}|2[AB]\d{3})$/)),
});
export type ZonesTendues = z.infer<typeof ZonesTendues>;

/** Everything eligibility needs, loaded once. */
export interface Referentiel {
  plafonds: readonly TablePlafonds[];
  zones: ZonesCommunes;
  regles: readonly ReglesAttribution[];
  /** Absent in tests that do not shortlist. */
  epcis?: EpcisCommunes | undefined;
  /** Absent in tests that do not examine occupancy. */
  zonesTendues?: ZonesTendues | undefined;
}

/** The SIREN of the EPCI a commune belongs to, if the referential knows it. */
export const epciOf = (referentiel: Referentiel, commune: string): string | undefined =>
  referentiel.epcis?.epcis.find((e) => e.communes.includes(commune))?.siren;

/** The version in force on `on`: the latest `validFrom` not after it (and not past its `validTo`). */
export function inForce<T extends { validFrom: string; validTo?: string | undefined }>(
  versions: readonly T[],
  on: string,
): T | undefined {
  return [...versions]
    .filter((v) => v.validFrom <= on && (v.validTo === undefined || on <= v.validTo))
    .sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1))[0];
}

export const zoneOf = (zones: ZonesCommunes, commune: string): Zone =>
  zones.communes[commune] ?? zones.departements[commune.slice(0, 2)] ?? "autres";

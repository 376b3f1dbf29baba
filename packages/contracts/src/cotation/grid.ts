import { z } from "zod";

// A cotation grid as data (domain reference §4.3): rubrics of criteria over facts of the demand.
// The shape is checked here; whether a fact exists, whether an operator suits it and whether a cap
// can be reached is checked by the cotation service when a draft is saved (it owns the facts).

const Code = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, "code attendu : majuscules, chiffres et _ (2 à 40)");
const FactName = z.string().min(1).max(60);
const Points = z.number().finite().min(-10_000).max(10_000);

/** One condition on one fact; a criterion is met when all its conditions hold. */
export const Condition = z.discriminatedUnion("op", [
  z.object({ fact: FactName, op: z.literal("is"), value: z.boolean() }),
  z.object({ fact: FactName, op: z.enum(["in", "notIn"]), values: z.array(z.string().min(1)).min(1) }),
  z.object({ fact: FactName, op: z.enum(["gt", "gte", "lt", "lte"]), value: z.number().finite() }),
  /** `min ≤ fact < max`. */
  z.object({ fact: FactName, op: z.literal("between"), min: z.number().finite(), max: z.number().finite() }),
  z.object({ fact: FactName, op: z.enum(["hasAny", "hasAll", "hasNone"]), values: z.array(z.string().min(1)).min(1) }),
  /** A commune fact (INSEE code) that lies in the grid's EPCI. */
  z.object({ fact: FactName, op: z.literal("inEpci") }),
]);
export type Condition = z.infer<typeof Condition>;

/** How many points a met criterion brings. */
export const PointsRule = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("fixed"), points: Points }),
  /** `pointsPerUnit × fact` (e.g. 2 per month of seniority, −50 per refusal), bounded by `cap` in absolute value. */
  z.object({
    kind: z.literal("perUnit"),
    fact: FactName,
    pointsPerUnit: Points,
    cap: z.number().finite().positive().optional(),
  }),
  /** Points by range of a numeric fact: the first band with `from ≤ fact < to` counts. */
  z.object({
    kind: z.literal("bands"),
    fact: FactName,
    bands: z.array(z.object({ from: z.number().finite(), to: z.number().finite().optional(), points: Points })).min(1),
  }),
]);
export type PointsRule = z.infer<typeof PointsRule>;

export const ProofLevels = ["declaratif", "justifie", "valide"] as const;

export const Criterion = z.object({
  code: Code,
  libelle: z.string().trim().min(1).max(200),
  when: z.array(Condition).max(10).default([]),
  points: PointsRule,
  /**
   * What proves the criterion (§4.3: points are provisional until the pieces are checked). Without
   * the listed pieces the criterion either counts provisionally (shown as such) or does not count.
   */
  preuve: z
    .object({
      niveau: z.enum(ProofLevels),
      justificatifs: z.array(z.string().min(1)).min(1),
      sansJustificatif: z.enum(["provisoire", "non_compte"]).default("provisoire"),
    })
    .optional(),
});
export type Criterion = z.infer<typeof Criterion>;

export const Rubric = z.object({
  code: Code,
  libelle: z.string().trim().min(1).max(200),
  /** `best`: only the criterion bringing the most points counts (exclusive rubric); `sum`: all add up. */
  mode: z.enum(["best", "sum"]),
  /** Upper bound of the rubric's points (positive rubrics) or lower bound in absolute value (maluses). */
  plafond: z.number().finite().positive().optional(),
  criteres: z.array(Criterion).min(1).max(64),
});
export type Rubric = z.infer<typeof Rubric>;

export const GridKind = z.enum(["unique", "primo", "mutation"]);
export type GridKind = z.infer<typeof GridKind>;

/** The rules of one grid version. */
export const GridRules = z.object({
  rubriques: z.array(Rubric).min(1).max(32),
  /** Overall cap; none means criteria add up without ceiling (Rhône/Lyon). */
  plafond: z.number().finite().positive().optional(),
  /** Overall floor, 0 by default (maluses never make a score negative). */
  plancher: z.number().finite().default(0),
});
export type GridRules = z.infer<typeof GridRules>;
export type GridRulesInput = z.input<typeof GridRules>;

export const Epci = z.string().regex(/^\d{9}$/, "SIREN d'EPCI attendu (9 chiffres)");

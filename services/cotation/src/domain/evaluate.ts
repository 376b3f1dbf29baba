import type { Condition, Criterion, GridRules, PointsRule } from "@logis/contracts";
import type { FactValue, FactValues } from "./facts.js";

// The reference semantics of a grid, one demand at a time. The compiled engine must give the same
// numbers (a property test compares them); this one also explains the score.

export interface ScoredCriterion {
  rubrique: string;
  code: string;
  libelle: string;
  points: number;
  /** Counted although its proof has not been checked yet (§4.3). */
  provisional: boolean;
}

export interface Evaluation {
  score: number;
  /** Criteria that count, in grid order, with their points. */
  criteria: ScoredCriterion[];
  rubriques: { code: string; points: number; capped: boolean }[];
}

export interface EvaluationContext {
  /** Communes of the grid's EPCI (for `inEpci`). */
  epciCommunes: ReadonlySet<string>;
}

const asList = (v: FactValue): readonly string[] => (Array.isArray(v) ? v : []);
const asNumber = (v: FactValue): number => (typeof v === "number" ? v : 0);

export function holds(c: Condition, facts: FactValues, ctx: EvaluationContext): boolean {
  const v = facts[c.fact];
  switch (c.op) {
    case "is":
      return (v === true) === c.value;
    case "in":
      return typeof v === "string" && c.values.includes(v);
    case "notIn":
      return typeof v === "string" && !c.values.includes(v);
    case "gt":
      return asNumber(v) > c.value;
    case "gte":
      return asNumber(v) >= c.value;
    case "lt":
      return asNumber(v) < c.value;
    case "lte":
      return asNumber(v) <= c.value;
    case "between":
      return asNumber(v) >= c.min && asNumber(v) < c.max;
    case "hasAny":
      return c.values.some((x) => asList(v).includes(x));
    case "hasAll":
      return c.values.every((x) => asList(v).includes(x));
    case "hasNone":
      return !c.values.some((x) => asList(v).includes(x));
    case "inEpci":
      return typeof v === "string" && ctx.epciCommunes.has(v);
  }
}

/** Points of a criterion whose conditions hold; undefined when a band table has no band for the value. */
export function pointsOf(points: PointsRule, facts: FactValues): number | undefined {
  switch (points.kind) {
    case "fixed":
      return points.points;
    case "perUnit": {
      const raw = points.pointsPerUnit * asNumber(facts[points.fact]);
      return points.cap === undefined ? raw : Math.max(-points.cap, Math.min(points.cap, raw));
    }
    case "bands": {
      const x = asNumber(facts[points.fact]);
      return points.bands.find((b) => x >= b.from && (b.to === undefined || x < b.to))?.points;
    }
  }
}

/** Whether the criterion counts, and whether provisionally. */
export function proofStatus(criterion: Criterion, facts: FactValues): "counts" | "provisional" | "excluded" {
  if (!criterion.preuve) return "counts";
  const held = asList(facts.justificatifs);
  if (criterion.preuve.justificatifs.every((j) => held.includes(j))) return "counts";
  return criterion.preuve.sansJustificatif === "provisoire" ? "provisional" : "excluded";
}

export function evaluate(rules: GridRules, facts: FactValues, ctx: EvaluationContext): Evaluation {
  const criteria: ScoredCriterion[] = [];
  const rubriques: Evaluation["rubriques"] = [];
  let total = 0;
  for (const rubric of rules.rubriques) {
    const met: ScoredCriterion[] = [];
    for (const criterion of rubric.criteres) {
      if (!criterion.when.every((c) => holds(c, facts, ctx))) continue;
      const proof = proofStatus(criterion, facts);
      if (proof === "excluded") continue;
      const points = pointsOf(criterion.points, facts);
      if (points === undefined || points === 0) continue;
      met.push({
        rubrique: rubric.code,
        code: criterion.code,
        libelle: criterion.libelle,
        points,
        provisional: proof === "provisional",
      });
    }
    let kept = met;
    if (rubric.mode === "best" && met.length > 1) {
      // The first criterion bringing the most points (grid order breaks ties).
      const best = met.reduce((a, b) => (b.points > a.points ? b : a));
      kept = [best];
    }
    let sum = 0;
    for (const c of kept) sum += c.points;
    let points = sum;
    if (rubric.plafond !== undefined) points = Math.max(-rubric.plafond, Math.min(rubric.plafond, sum));
    criteria.push(...kept);
    rubriques.push({ code: rubric.code, points, capped: points !== sum });
    total += points;
  }
  if (rules.plafond !== undefined) total = Math.min(rules.plafond, total);
  total = Math.max(rules.plancher, total);
  return { score: total, criteria, rubriques };
}

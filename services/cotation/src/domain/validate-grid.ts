import type { Condition, Criterion, GridRules, PointsRule } from "@logis/contracts";
import type { FactCatalogue, FactDef, FactType } from "./facts.js";

/** One reason a draft is refused: where (path in the grid), which criterion, why (French). */
export interface GridIssue {
  path: string;
  critere?: string;
  rubrique?: string;
  message: string;
}

/** The most criteria a grid may hold: the engine records which were met in two 32-bit words. */
export const MAX_CRITERIA = 64;

const opTypes: Record<Condition["op"], FactType> = {
  is: "bool",
  in: "code",
  notIn: "code",
  gt: "number",
  gte: "number",
  lt: "number",
  lte: "number",
  between: "number",
  hasAny: "codeSet",
  hasAll: "codeSet",
  hasNone: "codeSet",
  inEpci: "commune",
};

/** The interval `[lo, hi]` of a number fact that a condition keeps (open ends approximated by ε). */
function interval(c: Condition): [number, number] | undefined {
  const eps = 1e-9;
  switch (c.op) {
    case "gt":
      return [c.value + eps, Number.POSITIVE_INFINITY];
    case "gte":
      return [c.value, Number.POSITIVE_INFINITY];
    case "lt":
      return [Number.NEGATIVE_INFINITY, c.value - eps];
    case "lte":
      return [Number.NEGATIVE_INFINITY, c.value];
    case "between":
      return [c.min, c.max - eps];
    default:
      return undefined;
  }
}

const range = (f: FactDef): [number, number] => [f.min ?? Number.NEGATIVE_INFINITY, f.max ?? Number.POSITIVE_INFINITY];

/** The lowest and highest points a criterion can bring when met. */
function pointsSpan(points: PointsRule, facts: FactCatalogue["byName"]): [number, number] {
  switch (points.kind) {
    case "fixed":
      return [points.points, points.points];
    case "perUnit": {
      const [lo, hi] = range(facts.get(points.fact) ?? { name: "", libelle: "", type: "number" });
      const ends = [points.pointsPerUnit * lo, points.pointsPerUnit * hi].map((v) =>
        points.cap === undefined ? v : Math.max(-points.cap, Math.min(points.cap, v)),
      );
      return [Math.min(...ends), Math.max(...ends)];
    }
    case "bands": {
      const all = points.bands.map((b) => b.points);
      return [Math.min(...all), Math.max(...all)];
    }
  }
}

function checkCondition(
  c: Condition,
  path: string,
  issue: (path: string, message: string) => void,
  facts: FactCatalogue["byName"],
): void {
  const fact = facts.get(c.fact);
  if (!fact) {
    issue(`${path}.fact`, `fait inconnu « ${c.fact} »`);
    return;
  }
  const expected = opTypes[c.op];
  if (fact.type !== expected) {
    issue(`${path}.op`, `l'opérateur « ${c.op} » ne s'applique pas au fait « ${c.fact} » (${fact.type})`);
    return;
  }
  if ("values" in c && fact.codes) {
    c.values.forEach((v, k) => {
      if (!fact.codes?.includes(v)) issue(`${path}.values[${k}]`, `code « ${v} » inconnu pour le fait « ${c.fact} »`);
    });
  }
  if (c.op === "between" && c.min >= c.max) {
    issue(`${path}.min`, `intervalle impossible : min (${c.min}) doit être inférieur à max (${c.max})`);
    return;
  }
  const kept = interval(c);
  if (kept) {
    const [lo, hi] = range(fact);
    if (kept[0] > hi || kept[1] < lo)
      issue(`${path}.value`, `condition impossible : « ${c.fact} » prend ses valeurs entre ${lo} et ${hi}`);
  }
}

function checkPoints(
  points: PointsRule,
  path: string,
  issue: (path: string, message: string) => void,
  facts: FactCatalogue["byName"],
): void {
  if (points.kind === "fixed") {
    if (points.points === 0) issue(`${path}.points`, "un critère doit rapporter ou retirer des points (0 interdit)");
    return;
  }
  const fact = facts.get(points.fact);
  if (!fact) {
    issue(`${path}.fact`, `fait inconnu « ${points.fact} »`);
    return;
  }
  if (fact.type !== "number") {
    issue(`${path}.fact`, `le fait « ${points.fact} » n'est pas numérique`);
    return;
  }
  if (points.kind === "perUnit") {
    if (points.pointsPerUnit === 0) issue(`${path}.pointsPerUnit`, "points par unité nuls");
    const [, hi] = range(fact);
    if (points.cap !== undefined && Math.abs(points.pointsPerUnit) * hi < points.cap)
      issue(
        `${path}.cap`,
        `plafond inatteignable : au plus ${Math.abs(points.pointsPerUnit) * hi} points avec « ${points.fact} » ≤ ${hi}`,
      );
    return;
  }
  points.bands.forEach((b, k) => {
    if (b.to !== undefined && b.from >= b.to)
      issue(`${path}.bands[${k}].to`, `tranche impossible : de ${b.from} à ${b.to}`);
    const next = points.bands[k + 1];
    if (next && (b.to === undefined || next.from < b.to))
      issue(`${path}.bands[${k + 1}].from`, "les tranches doivent être croissantes et ne pas se chevaucher");
  });
}

/**
 * Everything that can be known about a grid without scoring a demand. An empty list means the
 * draft may be saved; each issue names the criterion (or rubric) and the field at fault. The facts
 * and proof pieces a grid may name come from `catalogue` (reference data, passed in).
 */
export function validateGrid(rules: GridRules, catalogue: FactCatalogue): GridIssue[] {
  const facts = catalogue.byName;
  const { justificatifs } = catalogue.referentiels;
  const issues: GridIssue[] = [];
  const rubricCodes = new Set<string>();
  const criterionCodes = new Set<string>();
  let count = 0;
  let gridMax = 0;
  rules.rubriques.forEach((rubric, r) => {
    const rpath = `rubriques[${r}]`;
    if (rubricCodes.has(rubric.code))
      issues.push({ path: `${rpath}.code`, rubrique: rubric.code, message: `code « ${rubric.code} » en double` });
    rubricCodes.add(rubric.code);
    const spans: [number, number][] = [];
    rubric.criteres.forEach((criterion: Criterion, c) => {
      count++;
      const cpath = `${rpath}.criteres[${c}]`;
      const issue = (path: string, message: string) =>
        issues.push({ path, critere: criterion.code, rubrique: rubric.code, message });
      if (criterionCodes.has(criterion.code)) issue(`${cpath}.code`, `code « ${criterion.code} » en double`);
      criterionCodes.add(criterion.code);
      criterion.when.forEach((cond, k) => {
        checkCondition(cond, `${cpath}.when[${k}]`, issue, facts);
      });
      // Conditions on one number fact must leave some value possible together.
      const byFact = new Map<string, [number, number]>();
      criterion.when.forEach((cond, k) => {
        const kept = interval(cond);
        const fact = facts.get(cond.fact);
        if (!kept || fact?.type !== "number") return;
        const [flo, fhi] = range(fact);
        if (Math.max(flo, kept[0]) > Math.min(fhi, kept[1])) return; // impossible alone: reported above
        const [lo, hi] = byFact.get(cond.fact) ?? [flo, fhi];
        const both: [number, number] = [Math.max(lo, kept[0]), Math.min(hi, kept[1])];
        if (both[0] > both[1])
          issue(`${cpath}.when[${k}]`, `conditions contradictoires sur « ${cond.fact} » : aucune valeur possible`);
        byFact.set(cond.fact, both);
      });
      checkPoints(criterion.points, `${cpath}.points`, issue, facts);
      criterion.preuve?.justificatifs.forEach((j, k) => {
        if (!(j in justificatifs))
          issue(`${cpath}.preuve.justificatifs[${k}]`, `pièce justificative « ${j} » inconnue`);
      });
      spans.push(pointsSpan(criterion.points, facts));
    });
    const positive = spans.map(([, hi]) => Math.max(0, hi));
    const negative = spans.map(([lo]) => Math.min(0, lo));
    const best = rubric.mode === "best";
    const rubricMax = best ? Math.max(0, ...positive) : positive.reduce((a, b) => a + b, 0);
    const rubricMin = best ? Math.min(0, ...negative) : negative.reduce((a, b) => a + b, 0);
    if (rubric.plafond !== undefined) {
      const reach = rubricMax > 0 ? rubricMax : -rubricMin;
      if (rubric.plafond > reach)
        issues.push({
          path: `${rpath}.plafond`,
          rubrique: rubric.code,
          message: `plafond inatteignable : la rubrique rapporte au plus ${reach} points`,
        });
    }
    gridMax += rubric.plafond !== undefined && rubricMax > 0 ? Math.min(rubric.plafond, rubricMax) : rubricMax;
  });
  if (count > MAX_CRITERIA)
    issues.push({ path: "rubriques", message: `${count} critères : au plus ${MAX_CRITERIA} par grille` });
  if (rules.plafond !== undefined && rules.plafond > gridMax)
    issues.push({ path: "plafond", message: `plafond inatteignable : la grille rapporte au plus ${gridMax} points` });
  if (rules.plafond !== undefined && rules.plafond <= rules.plancher)
    issues.push({ path: "plancher", message: "le plancher doit être inférieur au plafond" });
  return issues;
}

import { pointsOf, proofStatus, type ScoredCriterion } from "../domain/evaluate.js";
import { temporalFacts } from "../domain/facts.js";
import type { CompiledGrid } from "./compile.js";
import type { Projection } from "./projection.js";

/**
 * The explanation of one score from the bits the kernel recorded: which criteria counted, and the
 * points each brought (recomputed from the demand's facts, for the per-unit and banded ones).
 */
export function explainRow(
  grid: CompiledGrid,
  projection: Projection,
  row: number,
  met0: number,
  met1: number,
  asOf: string,
  _epciCommunes: ReadonlySet<string>,
): { criteria: ScoredCriterion[] } {
  const { header, facts } = projection.readRow(row);
  const all = { ...facts, ...temporalFacts(header, asOf) };
  const criteria: ScoredCriterion[] = [];
  grid.criteria.forEach(({ code, rubrique, criterion }, k) => {
    const word = k < 32 ? met0 : met1;
    if (((word >>> (k & 31)) & 1) === 0) return;
    criteria.push({
      rubrique,
      code,
      libelle: criterion.libelle,
      points: pointsOf(criterion.points, all) ?? 0,
      provisional: proofStatus(criterion, all) === "provisional",
    });
  });
  return { criteria };
}

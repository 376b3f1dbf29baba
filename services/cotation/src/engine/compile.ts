import type { Condition, Criterion, GridRules, PointsRule } from "@logis/contracts";
import { MAX_CRITERIA, validateGrid } from "../domain/validate-grid.js";
import type { Columns, Projection } from "./projection.js";

// A grid becomes one straight-line JavaScript function over the projection's columns: no
// interpretation of the rules per demand, no object per demand. Only a validated grid compiles, and
// every value written into the source is a number (never text from the grid), so the generated code
// cannot be injected into.

export type Kernel = (
  cols: Columns,
  rows: Uint32Array,
  count: number,
  asOfMonth: number,
  asOfDay: number,
  epciLut: Uint8Array,
  scores: Float64Array,
  met0: Uint32Array,
  met1: Uint32Array,
) => void;

export interface CompiledGrid {
  readonly rules: GridRules;
  /** Criterion codes in bit order (bit k of the met words = criteria[k]). */
  readonly criteria: readonly { code: string; rubrique: string; criterion: Criterion }[];
  readonly kernel: Kernel;
  readonly source: string;
}

const num = (v: number): string => {
  if (!Number.isFinite(v)) throw new Error(`non-finite number in grid: ${v}`);
  return Object.is(v, -0) ? "0" : String(v);
};

/** Index of a column name in the generated code (names never reach the source). */
class Names {
  private readonly map = new Map<string, string>();
  readonly decls: string[] = [];
  col(kind: "code" | "set" | "num" | "commune", fact: string): string {
    const key = `${kind}:${fact}`;
    let local = this.map.get(key);
    if (!local) {
      local = `c${this.map.size}`;
      this.map.set(key, local);
      this.decls.push(`const ${local} = cols.${kind}[F[${this.decls.length}]];`);
      this.facts.push(fact);
    }
    return local;
  }
  readonly facts: string[] = [];
}

/** Compiles a grid for a projection: the facts and codes are those of the projection's catalogue. */
export function compileGrid(rules: GridRules, projection: Projection): CompiledGrid {
  const factsByName = projection.catalogue.byName;
  const issues = validateGrid(rules, projection.catalogue);
  if (issues.length > 0)
    throw new Error(`grid does not validate: ${issues.map((i) => `${i.path}: ${i.message}`).join("; ")}`);
  const { layout } = projection;
  const names = new Names();
  const luts: Uint8Array[] = [];
  let usesSeniority = false;

  const codeMask = (fact: string, values: readonly string[]): number => {
    const codes = factsByName.get(fact)?.codes ?? [];
    let mask = 0;
    for (const v of values) mask |= 1 << codes.indexOf(v);
    return mask >>> 0;
  };

  const value = (fact: string): string => {
    const def = factsByName.get(fact);
    if (def?.temporal) {
      usesSeniority = true;
      return "anc";
    }
    return `${names.col("num", fact)}[i]`;
  };

  const condition = (c: Condition): string => {
    switch (c.op) {
      case "is": {
        const bit = layout.bools.get(c.fact) ?? 0;
        return `((flags[i] >>> ${bit}) & 1) === ${c.value ? 1 : 0}`;
      }
      case "in":
      case "notIn": {
        const codes = factsByName.get(c.fact)?.codes ?? [];
        const lut = new Uint8Array(codes.length + 1);
        for (const v of c.values) lut[codes.indexOf(v) + 1] = 1;
        luts.push(lut);
        const col = names.col("code", c.fact);
        return c.op === "in"
          ? `L[${luts.length - 1}][${col}[i]] === 1`
          : `(${col}[i] !== 0 && L[${luts.length - 1}][${col}[i]] === 0)`;
      }
      case "gt":
        return `${value(c.fact)} > ${num(c.value)}`;
      case "gte":
        return `${value(c.fact)} >= ${num(c.value)}`;
      case "lt":
        return `${value(c.fact)} < ${num(c.value)}`;
      case "lte":
        return `${value(c.fact)} <= ${num(c.value)}`;
      case "between":
        return `(${value(c.fact)} >= ${num(c.min)} && ${value(c.fact)} < ${num(c.max)})`;
      case "hasAny":
        return `(${names.col("set", c.fact)}[i] & ${codeMask(c.fact, c.values)}) !== 0`;
      case "hasAll": {
        const m = codeMask(c.fact, c.values);
        return `((${names.col("set", c.fact)}[i] & ${m}) >>> 0) === ${m}`;
      }
      case "hasNone":
        return `(${names.col("set", c.fact)}[i] & ${codeMask(c.fact, c.values)}) === 0`;
      case "inEpci":
        return `epciLut[${names.col("commune", c.fact)}[i]] === 1`;
    }
  };

  const points = (p: PointsRule): string => {
    switch (p.kind) {
      case "fixed":
        return num(p.points);
      case "perUnit": {
        const raw = `${num(p.pointsPerUnit)} * ${value(p.fact)}`;
        return p.cap === undefined ? raw : `Math.max(${num(-p.cap)}, Math.min(${num(p.cap)}, ${raw}))`;
      }
      case "bands": {
        const x = value(p.fact);
        return `${p.bands
          .map(
            (b) =>
              `(${x} >= ${num(b.from)}${b.to === undefined ? "" : ` && ${x} < ${num(b.to)}`}) ? ${num(b.points)} : `,
          )
          .join("")}0`;
      }
    }
  };

  const criteria: CompiledGrid["criteria"][number][] = [];
  const body: string[] = [];
  rules.rubriques.forEach((rubric, r) => {
    const best = rubric.mode === "best";
    body.push(`// rubric ${r}`, best ? "rb = 0; rh = false; rw0 = 0; rw1 = 0;" : "rb = 0; rw0 = 0; rw1 = 0;");
    for (const criterion of rubric.criteres) {
      const k = criteria.length;
      if (k >= MAX_CRITERIA) throw new Error("too many criteria");
      criteria.push({ code: criterion.code, rubrique: rubric.code, criterion });
      const conds = criterion.when.map(condition);
      if (criterion.preuve?.sansJustificatif === "non_compte") {
        const m = codeMask("justificatifs", criterion.preuve.justificatifs);
        conds.push(`((${names.col("set", "justificatifs")}[i] & ${m}) >>> 0) === ${m}`);
      }
      const w0 = k < 32 ? (1 << k) >>> 0 : 0;
      const w1 = k >= 32 ? (1 << (k - 32)) >>> 0 : 0;
      const take = best
        ? `if (p !== 0 && (!rh || p > rb)) { rb = p; rh = true; rw0 = ${w0}; rw1 = ${w1}; }`
        : `if (p !== 0) { rb += p; rw0 |= ${w0}; rw1 |= ${w1}; }`;
      body.push(`if (${conds.length ? conds.join(" && ") : "true"}) { p = ${points(criterion.points)}; ${take} }`);
    }
    if (rubric.plafond !== undefined)
      body.push(`rb = Math.max(${num(-rubric.plafond)}, Math.min(${num(rubric.plafond)}, rb));`);
    body.push("total += rb; m0 |= rw0; m1 |= rw1;");
  });
  if (rules.plafond !== undefined) body.push(`total = Math.min(${num(rules.plafond)}, total);`);
  body.push(`total = Math.max(${num(rules.plancher)}, total);`);

  const source = [
    "return function kernel(cols, rows, count, asOfMonth, asOfDay, epciLut, scores, met0, met1) {",
    "const flags = cols.flags; const depotMonth = cols.depotMonth; const depotDay = cols.depotDay;",
    ...names.decls,
    "for (let k = 0; k < count; k++) {",
    "const i = rows[k];",
    "let total = 0, m0 = 0, m1 = 0, p = 0, rb = 0, rh = false, rw0 = 0, rw1 = 0;",
    usesSeniority ? "let anc = asOfMonth - depotMonth[i] - (asOfDay < depotDay[i] ? 1 : 0); if (anc < 0) anc = 0;" : "",
    ...body,
    "scores[k] = total; met0[k] = m0 >>> 0; met1[k] = m1 >>> 0;",
    "}",
    "};",
  ].join("\n");
  const kernel = new Function("L", "F", source)(luts, names.facts) as Kernel;
  return { rules, criteria, kernel, source };
}

/** The EPCI lookup table over the projection's commune dictionary (for `inEpci`). */
export function epciLookup(projection: Projection, communes: ReadonlySet<string>): Uint8Array {
  const lut = new Uint8Array(projection.communeCodes.length + 1);
  projection.communeCodes.forEach((code, k) => {
    if (communes.has(code)) lut[k + 1] = 1;
  });
  return lut;
}

export interface ScoreRun {
  rows: Uint32Array;
  scores: Float64Array;
  met0: Uint32Array;
  met1: Uint32Array;
}

/** Scores the given rows as of a day (`YYYY-MM-DD`). */
export function scoreRows(
  grid: CompiledGrid,
  projection: Projection,
  rows: Uint32Array,
  asOf: string,
  epciLut: Uint8Array,
): ScoreRun {
  const [y, m, d] = asOf.split("-").map(Number) as [number, number, number];
  const n = rows.length;
  const run = { rows, scores: new Float64Array(n), met0: new Uint32Array(n), met1: new Uint32Array(n) };
  grid.kernel(projection.cols, rows, n, y * 12 + m - 1, d, epciLut, run.scores, run.met0, run.met1);
  return run;
}

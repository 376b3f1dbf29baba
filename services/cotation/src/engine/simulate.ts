import { type CompiledGrid, scoreRows } from "./compile.js";
import type { Projection } from "./projection.js";
import { rankAll } from "./rank.js";

// What-if: a draft against the published grid over the live stock of one EPCI (issue 4).

export interface SimulationInput {
  projection: Projection;
  rows: Uint32Array;
  current: CompiledGrid | undefined;
  draft: CompiledGrid;
  asOf: string;
  epciLut: Uint8Array;
  seed: number;
  topN: number;
  movers?: number;
}

export interface Distribution {
  mean: number;
  median: number;
  p90: number;
  max: number;
  /** Histogram: `[from, to)` bins of equal width. */
  histogram: { from: number; to: number; count: number }[];
}

export interface Mover {
  numeroUnique: string;
  scoreBefore: number;
  scoreAfter: number;
  rankBefore: number;
  rankAfter: number;
}

export interface TopNChange {
  typologie: string;
  entering: number;
  leaving: number;
  /** Share of priority publics (DALO or an L441-1 category) in the top N, before and after. */
  priorityShareBefore: number;
  priorityShareAfter: number;
  sample: { entering: string[]; leaving: string[] };
}

export interface Simulation {
  demandes: number;
  asOf: string;
  before: Distribution | null;
  after: Distribution;
  /** Rank shifts (positive = better rank with the draft). */
  rankShift: { from: number; to: number; count: number }[] | null;
  movers: { up: Mover[]; down: Mover[] } | null;
  topN: { n: number; byTypology: TopNChange[] } | null;
  durationMs: number;
}

function distribution(scores: Float64Array, bins = 20): Distribution {
  const n = scores.length;
  if (n === 0) return { mean: 0, median: 0, p90: 0, max: 0, histogram: [] };
  const sorted = Float64Array.from(scores).sort();
  let sum = 0;
  for (let k = 0; k < n; k++) sum += sorted[k] as number;
  const min = sorted[0] as number;
  const max = sorted[n - 1] as number;
  const width = Math.max(1, Math.ceil((max - min + 1) / bins));
  const counts = new Array<number>(Math.ceil((max - min + 1) / width)).fill(0);
  for (let k = 0; k < n; k++) {
    const b = Math.floor(((sorted[k] as number) - min) / width);
    counts[b] = (counts[b] ?? 0) + 1;
  }
  return {
    mean: Math.round((sum / n) * 100) / 100,
    median: sorted[Math.floor((n - 1) / 2)] as number,
    p90: sorted[Math.floor((n - 1) * 0.9)] as number,
    max,
    histogram: counts.map((count, b) => ({ from: min + b * width, to: min + (b + 1) * width, count })),
  };
}

function shiftHistogram(shift: Int32Array, n: number): { from: number; to: number; count: number }[] {
  // Bins in percent of the population: ±0, up to 1 %, 5 %, 10 %, 25 %, more.
  const edges = [0.01, 0.05, 0.1, 0.25, 1.01].map((e) => Math.max(1, Math.round(e * n)));
  const bins = [
    ...edges
      .slice()
      .reverse()
      .map((e, k, all) => ({ from: -e, to: -(all[k + 1] ?? 0), count: 0 })),
    { from: 0, to: 1, count: 0 },
    ...edges.map((e, k) => ({ from: k === 0 ? 1 : (edges[k - 1] as number), to: e, count: 0 })),
  ];
  for (let k = 0; k < shift.length; k++) {
    const s = shift[k] as number;
    const bin = bins.find((b) => (s === 0 ? b.from === 0 : s >= b.from && s < b.to && b.from !== 0));
    if (bin) bin.count++;
  }
  return bins.filter((b) => b.to > b.from);
}

export function simulate(input: SimulationInput): Simulation {
  const started = performance.now();
  const { projection, rows, asOf, epciLut, seed, topN } = input;
  const n = rows.length;
  const after = scoreRows(input.draft, projection, rows, asOf, epciLut);
  const rankAfter = rankAll(projection, rows, after.scores, seed);
  if (!input.current) {
    return {
      demandes: n,
      asOf,
      before: null,
      after: distribution(after.scores),
      rankShift: null,
      movers: null,
      topN: null,
      durationMs: Math.round(performance.now() - started),
    };
  }
  const before = scoreRows(input.current, projection, rows, asOf, epciLut);
  const rankBefore = rankAll(projection, rows, before.scores, seed);
  const shift = new Int32Array(n);
  for (let k = 0; k < n; k++) shift[k] = (rankBefore.rank[k] as number) - (rankAfter.rank[k] as number);

  // Largest movers: a partial selection, not a full sort.
  const limit = input.movers ?? 20;
  const pick = (better: (a: number, b: number) => boolean): number[] => {
    const top: number[] = [];
    for (let k = 0; k < n; k++) {
      if (top.length < limit) {
        top.push(k);
        top.sort((a, b) => (better(a, b) ? -1 : 1));
      } else if (better(k, top[top.length - 1] as number)) {
        top[top.length - 1] = k;
        top.sort((a, b) => (better(a, b) ? -1 : 1));
      }
    }
    return top;
  };
  const mover = (k: number): Mover => ({
    numeroUnique: projection.numeros[rows[k] as number] ?? "",
    scoreBefore: before.scores[k] as number,
    scoreAfter: after.scores[k] as number,
    rankBefore: rankBefore.rank[k] as number,
    rankAfter: rankAfter.rank[k] as number,
  });
  const up = pick((a, b) => (shift[a] as number) > (shift[b] as number))
    .filter((k) => (shift[k] as number) > 0)
    .map(mover);
  const down = pick((a, b) => (shift[a] as number) < (shift[b] as number))
    .filter((k) => (shift[k] as number) < 0)
    .map(mover);

  // Top N per typology, before and after.
  const typologies = projection.cols.set.typologies as Uint32Array;
  const dalo = projection.cols.code.dalo as Uint8Array;
  const prio = projection.cols.set.prioritesL441 as Uint32Array;
  const factsByName = projection.catalogue.byName;
  const daloActif = (factsByName.get("dalo")?.codes ?? []).indexOf("ACTIF") + 1;
  const codes = factsByName.get("typologies")?.codes ?? [];
  const topOf = (order: Uint32Array, bit: number): number[] => {
    const out: number[] = [];
    for (let r = 0; r < n && out.length < topN; r++) {
      const k = order[r] as number;
      if ((((typologies[rows[k] as number] as number) >>> bit) & 1) === 1) out.push(k);
    }
    return out;
  };
  const priorityShare = (ks: number[]) =>
    ks.length === 0
      ? 0
      : Math.round(
          (ks.filter((k) => dalo[rows[k] as number] === daloActif || (prio[rows[k] as number] as number) !== 0).length /
            ks.length) *
            1000,
        ) / 1000;
  const byTypology: TopNChange[] = codes.map((typologie, bit) => {
    const b = topOf(rankBefore.order, bit);
    const a = topOf(rankAfter.order, bit);
    const inB = new Set(b);
    const inA = new Set(a);
    const entering = a.filter((k) => !inB.has(k));
    const leaving = b.filter((k) => !inA.has(k));
    const numero = (k: number) => projection.numeros[rows[k] as number] ?? "";
    return {
      typologie,
      entering: entering.length,
      leaving: leaving.length,
      priorityShareBefore: priorityShare(b),
      priorityShareAfter: priorityShare(a),
      sample: { entering: entering.slice(0, 10).map(numero), leaving: leaving.slice(0, 10).map(numero) },
    };
  });

  return {
    demandes: n,
    asOf,
    before: distribution(before.scores),
    after: distribution(after.scores),
    rankShift: shiftHistogram(shift, n),
    movers: { up, down },
    topN: { n: topN, byTypology },
    durationMs: Math.round(performance.now() - started),
  };
}

import { INLINE_COMMUNES, type Projection } from "./projection.js";

// Ranking: by decreasing score, then earliest first deposit, then a seeded draw (recorded with the
// grid so the order can be replayed). An LSD radix sort over the three keys: linear, no comparator
// calls, a few tens of milliseconds for a million demands.

/** A 32-bit mix of the demand's hash and the draw seed (murmur3 finaliser). */
export function draw(idHash: number, seed: number): number {
  let h = (idHash ^ seed) >>> 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Scores are ranked to the hundredth of a point. */
export const scoreKey = (score: number): number => {
  const q = Math.max(-2147483647, Math.min(2147483647, Math.round(score * 100)));
  return (2147483647 - q) >>> 0;
};

function radixPass(keys: Uint32Array, shift: number, bits: number, from: Uint32Array, to: Uint32Array): void {
  const size = 1 << bits;
  const mask = size - 1;
  const counts = new Uint32Array(size + 1);
  const n = from.length;
  for (let k = 0; k < n; k++) {
    const b = ((keys[from[k] as number] as number) >>> shift) & mask;
    counts[b] = (counts[b] as number) + 1;
  }
  let sum = 0;
  for (let b = 0; b < size; b++) {
    const c = counts[b] as number;
    counts[b] = sum;
    sum += c;
  }
  for (let k = 0; k < n; k++) {
    const idx = from[k] as number;
    const b = ((keys[idx] as number) >>> shift) & mask;
    const at = counts[b] as number;
    to[at] = idx;
    counts[b] = at + 1;
  }
}

/**
 * The order of positions 0..n−1 (indexes into `scores`/`rows`): best first. Sorting by the least
 * significant key first keeps earlier keys as tie-breaks (each pass is stable).
 */
export function rankOrder(projection: Projection, rows: Uint32Array, scores: Float64Array, seed: number): Uint32Array {
  return drive(rankOrderSteps(projection, rows, scores, seed));
}

/** Runs a sliced computation in one go. */
function drive<T>(steps: Generator<void, T>): T {
  let step = steps.next();
  while (!step.done) step = steps.next();
  return step.value;
}

/** rankOrder a step at a time: it yields after the keys and after each radix pass (a background rebuild hands the event loop back there). */
function* rankOrderSteps(
  projection: Projection,
  rows: Uint32Array,
  scores: Float64Array,
  seed: number,
): Generator<void, Uint32Array> {
  const n = rows.length;
  const { depotMonth, depotDay, idHash } = projection.cols;
  const kScore = new Uint32Array(n);
  const kDepot = new Uint32Array(n);
  const kDraw = new Uint32Array(n);
  for (let k = 0; k < n; k++) {
    const i = rows[k] as number;
    kScore[k] = scoreKey(scores[k] as number);
    kDepot[k] = ((depotMonth[i] as number) << 5) | (depotDay[i] as number);
    kDraw[k] = draw(idHash[i] as number, seed);
  }
  let a = new Uint32Array(n);
  let b = new Uint32Array(n);
  for (let k = 0; k < n; k++) a[k] = k;
  yield;
  const passes: [Uint32Array, number, number][] = [
    [kDraw, 0, 11],
    [kDraw, 11, 11],
    [kDraw, 22, 10],
    [kDepot, 0, 11],
    [kDepot, 11, 11],
    [kScore, 0, 11],
    [kScore, 11, 11],
    [kScore, 22, 10],
  ];
  for (const [keys, shift, bits] of passes) {
    radixPass(keys, shift, bits, a, b);
    [a, b] = [b, a];
    yield;
  }
  return a;
}

export interface Ranking {
  /** Positions best first. */
  order: Uint32Array;
  /** rank[k] = 1-based rank of position k. */
  rank: Uint32Array;
  /** Rank among demands with the same first typology and first commune, and that group's size. */
  rankSimilar: Uint32Array;
  ofSimilar: Uint32Array;
}

/** Ranks in the population, and among demands of the same first wish (typology × commune). */
export function rankAll(projection: Projection, rows: Uint32Array, scores: Float64Array, seed: number): Ranking {
  return drive(rankSteps(projection, rows, scores, seed));
}

/** rankAll a step at a time (see rankOrderSteps): the same ranking, with pauses possible between steps. */
export function* rankSteps(
  projection: Projection,
  rows: Uint32Array,
  scores: Float64Array,
  seed: number,
): Generator<void, Ranking> {
  const order = yield* rankOrderSteps(projection, rows, scores, seed);
  const n = rows.length;
  const rank = new Uint32Array(n);
  const cell = new Uint32Array(n);
  const typologies = projection.cols.set.typologies as Uint32Array;
  const { wished } = projection.cols;
  // One counter per (first commune, first typology) cell: a typed array, not a map (hot loop).
  const counter = new Uint32Array((projection.communeCodes.length + 1) * 32);
  const rankSimilar = new Uint32Array(n);
  for (let r = 0; r < n; r++) {
    const k = order[r] as number;
    rank[k] = r + 1;
    const i = rows[k] as number;
    const t = typologies[i] as number;
    const firstTypology = t === 0 ? 0 : 31 - Math.clz32(t & -t);
    const key = (wished[i * INLINE_COMMUNES] as number) * 32 + firstTypology;
    cell[k] = key;
    const c = (counter[key] as number) + 1;
    counter[key] = c;
    rankSimilar[k] = c;
  }
  yield;
  const ofSimilar = new Uint32Array(n);
  for (let k = 0; k < n; k++) ofSimilar[k] = counter[cell[k] as number] as number;
  return { order, rank, rankSimilar, ofSimilar };
}

export const decileOf = (rank: number, of: number): number => Math.min(10, Math.max(1, Math.ceil((rank * 10) / of)));

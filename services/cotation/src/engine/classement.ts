import { type CompiledGrid, scoreRows } from "./compile.js";
import { INLINE_COMMUNES, type Projection } from "./projection.js";
import { type Ranking, rankSteps } from "./rank.js";

// The ranked list of an EPCI's demands for one unit (decision 0011): the demands walked in rank
// order, kept when they pass a coarse prefilter over the columns, stopped after a page. The
// prefilter is looser than the CAL's eligibility (a superset: a demand it lets through may be refused
// there, never the reverse); the CAL applies its full rules to what comes back.

/** What the caller (the CAL) says about the unit; every bound is optional. */
export interface Prefilter {
  /** The unit's commune (INSEE): the demand wishes it. */
  commune?: string | undefined;
  /** The unit's typology: the demand wishes it (a room, `C`, counts as a T1). */
  typologie?: string | undefined;
  /** The largest household the typology admits: a larger household is left out. */
  personnesMax?: number | undefined;
  /** The unit is not adapted: households asking for an adapted unit are left out. */
  nonAdapte?: boolean | undefined;
  /** Rent + charges a month and the highest rent burden: a household whose resources cannot carry it is left out. */
  effort?: { coutMensuel: number; tauxMax: number } | undefined;
  /**
   * The unit's income ceilings (its financing and zone): categories 1 to 6 and the amount per extra
   * person. A household whose lowest known reference income is above the ceiling of the highest
   * category it could be in (persons + children in shared custody + 2) is left out; an unknown
   * income is kept (the CAL asks for the piece).
   */
  plafonds?: { categories: readonly number[]; parPersonneSupplementaire: number } | undefined;
}

/** One grid's ranking of the EPCI's population (the cached ranking of scoring.ts). */
export interface RankedPopulation {
  grid: { gridId: string; version: number };
  rows: Uint32Array;
  scores: Float64Array;
  ranking: Ranking;
}

export interface ClassementEntry {
  demandId: string;
  numeroUnique: string;
  rank: number;
  of: number;
  score: number;
  grid: { gridId: string; version: number };
}

export interface ClassementPage {
  demandes: ClassementEntry[];
  /** Demands walked (passed or not) for this page. */
  parcourues: number;
  /** The `after` of the next page, or null when the walk reached the end of every ranking. */
  suivant: number | null;
}

/** A row's test, with every column looked up once per call (the hot loop reads typed arrays only). */
export function prefilterOf(projection: Projection, filter: Prefilter): (row: number) => boolean {
  const c = projection.cols;
  const tests: ((row: number) => boolean)[] = [];
  if (filter.commune !== undefined) {
    const wanted = projection.communeCodes.indexOf(filter.commune) + 1;
    if (wanted === 0) return () => false;
    const { wished, wishedCount } = c;
    tests.push((row) => {
      const n = wishedCount[row] as number;
      for (let k = 0; k < Math.min(n, INLINE_COMMUNES); k++)
        if (wished[row * INLINE_COMMUNES + k] === wanted) return true;
      return n > INLINE_COMMUNES && projection.wishedOf(row).includes(wanted);
    });
  }
  if (filter.typologie !== undefined) {
    const codes = projection.layout.sets.get("typologies")?.codes ?? [];
    let mask = 0;
    codes.forEach((code, k) => {
      if (code === filter.typologie || (filter.typologie === "T1" && code === "C")) mask |= 1 << k;
    });
    const typologies = c.set.typologies as Uint32Array;
    tests.push((row) => ((typologies[row] as number) & mask) !== 0);
  }
  if (filter.personnesMax !== undefined) {
    const personnes = c.num.personnes as Float64Array;
    const max = filter.personnesMax;
    tests.push((row) => (personnes[row] as number) <= max);
  }
  if (filter.nonAdapte) {
    const bit = projection.layout.bools.get("logementAdapteDemande");
    if (bit !== undefined) tests.push((row) => (((c.flags[row] as number) >>> bit) & 1) === 0);
  }
  if (filter.effort) {
    const ressources = c.num.ressourcesMensuelles as Float64Array;
    // Cotation's resources are at least the CAL's (it does not deduct alimony paid): never stricter.
    const needed = filter.effort.coutMensuel / filter.effort.tauxMax;
    tests.push((row) => (ressources[row] as number) > 0 && (ressources[row] as number) >= needed - 0.01);
  }
  if (filter.plafonds) {
    const revenu = c.num.revenuFiscalPlancher as Float64Array | undefined;
    const personnes = c.num.personnes as Float64Array;
    const garde = c.num.enfantsGardeAlternee as Float64Array | undefined;
    const { categories, parPersonneSupplementaire } = filter.plafonds;
    const sixth = categories[5] ?? Number.POSITIVE_INFINITY;
    // The ceiling of the highest category a household of n persons can be in (a single parent with a
    // handicap ranks two above its persons: R441-1 and the arrêté of 29/07/1987).
    const ceilingFor = (n: number) => {
      const category = n + 2;
      return category <= 6 ? (categories[category - 1] ?? sixth) : sixth + (category - 6) * parPersonneSupplementaire;
    };
    if (revenu && garde)
      tests.push((row) => {
        const r = revenu[row] as number;
        return r <= 0 || r <= ceilingFor((personnes[row] as number) + (garde[row] as number));
      });
  }
  return (row) => {
    for (const test of tests) if (!test(row)) return false;
    return true;
  };
}

/**
 * Ranks of a population's demands per wished commune and per wished typology, each list in rank order
 * (CSR layout: the ranks of bucket k are `ranks[offsets[k]…offsets[k+1]]`). Bucket `commune × 7` holds
 * every demand wishing the commune, `commune × 7 + 1 + t` those also wishing the unit typology t (a
 * room counts as a T1). Built once per cached ranking, so that a unit's walk visits only the demands
 * wishing its commune and its typology (a few hundred of an EPCI's stock) instead of all.
 */
interface CommuneIndex {
  offsets: Uint32Array;
  ranks: Uint32Array;
}
const communeIndexes = new WeakMap<Ranking, CommuneIndex>();
const UNIT_TYPOLOGIES = ["T1", "T2", "T3", "T4", "T5", "T6P"] as const;
const BUCKETS = UNIT_TYPOLOGIES.length + 1;

/** The bit mask of the wished-typology codes each unit typology matches (a room counts as a T1). */
function typologyMasks(projection: Projection): number[] {
  const codes = projection.layout.sets.get("typologies")?.codes ?? [];
  return UNIT_TYPOLOGIES.map((t) => {
    let mask = 0;
    codes.forEach((code, k) => {
      if (code === t || (t === "T1" && code === "C")) mask |= 1 << k;
    });
    return mask;
  });
}

/**
 * The index built a slice of ranks at a time: each step does at most `slice` ranks of work, so that
 * a background rebuild can hand the event loop back between steps (the requests keep being served).
 */
function* communeIndexSteps(projection: Projection, p: RankedPopulation, slice: number): Generator<void, CommuneIndex> {
  const communes = projection.communeCodes.length + 1;
  const buckets = communes * BUCKETS;
  const { wished, wishedCount } = projection.cols;
  const typologies = projection.cols.set.typologies as Uint32Array;
  const masks = typologyMasks(projection);
  const { order } = p.ranking;
  const n = p.rows.length;
  const communesOf = (row: number): number[] => {
    const count = wishedCount[row] as number;
    const out: number[] = [];
    for (let k = 0; k < Math.min(count, INLINE_COMMUNES); k++) out.push(wished[row * INLINE_COMMUNES + k] as number);
    if (count > INLINE_COMMUNES)
      for (const c of projection.wishedOf(row).slice(INLINE_COMMUNES)) if (c < communes) out.push(c);
    return out;
  };
  // Two passes over the ranks: counts per bucket, then the fill in rank order.
  const offsets = new Uint32Array(buckets + 1);
  for (let r = 0; r < n; r++) {
    const row = p.rows[order[r] as number] as number;
    const wishes = typologies[row] as number;
    for (const c of communesOf(row)) {
      const base = c * BUCKETS;
      offsets[base + 1] = (offsets[base + 1] as number) + 1;
      for (let t = 0; t < masks.length; t++)
        if ((wishes & (masks[t] as number)) !== 0) offsets[base + t + 2] = (offsets[base + t + 2] as number) + 1;
    }
    if ((r + 1) % slice === 0) yield;
  }
  for (let k = 0; k < buckets; k++) offsets[k + 1] = (offsets[k + 1] as number) + (offsets[k] as number);
  const ranks = new Uint32Array(offsets[buckets] as number);
  const fill = offsets.slice(0, buckets);
  const put = (bucket: number, rank: number) => {
    ranks[fill[bucket] as number] = rank;
    fill[bucket] = (fill[bucket] as number) + 1;
  };
  for (let r = 0; r < n; r++) {
    const row = p.rows[order[r] as number] as number;
    const wishes = typologies[row] as number;
    for (const c of communesOf(row)) {
      const base = c * BUCKETS;
      put(base, r + 1);
      for (let t = 0; t < masks.length; t++) if ((wishes & (masks[t] as number)) !== 0) put(base + t + 1, r + 1);
    }
    if ((r + 1) % slice === 0) yield;
  }
  return { offsets, ranks };
}

function communeIndexOf(projection: Projection, p: RankedPopulation): CommuneIndex {
  const cached = communeIndexes.get(p.ranking);
  if (cached) return cached;
  const steps = communeIndexSteps(projection, p, Number.MAX_SAFE_INTEGER);
  let step = steps.next();
  while (!step.done) step = steps.next();
  communeIndexes.set(p.ranking, step.value);
  return step.value;
}

/**
 * Builds the per-commune index of a ranking a slice at a time, awaiting `pause` between slices (a
 * background rebuild: the ranking is served only once its index is ready, so no walk builds it).
 */
export async function prepareClassement(
  projection: Projection,
  p: RankedPopulation,
  pause: () => Promise<void>,
  slice = 10_000,
): Promise<void> {
  if (communeIndexes.has(p.ranking)) return;
  const steps = communeIndexSteps(projection, p, slice);
  let step = steps.next();
  while (!step.done) {
    await pause();
    step = steps.next();
  }
  communeIndexes.set(p.ranking, step.value);
}

/** The ranks to visit in a population, in order, from `after` (exclusive). */
function ranksOf(projection: Projection, p: RankedPopulation, filter: Prefilter, after: number) {
  if (filter.commune === undefined) {
    let rank = after;
    return () => (rank < p.rows.length ? ++rank : 0);
  }
  const id = projection.communeCodes.indexOf(filter.commune) + 1;
  const index = communeIndexOf(projection, p);
  const typology = filter.typologie === undefined ? -1 : UNIT_TYPOLOGIES.indexOf(filter.typologie as never);
  const bucket = id * BUCKETS + (typology < 0 ? 0 : typology + 1);
  if (id === 0 || bucket + 1 >= index.offsets.length) return () => 0;
  let at = index.offsets[bucket] as number;
  const end = index.offsets[bucket + 1] as number;
  // First rank above `after` (binary search in the bucket's rank-ordered list).
  let hi = end;
  while (at < hi) {
    const mid = (at + hi) >>> 1;
    if ((index.ranks[mid] as number) <= after) at = mid + 1;
    else hi = mid;
  }
  return () => (at < end ? (index.ranks[at++] as number) : 0);
}

/**
 * Walks the populations in rank order from `after` (exclusive) and returns the first `n` demands
 * that pass the prefilter; with a commune, only the demands wishing it (and the unit's typology,
 * when given) are visited. Several grids
 * (primo and mutation) are walked side by side, rank by rank; a page ends on a whole rank so that
 * `after` loses nothing.
 */
export function walkClassement(
  projection: Projection,
  populations: readonly RankedPopulation[],
  filter: Prefilter,
  options: { after: number; n: number },
): ClassementPage {
  const keep = prefilterOf(projection, filter);
  const demandes: ClassementEntry[] = [];
  let parcourues = 0;
  const cursors = populations.map((p) => {
    const next = ranksOf(projection, p, filter, options.after);
    return { p, next, rank: next() };
  });
  let last = options.after;
  for (;;) {
    let rank = 0;
    for (const c of cursors) if (c.rank !== 0 && (rank === 0 || c.rank < rank)) rank = c.rank;
    if (rank === 0) return { demandes, parcourues, suivant: null };
    if (demandes.length >= options.n && rank !== last) return { demandes, parcourues, suivant: last };
    for (const c of cursors) {
      if (c.rank !== rank) continue;
      const position = c.p.ranking.order[rank - 1] as number;
      const row = c.p.rows[position] as number;
      c.rank = c.next();
      parcourues++;
      if (!keep(row)) continue;
      demandes.push({
        demandId: projection.ids[row] as string,
        numeroUnique: projection.numeros[row] as string,
        rank,
        of: c.p.rows.length,
        score: c.p.scores[position] as number,
        grid: c.p.grid,
      });
    }
    last = rank;
  }
}

/**
 * A population's ranking built off the request path: scored a slice at a time, ranked, then its
 * per-commune index built a slice at a time, awaiting `pause` between slices so that the requests
 * keep being served the previous ranking meanwhile. The same ranking as a build in one go.
 */
export async function rankInSlices(
  projection: Projection,
  input: {
    grid: { gridId: string; version: number };
    compiled: CompiledGrid;
    rows: Uint32Array;
    asOf: string;
    epciLut: Uint8Array;
    seed: number;
  },
  pause: () => Promise<void>,
  slice = 10_000,
): Promise<RankedPopulation> {
  const { rows } = input;
  const n = rows.length;
  const scores = new Float64Array(n);
  for (let a = 0; a < n; a += slice) {
    await pause();
    const b = Math.min(n, a + slice);
    scores.set(scoreRows(input.compiled, projection, rows.subarray(a, b), input.asOf, input.epciLut).scores, a);
  }
  const steps = rankSteps(projection, rows, scores, input.seed);
  let step = steps.next();
  while (!step.done) {
    await pause();
    step = steps.next();
  }
  const ranking = step.value;
  const population = { grid: input.grid, rows, scores, ranking };
  await prepareClassement(projection, population, pause, slice);
  return population;
}

import { describe, expect, it } from "vitest";
import { catalogue, loadReferenceGrid } from "../testing/reference-data.js";
import { prng, syntheticFacts } from "../testing/synthetic.js";
import { type Prefilter, prefilterOf, type RankedPopulation, walkClassement } from "./classement.js";
import { compileGrid, epciLookup, scoreRows } from "./compile.js";
import { Projection, territoryIndex } from "./projection.js";
import { rankAll } from "./rank.js";

// The walk through the per-commune index gives exactly what a full scan of the ranking gives, page
// by page, for one grid or two walked side by side (primo and mutation).

const communes = ["69381", "69382", "69383", "69123", "69266"];
const p = new Projection(catalogue, territoryIndex([{ siren: "200046977", communes }]), 16);
const r = prng(11);
for (let k = 0; k < 4000; k++) {
  const { header, facts } = syntheticFacts(r, communes);
  p.upsert(`dem_${k}`, `069${String(k).padStart(13, "0")}AA`, header, facts, 1);
}
const rules = loadReferenceGrid("synthetique").rules;
const mutationBit = p.layout.bools.get("mutation") ?? 0;
const population = (mutation: boolean | undefined, id: string): RankedPopulation => {
  const rows = p.rowsOfEpci(1, (row) =>
    mutation === undefined ? true : ((((p.cols.flags[row] as number) >>> mutationBit) & 1) === 1) === mutation,
  );
  const run = scoreRows(compileGrid(rules, p), p, rows, "2026-11-22", epciLookup(p, new Set(communes)));
  return { grid: { gridId: id, version: 1 }, rows, scores: run.scores, ranking: rankAll(p, rows, run.scores, 3) };
};

/** The reference: every row of every population, filtered, ordered by rank then population. */
function fullScan(populations: RankedPopulation[], filter: Prefilter) {
  const keep = prefilterOf(p, filter);
  const out: { demandId: string; rank: number }[] = [];
  populations.forEach((pop) => {
    for (let k = 0; k < pop.rows.length; k++)
      if (keep(pop.rows[k] as number))
        out.push({ demandId: p.ids[pop.rows[k] as number] as string, rank: pop.ranking.rank[k] as number });
  });
  return out.sort((a, b) => a.rank - b.rank);
}

/** Every page of the walk, following `suivant`. */
function allPages(populations: RankedPopulation[], filter: Prefilter, n: number) {
  const out: { demandId: string; rank: number }[] = [];
  let after = 0;
  for (let pages = 0; pages < 10_000; pages++) {
    const page = walkClassement(p, populations, filter, { after, n });
    out.push(...page.demandes.map((d) => ({ demandId: d.demandId, rank: d.rank })));
    if (page.suivant === null) return out;
    after = page.suivant;
  }
  throw new Error("the walk does not end");
}

const filters: Prefilter[] = [
  {},
  { commune: "69382" },
  { commune: "69383", typologie: "T2", personnesMax: 3 },
  { commune: "69381", typologie: "T1", nonAdapte: true, effort: { coutMensuel: 600, tauxMax: 0.35 } },
  { commune: "99999" },
];

describe("walking an EPCI's ranking for one unit", () => {
  it.each(filters.map((f) => [JSON.stringify(f), f] as const))("%s: the pages add up to the full scan", (_, f) => {
    const one = [population(undefined, "grd_unique")];
    const expected = fullScan(one, f);
    for (const n of [1, 7, 30]) expect(allPages(one, f, n)).toEqual(expected);
    const first = walkClassement(p, one, f, { after: 0, n: 30 });
    expect(first.demandes.map((d) => d.demandId)).toEqual(expected.slice(0, 30).map((d) => d.demandId));
  });

  it("two grids (primo and mutation) walked side by side, rank by rank, a page never splitting a rank", () => {
    const two = [population(false, "grd_primo"), population(true, "grd_mutation")];
    const f = { commune: "69382" };
    const expected = fullScan(two, f);
    expect(expected.length).toBeGreaterThan(100);
    for (const n of [1, 5, 30]) {
      const got = allPages(two, f, n);
      expect(got.map((d) => d.rank)).toEqual(expected.map((d) => d.rank));
      expect(new Set(got.map((d) => d.demandId))).toEqual(new Set(expected.map((d) => d.demandId)));
    }
  });

  it("with a commune, only the demands wishing it are walked", () => {
    const one = [population(undefined, "grd_unique")];
    const page = walkClassement(p, one, { commune: "69382", typologie: "T6P" }, { after: 0, n: 30 });
    const wishing = fullScan(one, { commune: "69382" }).length;
    expect(page.demandes).toEqual([]);
    expect(page.parcourues).toBe(wishing);
    expect(page.suivant).toBeNull();
  });
});

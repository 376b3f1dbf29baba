import { household } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { extractFacts } from "../domain/facts.js";
import { catalogue, loadReferenceGrid } from "../testing/reference-data.js";
import { prng, syntheticFacts } from "../testing/synthetic.js";
import { type Prefilter, prefilterOf, type RankedPopulation, rankInSlices, walkClassement } from "./classement.js";
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

  it("with a commune, only the demands wishing it are walked; with a typology too, only those wishing both", () => {
    const one = [population(undefined, "grd_unique")];
    const rare = walkClassement(p, one, { commune: "69382", typologie: "T6P" }, { after: 0, n: 30 });
    expect(rare).toEqual({ demandes: [], parcourues: 0, suivant: null });
    const all = walkClassement(p, one, { commune: "69382", personnesMax: 0 }, { after: 0, n: 30 });
    expect(all.parcourues).toBe(fullScan(one, { commune: "69382" }).length);
    for (const typologie of ["T1", "T2", "T3"]) {
      const page = walkClassement(p, one, { commune: "69382", typologie, personnesMax: 0 }, { after: 0, n: 30 });
      expect(page.parcourues, typologie).toBe(fullScan(one, { commune: "69382", typologie }).length);
      expect(page.parcourues).toBeLessThan(all.parcourues);
    }
  });

  it("a ranking built a slice at a time off the request path is the ranking built in one go", async () => {
    const whole = population(undefined, "grd_unique");
    let pauses = 0;
    const sliced = await rankInSlices(
      p,
      {
        grid: whole.grid,
        compiled: compileGrid(rules, p),
        rows: whole.rows,
        asOf: "2026-11-22",
        epciLut: epciLookup(p, new Set(communes)),
        seed: 3,
      },
      async () => {
        pauses++;
      },
      500,
    );
    expect([...sliced.scores]).toEqual([...whole.scores]);
    expect([...sliced.ranking.order]).toEqual([...whole.ranking.order]);
    // Scoring in slices of 500 rows, then the index in slices: the event loop was handed back often.
    expect(pauses).toBeGreaterThan((2 * whole.rows.length) / 500);
    for (const f of filters)
      expect(walkClassement(p, [sliced], f, { after: 0, n: 30 })).toEqual(
        walkClassement(p, [whole], f, { after: 0, n: 30 }),
      );
  });
});

describe("the income ceiling of the prefilter (the unit's financing and zone, sent by the CAL)", () => {
  const plafonds = { categories: [10000, 15000, 20000, 25000, 32000, 40000], parPersonneSupplementaire: 5000 };
  const q = new Projection(catalogue, territoryIndex([{ siren: "200046977", communes }]), 8);
  const rows: Record<string, number> = {};
  const add = (name: string, facts: Record<string, number>) => {
    q.upsert(`dem_${name}`, `069${name.padStart(13, "0")}AA`, { dateDepot: "2024-01-01", communes }, facts, 1);
    rows[name] = q.rowOf(`dem_${name}`) as number;
  };
  // A single person may be in category 3 at most (with dependants or a handicap, two above its persons).
  add("1", { personnes: 1, enfantsGardeAlternee: 0, revenuFiscalPlancher: 20000 });
  add("2", { personnes: 1, enfantsGardeAlternee: 0, revenuFiscalPlancher: 20001 });
  // Two children in shared custody count: category 5 at most.
  add("3", { personnes: 1, enfantsGardeAlternee: 2, revenuFiscalPlancher: 32000 });
  // An unknown income is kept (the CAL asks for the piece).
  add("4", { personnes: 1, enfantsGardeAlternee: 0, revenuFiscalPlancher: 0 });
  // Six persons: category 8 at most, the sixth plus two extra persons.
  add("5", { personnes: 6, enfantsGardeAlternee: 0, revenuFiscalPlancher: 50000 });
  add("6", { personnes: 6, enfantsGardeAlternee: 0, revenuFiscalPlancher: 50001 });

  it("leaves out a household above the ceiling of every category it could be in, keeps the others", () => {
    const keep = prefilterOf(q, { plafonds });
    expect(Object.keys(rows).filter((name) => keep(rows[name] as number))).toEqual(["1", "3", "4", "5"]);
    // Without ceilings, nobody is left out for income.
    const all = prefilterOf(q, {});
    expect(Object.keys(rows).every((name) => all(rows[name] as number))).toBe(true);
  });

  it("the facts: the lowest known reference income of the household (N-2 or N-1), children in shared custody", () => {
    const facts = extractFacts(
      household((d) => {
        d.demandeur.ressources.revenuFiscal = { anneeN2: 2024, montantN2: 21000, anneeN1: 2025, montantN1: 19000 };
        d.enfantsEnGarde = [
          { dateNaissance: "2017-01-01", coParentalite: "G" },
          { dateNaissance: "2018-01-01", coParentalite: "D" },
        ];
      }),
      "2026-11-22",
    );
    expect(facts).toMatchObject({ revenuFiscalPlancher: 19000, enfantsGardeAlternee: 1 });
    const unknown = extractFacts(
      household((d) => {
        d.demandeur.ressources.revenuFiscal = {};
      }),
      "2026-11-22",
    );
    expect(unknown.revenuFiscalPlancher).toBeUndefined();
  });
});

import { describe, expect, it } from "vitest";
import { evaluate } from "../domain/evaluate.js";
import { temporalFacts } from "../domain/facts.js";
import { catalogue, loadReferenceGrid, referenceGridNames } from "../testing/reference-data.js";
import { prng, syntheticFacts } from "../testing/synthetic.js";
import { compileGrid, epciLookup, scoreRows } from "./compile.js";
import { explainRow } from "./explain.js";
import { Projection, Status, territoryIndex } from "./projection.js";
import { rankAll, rankOrder } from "./rank.js";

const communes = ["69381", "69382", "69383", "69123", "69266", "69248", "75056"];
const territory = territoryIndex([
  { siren: "200046977", communes: ["69381", "69382", "69383", "69123", "69266"] },
  { siren: "200071082", communes: ["69248"] },
]);
const lyonCommunes = new Set(["69381", "69382", "69383", "69123", "69266"]);

function stock(n: number, seed = 7): Projection {
  const p = new Projection(catalogue, territory, 16);
  const r = prng(seed);
  for (let k = 0; k < n; k++) {
    const { header, facts } = syntheticFacts(r, communes);
    p.upsert(`dem_${k}`, `069${String(k).padStart(15, "0")}`, header, facts, 1);
  }
  return p;
}

describe("the compiled engine gives exactly the reference semantics", () => {
  const p = stock(3000);
  const rows = p.rowsOfEpci(1);
  it.each(referenceGridNames())("%s: same score and same criteria as the interpreter for every demand", (name) => {
    const { rules } = loadReferenceGrid(name);
    const grid = compileGrid(rules, p);
    const run = scoreRows(grid, p, rows, "2026-11-22", epciLookup(p, lyonCommunes));
    let nonZero = 0;
    for (let k = 0; k < rows.length; k++) {
      const row = rows[k] as number;
      const { header, facts } = p.readRow(row);
      const expected = evaluate(
        rules,
        { ...facts, ...temporalFacts(header, "2026-11-22") },
        { epciCommunes: lyonCommunes },
      );
      expect(run.scores[k]).toBe(expected.score);
      const explained = explainRow(
        grid,
        p,
        row,
        run.met0[k] as number,
        run.met1[k] as number,
        "2026-11-22",
        lyonCommunes,
      );
      expect(explained.criteria).toEqual(expected.criteria);
      if (expected.score > 0) nonZero++;
    }
    expect(nonZero).toBeGreaterThan(rows.length / 10);
  });
});

describe("projection", () => {
  it("keeps a demand's row across updates, reads back what it stored, and reuses purged rows", () => {
    const p = stock(10);
    const r = prng(99);
    const { header, facts } = syntheticFacts(r, communes);
    const row = p.upsert("dem_3", "069000000000000003", header, facts, 2);
    expect(p.rowOf("dem_3")).toBe(row);
    const back = p.readRow(row);
    expect(back.header).toEqual({ ...header, communes: header.communes });
    for (const [k, v] of Object.entries(facts)) {
      if (v === undefined) expect(back.facts[k]).toBeUndefined();
      else if (Array.isArray(v)) expect([...(back.facts[k] as string[])].sort()).toEqual([...v].sort());
      else expect(back.facts[k]).toEqual(v);
    }
    expect(p.remove("dem_3")).toBe(true);
    const again = p.upsert("dem_new", "069000000000000099", header, facts, 1);
    expect(again).toBe(row);
    expect(p.rowOfNumeroUnique("069000000000000003")).toBeUndefined();
  });
  it("facts owned by other services survive an update from registration", () => {
    const p = stock(1);
    p.setExtra("dem_0", { justificatifs: ["JUGEMENT_EXPULSION"], refus12Mois: 2 });
    const { header, facts } = p.readRow(0);
    p.upsert("dem_0", "069000000000000000", header, { ...facts, justificatifs: undefined, refus12Mois: undefined }, 2);
    expect(p.readRow(0).facts).toMatchObject({ justificatifs: ["JUGEMENT_EXPULSION"], refus12Mois: 2 });
  });
  it("grows past its initial capacity and counts EPCI populations, leaving inactive demands out", () => {
    const p = stock(500);
    expect(p.capacity).toBeGreaterThanOrEqual(500);
    const all = p.rowsOfEpci(1).length;
    p.setStatus(p.ids[p.rowsOfEpci(1)[0] as number] as string, Status.radiated, 2);
    expect(p.rowsOfEpci(1).length).toBe(all - 1);
  });
});

describe("ranking", () => {
  const p = stock(2000);
  const rows = p.rowsOfEpci(1);
  const grid = compileGrid(loadReferenceGrid("rhone-lyon-primo").rules, p);
  const run = scoreRows(grid, p, rows, "2026-11-22", epciLookup(p, lyonCommunes));

  it("orders by score, then first deposit date, then the seeded draw", () => {
    const order = rankOrder(p, rows, run.scores, 42);
    for (let r = 1; r < order.length; r++) {
      const a = order[r - 1] as number;
      const b = order[r] as number;
      const sa = run.scores[a] as number;
      const sb = run.scores[b] as number;
      expect(sa).toBeGreaterThanOrEqual(sb);
      if (sa === sb) {
        const da = p.readRow(rows[a] as number).header.dateDepot;
        const db = p.readRow(rows[b] as number).header.dateDepot;
        expect(da <= db).toBe(true);
      }
    }
  });
  it("the same seed replays the same order; another seed reorders exact ties only", () => {
    const once = rankOrder(p, rows, run.scores, 42);
    expect(rankOrder(p, rows, run.scores, 42)).toEqual(once);
    const other = rankOrder(p, rows, run.scores, 43);
    expect(other).not.toEqual(once);
    const key = (k: number) => `${run.scores[k]}|${p.readRow(rows[k] as number).header.dateDepot}`;
    expect([...other].map(key)).toEqual([...once].map(key));
  });
  it("ranks within the population and among demands of the same first wish", () => {
    const ranking = rankAll(p, rows, run.scores, 42);
    expect([...ranking.rank].sort((a, b) => a - b)).toEqual(Array.from({ length: rows.length }, (_, k) => k + 1));
    for (let k = 0; k < rows.length; k++) {
      expect(ranking.rankSimilar[k]).toBeGreaterThanOrEqual(1);
      expect(ranking.rankSimilar[k]).toBeLessThanOrEqual(ranking.ofSimilar[k] as number);
    }
  });
});

// Shortlist benchmark (issue 12, decision 0011). Not a test: prints figures and ratios measured in this run.
//   pnpm --filter @logis/cotation bench:classement [demands=800000] [units=2000]
// The ranked list of one unit among `demands` demands of one EPCI: the walk in rank order with the
// CAL's coarse prefilter (with the unit's income ceilings), stopped at the first 30, against a plain
// full scan of the same population (every row filtered, the survivors sorted by rank, the first 30
// kept), for `units` random units; the worst case (a unit no demand fits) measured 200 times; then
// the stale ranking's rebuild off the request path (rankInSlices, as scoring.ts runs it): the walks
// of requests arriving every 5 ms while it runs, against the wait of a request that rebuilds in place.

import os from "node:os";
import {
  type Prefilter,
  prefilterOf,
  type RankedPopulation,
  rankInSlices,
  walkClassement,
} from "../src/engine/classement.js";
import { compileGrid, epciLookup, scoreRows } from "../src/engine/compile.js";
import { Projection, territoryIndex } from "../src/engine/projection.js";
import { rankAll } from "../src/engine/rank.js";
import { catalogue, loadReferenceGrid } from "../src/testing/reference-data.js";
import { prng, syntheticFacts } from "../src/testing/synthetic.js";

const [total = 800_000, unitCount = 2_000] = process.argv.slice(2).map(Number);
const asOf = "2026-11-22";
const PAGE = 30;
const fmt = (n: number, digits = 0) =>
  n.toLocaleString("fr-FR", { minimumFractionDigits: digits, maximumFractionDigits: digits });

const communes = Array.from({ length: 300 }, (_, k) => String(69001 + k));
const projection = new Projection(catalogue, territoryIndex([{ siren: "200046977", communes }]), total);
const r = prng(2026);
for (let k = 0; k < total; k++) {
  const { header, facts } = syntheticFacts(r, communes);
  // A reference income (the synthetic stock has none): about twelve months of resources, some unknown.
  const monthly = Number(facts.ressourcesMensuelles ?? 0);
  facts.revenuFiscalPlancher = r.chance(0.1) ? undefined : Math.round(monthly * r.int(9, 14));
  facts.enfantsGardeAlternee = r.chance(0.05) ? 1 : 0;
  projection.upsert(`dem_${k.toString(36).padStart(10, "0")}`, `069${String(k).padStart(13, "0")}AA`, header, facts, 1);
}
const grid = loadReferenceGrid("synthetique").rules;

// What the cached ranking of scoring.ts costs when it is (re)built: scoring and ranking the EPCI.
let started = performance.now();
const rows = projection.rowsOfEpci(1);
const run = scoreRows(compileGrid(grid, projection), projection, rows, asOf, epciLookup(projection, new Set(communes)));
const ranking = rankAll(projection, rows, run.scores, 42);
const population: RankedPopulation = { grid: { gridId: "grd_bench", version: 1 }, rows, scores: run.scores, ranking };
const buildMs = performance.now() - started;
// The per-commune index of the ranking, built on the first walk with a commune (cached with it).
started = performance.now();
walkClassement(projection, [population], { commune: communes[0] }, { after: 0, n: 1 });
const indexMs = performance.now() - started;

// Units: a random commune and typology, the household size the typology admits, a rent to carry.
const typologies = ["T1", "T2", "T3", "T4", "T5"] as const;
const maxPersons: Record<string, number> = { T1: 2, T2: 3, T3: 5, T4: 7, T5: 40, T6P: 40 };
const units: Prefilter[] = Array.from({ length: unitCount }, () => {
  const typologie = r.pick(typologies);
  return {
    commune: r.pick(communes),
    typologie,
    personnesMax: maxPersons[typologie],
    nonAdapte: r.chance(0.9),
    effort: { coutMensuel: r.int(250, 700), tauxMax: 0.35 },
    // PLUS (autres régions, 2026) for most units, PLAI for a quarter.
    plafonds: r.chance(0.25)
      ? { categories: [12870, 18753, 22550, 25091, 29358, 33085], parPersonneSupplementaire: 3690 }
      : { categories: [23403, 31254, 37584, 45374, 53376, 60156], parPersonneSupplementaire: 6711 },
  };
});
// The worst cases: a unit no demand fits (nobody passes: personnesMax 0), the walk to the end of its
// list, with the typology (the commune and typology's list) and without (the whole commune's list,
// when the rules do not check the wished typology).
const rare: Prefilter = { commune: communes[0], typologie: "T2", personnesMax: 0 };
const rareAnyTypology: Prefilter = { commune: communes[0], personnesMax: 0 };

/** The baseline: every row of the population filtered, survivors sorted by rank, the first 30. */
function fullScan(filter: Prefilter): number {
  const keep = prefilterOf(projection, filter);
  const kept: { row: number; rank: number }[] = [];
  for (let k = 0; k < rows.length; k++) {
    const row = rows[k] as number;
    if (keep(row)) kept.push({ row, rank: ranking.rank[k] as number });
  }
  return kept.sort((a, b) => a.rank - b.rank).slice(0, PAGE).length;
}

const percentile = (sorted: number[], p: number) =>
  sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0;
/** CPU time of this thread in ms (the time it ran, not the time it waited for a core: the machine is shared). */
const cpu = () => {
  const u = process.threadCpuUsage();
  return (u.user + u.system) / 1000;
};
function measure(label: string, fn: (u: Prefilter) => number): { p50: number; p99: number; cpu99: number } {
  for (const u of units.slice(0, 50)) fn(u); // warm-up
  const times: number[] = [];
  const cpus: number[] = [];
  let found = 0;
  for (const u of units) {
    const c = cpu();
    const t = performance.now();
    found += fn(u);
    times.push(performance.now() - t);
    cpus.push(cpu() - c);
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  const p50 = percentile(times, 50);
  const p99 = percentile(times, 99);
  const cpu99 = percentile(cpus, 99);
  console.log(
    `${label} : p50 ${fmt(p50, 3)} ms, p99 ${fmt(p99, 3)} ms, max ${fmt(times.at(-1) ?? 0, 3)} ms ; temps CPU du fil p50 ${fmt(percentile(cpus, 50), 3)} ms, p99 ${fmt(cpu99, 3)} ms (${fmt(found / units.length, 1)} demandes rendues en moyenne)`,
  );
  return { p50, p99, cpu99 };
}

console.log(
  `stock : ${fmt(total)} demandes d'un EPCI ; classement (re)construit en ${fmt(buildMs)} ms (note + rang, mis en cache 30 s par scoring.ts), index par commune en ${fmt(indexMs)} ms`,
);
const walk = measure(
  `parcours dans l'ordre du rang, ${PAGE} premières`,
  (u) => walkClassement(projection, [population], u, { after: 0, n: PAGE }).demandes.length,
);
const scan = measure("référence : balayage complet puis tri par rang", fullScan);
function worstCase(label: string, filter: Prefilter) {
  const times: number[] = [];
  const cpus: number[] = [];
  let walked = 0;
  for (let k = 0; k < 220; k++) {
    const c = cpu();
    const t = performance.now();
    walked = walkClassement(projection, [population], filter, { after: 0, n: PAGE }).parcourues;
    if (k < 20) continue; // 20 warm-up walks
    times.push(performance.now() - t);
    cpus.push(cpu() - c);
  }
  times.sort((a, b) => a - b);
  cpus.sort((a, b) => a - b);
  console.log(
    `pire cas ${label} (aucune demande ne convient : ${fmt(walked)} demandes parcourues jusqu'au bout), 200 fois : p50 ${fmt(percentile(times, 50), 3)} ms, p99 ${fmt(percentile(times, 99), 3)} ms, max ${fmt(times.at(-1) ?? 0, 3)} ms ; temps CPU du fil p50 ${fmt(percentile(cpus, 50), 3)} ms, p99 ${fmt(percentile(cpus, 99), 3)} ms`,
  );
}
worstCase("avec la typologie", rare);
worstCase("sans la typologie (commune seule)", rareAnyTypology);
console.log(
  `rapport balayage / parcours : p50 ×${fmt(scan.p50 / walk.p50, 1)}, p99 ×${fmt(scan.p99 / walk.p99, 1)} — cible p99 ≤ 20 ms : ${walk.p99 <= 20 ? "tenue" : "NON tenue"} en temps écoulé, ${walk.cpu99 <= 20 ? "tenue" : "NON tenue"} en temps CPU du fil (charge de la machine : ${os
    .loadavg()
    .map((l) => fmt(l, 1))
    .join(" / ")})`,
);

// The stale ranking rebuilt off the request path: requests arrive every 5 ms and walk the previous
// ranking while rankInSlices runs (the event loop handed back between slices of 10,000 demands and between radix passes); a
// request's time counts from its arrival, so a slice that holds the loop shows in it.
const handBack = () => new Promise<void>((resolve) => setImmediate(resolve));
const during: number[] = [];
let arrivals = 0;
let rebuilding = true;
const requests = setInterval(() => {
  const arrived = performance.now();
  const u = units[arrivals++ % units.length] as Prefilter;
  setImmediate(() => {
    walkClassement(projection, [population], u, { after: 0, n: PAGE });
    if (rebuilding) during.push(performance.now() - arrived);
  });
}, 5);
started = performance.now();
const rebuilt = await rankInSlices(
  projection,
  {
    grid: population.grid,
    compiled: compileGrid(grid, projection),
    rows,
    asOf,
    epciLut: epciLookup(projection, new Set(communes)),
    seed: 42,
  },
  handBack,
);
const backgroundMs = performance.now() - started;
rebuilding = false;
clearInterval(requests);
during.sort((a, b) => a - b);
const same = rebuilt.ranking.order.every((v, k) => v === ranking.order[k]);
console.log(
  `reconstruction en arrière-plan (tranches de 10 000) : ${fmt(backgroundMs)} ms, même classement : ${same ? "oui" : "NON"} ; ${fmt(during.length)} requêtes servies pendant ce temps sur l'ancien classement : p50 ${fmt(percentile(during, 50), 3)} ms, p99 ${fmt(percentile(during, 99), 3)} ms, max ${fmt(during.at(-1) ?? 0, 3)} ms (depuis leur arrivée)`,
);
console.log(
  `référence : une requête qui reconstruit sur place attend ${fmt(buildMs + indexMs)} ms (classement + index) ; rapport reconstruction sur place / p99 pendant l'arrière-plan : ×${fmt((buildMs + indexMs) / Math.max(0.001, percentile(during, 99)), 1)}`,
);

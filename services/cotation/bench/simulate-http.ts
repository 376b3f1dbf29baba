// What-if through the API (issue 4: ≤ 2 s for 800,000 demands). Not a test: prints its figures.
//   pnpm --filter @logis/cotation bench:simulate [demands=800000]
// The stock is loaded straight into the projection (the replay of the demand topic is not what is
// measured); the grids go through the real API, MongoDB and Kafka of infra/local.
import { cotationHarness } from "../src/testing/harness.js";
import { loadReferenceGrid, territoires } from "../src/testing/reference-data.js";
import { prng, syntheticFacts } from "../src/testing/synthetic.js";

const [total = 800_000] = process.argv.slice(2).map(Number);
const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");
const h = await cotationHarness(new Date().toISOString());
const epci = territoires.epcis.find((e) => e.siren === "200046977"); // Métropole de Lyon, the demo stock
if (!epci) throw new Error("no EPCI in the territory referential");
const r = prng(7);
for (let k = 0; k < total; k++) {
  const { header, facts } = syntheticFacts(r, epci.communes);
  h.stock.projection.upsert(`dem_${k}`, `069${String(k).padStart(13, "0")}AA`, header, facts, 1);
}
const grid = loadReferenceGrid("synthetique");
const today = new Date().toISOString().slice(0, 10);
const timedCall = async (method: string, path: string, body?: unknown) => {
  const started = performance.now();
  const res = await h.call("epci", method, path, body);
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(res.body)}`);
  return { body: res.body, ms: performance.now() - started };
};
const v1 = await timedCall("POST", "/v1/grilles", {
  epci: epci.siren,
  kind: "unique",
  nom: grid.nom,
  rules: grid.rules,
});
const first = await timedCall("POST", `/v1/grilles/${v1.body.id}/simulation`, { topN: 100 });
await timedCall("POST", `/v1/grilles/${v1.body.id}/publication`, { effectiveFrom: today });
const rules = structuredClone(grid.rules);
const sansAbri = rules.rubriques[1]?.criteres[0];
if (sansAbri?.points.kind === "fixed") sansAbri.points.points = 200;
const v2 = await timedCall("POST", "/v1/grilles", { epci: epci.siren, kind: "unique", nom: "Brouillon", rules });
const runs: number[] = [];
for (let i = 0; i < 3; i++)
  runs.push((await timedCall("POST", `/v1/grilles/${v2.body.id}/simulation`, { topN: 100 })).ms);
runs.sort((a, b) => a - b);
console.log(`simulation sans grille en vigueur (${fmt(total)} demandes) : ${fmt(first.ms)} ms`);
console.log(
  `simulation d'un brouillon contre la grille publiée, via l'API : meilleur ${fmt(runs[0] ?? 0)} ms, médiane ${fmt(runs[1] ?? 0)} ms — cible ≤ 2 000 ms`,
);
await h.close();

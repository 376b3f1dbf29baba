// The simulated year's own wall time and throughput per phase, against the same number of raw HTTP
// round trips to each phase's service (/healthz, same concurrency), measured in the same run, on the
// services started by infra/local/up.sh:
//   pnpm --filter @logis/simulation bench:year [taille=mini|petite|grande] [graine]
// A fresh seed by default (the platform keeps what earlier runs did; the year is not skipped).
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import type { KeyPairJwk } from "@logis/auth";
import { defaultUrls } from "../src/client.js";
import { simulateYear } from "../src/simulate.js";
import type { Taille } from "../src/territory.js";

const [taille = "petite", graineArg] = process.argv.slice(2);
const graine = graineArg ? Number(graineArg) : 100 + Math.floor(Math.random() * 800);
const keys = JSON.parse(readFileSync(new URL("../../../.local/auth/keys.json", import.meta.url), "utf8")) as KeyPairJwk;
const run = await simulateYear({
  urls: defaultUrls(),
  keys,
  graine,
  taille: taille as Taille,
  sortie: `${tmpdir()}/logis-bench-year`,
  forcer: true,
});
if (run.deja) throw new Error("unexpected: the bench forces the run");
const r = run.report;
console.log(`\nbench:year ${taille} (graine ${graine}): ${(r.dureeTotaleMs / 1000).toFixed(1)} s in all`);
// side_by_side: phases with the same number ran at the same time (their seconds overlap).
console.log("phase;side_by_side;elements;calls;seconds;elements_per_s;raw_http_seconds;ratio");
for (const p of r.phases) {
  const s = p.dureeMs / 1000;
  console.log(
    [
      p.nom,
      p.groupe ?? "",
      p.elements,
      p.appels,
      s.toFixed(2),
      (p.elements / Math.max(s, 0.001)).toFixed(1),
      (p.baselineMs / 1000).toFixed(3),
      (p.dureeMs / Math.max(p.baselineMs, 0.001)).toFixed(1),
    ].join(";"),
  );
}

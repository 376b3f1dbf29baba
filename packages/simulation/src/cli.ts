#!/usr/bin/env node
// Simulates a year of the synthetic Moselle territory through the running services:
//   node packages/simulation/dist/cli.js --taille petite|grande --cles .local/auth/keys.json
//     [--graine 57] [--sortie DIR (.local/simulation)] [--hote 127.0.0.1] [--fin AAAA-MM-JJ] [--forcer] [--sans-cal]
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { parseArgs } from "node:util";
import type { KeyPairJwk } from "@logis/auth";
import { defaultUrls } from "./client.js";
import { simulateYear } from "./simulate.js";
import { TAILLES, type Taille } from "./territory.js";

const { values } = parseArgs({
  options: {
    taille: { type: "string", default: "petite" },
    cles: { type: "string", default: ".local/auth/keys.json" },
    graine: { type: "string", default: "57" },
    sortie: { type: "string" },
    hote: { type: "string", default: "127.0.0.1" },
    fin: { type: "string" },
    forcer: { type: "boolean", default: false },
    "sans-cal": { type: "boolean", default: false },
  },
});
if (!(values.taille in TAILLES)) {
  console.error(`--taille : ${Object.keys(TAILLES).join(", ")} attendu (reçu « ${values.taille} »)`);
  process.exit(64);
}
const graine = Number(values.graine);
if (!Number.isInteger(graine) || graine < 0) {
  console.error("--graine : un entier positif attendu");
  process.exit(64);
}
if (values.fin !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.fin)) {
  console.error("--fin : une date AAAA-MM-JJ attendue");
  process.exit(64);
}
const keys = JSON.parse(readFileSync(values.cles, "utf8")) as KeyPairJwk;
try {
  await simulateYear({
    urls: defaultUrls(values.hote),
    keys,
    graine,
    taille: values.taille as Taille,
    // Beside the local keys by default (.local/auth/keys.json → .local/simulation), wherever it is run from.
    sortie: values.sortie ?? join(dirname(dirname(values.cles)), "simulation"),
    forcer: values.forcer,
    viaCal: !values["sans-cal"],
    ...(values.fin ? { fin: values.fin } : {}),
  });
} catch (error) {
  console.error(`Simulation interrompue : ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
}

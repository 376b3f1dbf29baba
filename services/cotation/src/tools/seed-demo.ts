#!/usr/bin/env node
import { readFileSync } from "node:fs";
import { createLocalIssuer, demoUsers, type KeyPairJwk } from "@logis/auth";
// Publishes the demo territory's grid (Métropole de Lyon, the synthetic reference grid) through the
// REST API, as the demo EPCI user: seed-demo <base-url> <keys.json>. Idempotent: does nothing when
// a grid is already published; reuses a pending draft.
import { civilDay } from "@logis/domain";
import { loadReferenceGrid } from "../adapters/files/reference-data.js";

const [base = "http://127.0.0.1:3002", keysPath = ".local/auth/keys.json"] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(keysPath, "utf8")) as KeyPairJwk;
const token = await createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" }).issue(
  demoUsers.epci,
);
const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };
const epci = "200046977";

async function call(method: string, path: string, body?: unknown) {
  const res = await fetch(`${base}${path}`, { method, headers, ...(body ? { body: JSON.stringify(body) } : {}) });
  const json = (await res.json()) as Record<string, unknown>;
  if (res.status >= 300) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const versions = (await call("GET", `/v1/grilles?epci=${epci}`)) as unknown as { id: string; status: string }[];
if (versions.some((v) => v.status === "published")) {
  console.error("cotation: the demo grid is already published");
} else {
  const grid = loadReferenceGrid("synthetique");
  const draft =
    versions.find((v) => v.status === "draft") ??
    (await call("POST", "/v1/grilles", { epci, kind: "unique", nom: grid.nom, rules: grid.rules }));
  const id = draft.id as string;
  const simulation = await call("POST", `/v1/grilles/${id}/simulation`, { topN: 20 });
  // Today in Paris (cotation compares with the Paris day: from 22:00 or 23:00 UTC the UTC date is yesterday's).
  await call("POST", `/v1/grilles/${id}/publication`, { effectiveFrom: civilDay(new Date()) });
  console.error(`cotation: demo grid ${id} published (simulated over ${simulation.demandes} demands)`);
}

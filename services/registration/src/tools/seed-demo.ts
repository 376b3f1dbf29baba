#!/usr/bin/env node
// Seeds the demo territory (Métropole de Lyon, département 69) through the REST API, as the demo
// desk: seed-demo <base-url> <keys.json> [count]. Idempotent: tops the territory up to `count`
// demands, drawing the same reproducible households (seeded generator) in the same order.
import { readFileSync } from "node:fs";
import { createLocalIssuer, demoUsers, type KeyPairJwk } from "@logis/auth";
import { DemandForm } from "@logis/contracts";
import { loadLegalRules } from "../adapters/files/legal-rules.js";
import { requiredRegistrationPieces } from "../domain/procedures.js";
import { prng, syntheticDemand } from "./synthetic.js";

const rules = loadLegalRules();
const [base = "http://127.0.0.1:3001", keysPath = ".local/auth/keys.json", countArg = "250"] = process.argv.slice(2);
const keys = JSON.parse(readFileSync(keysPath, "utf8")) as KeyPairJwk;
const token = await createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" }).issue(
  demoUsers.guichet,
);
const headers = { "content-type": "application/json", authorization: `Bearer ${token}` };

const existing = (await (await fetch(`${base}/v1/demandes?pageSize=1`, { headers })).json()) as { total: number };
const r = prng(69);
const count = Number(countArg);
let registered = existing.total;
for (let i = 0; i < count; i++) {
  const demande = syntheticDemand(r);
  if (i < existing.total) continue;
  // The desk received each adult's identity document (and residence permit where one is required).
  const pieces = { recues: requiredRegistrationPieces(DemandForm.parse(demande), [], rules(new Date())) };
  let res = await fetch(`${base}/v1/demandes`, { method: "POST", headers, body: JSON.stringify({ demande, pieces }) });
  if (res.status === 409) {
    // A synthetic household that looks like an earlier one: the desk declares it distinct.
    const body = (await res.json()) as { error: { details?: { candidats: { numeroUnique: string }[] } } };
    const examines = body.error.details?.candidats.map((c) => c.numeroUnique) ?? [];
    res = await fetch(`${base}/v1/demandes`, {
      method: "POST",
      headers,
      body: JSON.stringify({ demande, pieces, doublons: { decision: "distinct", examines } }),
    });
  }
  if (res.status !== 201) throw new Error(`seed failed at ${i}: ${res.status} ${await res.text()}`);
  registered++;
  if (registered % 50 === 0) console.error(`registration: ${registered}/${count} demo demands`);
}
console.error(`registration: ${registered} demo demands in département 69 (${registered - existing.total} new)`);

// Issue 3: registration through HTTP must reach at least half the throughput of raw mongoose
// inserts of the same documents, measured in the same run. Prints both rates and the ratio.
//   pnpm --filter @logis/registration bench:http [count] [concurrency] [relay]

import { DemandForm } from "@logis/contracts";
import mongoose from "mongoose";
import { requiredRegistrationPieces } from "../src/domain/procedures.js";
import { prng, syntheticDemand } from "../src/tools/synthetic.js";
import { benchService, rate, timed } from "./common.js";

const count = Number(process.argv[2] ?? 400);
const concurrency = Number(process.argv[3] ?? 8);
/** `relay`: the outbox relay publishes on Kafka during the HTTP phase, as in the service. */
const withRelay = process.argv[4] === "relay";
const svc = await benchService();
const relay = withRelay ? await svc.startRelay() : undefined;
const r = prng(2026);
const forms = Array.from({ length: count }, () => syntheticDemand(r));
// Each adult's identity document (and residence permit where required), as a desk hands them over.
const piecesOf = (i: number) => ({
  recues: requiredRegistrationPieces(DemandForm.parse(forms[i]), [], svc.deps.rules(new Date())),
});

// 1. HTTP: the whole use case (validation, duplicates, numéro, insert, key tables, outbox signal).
let duplicatesShown = 0;
const cpuBefore = process.cpuUsage();
const httpStart = performance.now();
const registered = await timed(count, concurrency, async (i) => {
  const res = await fetch(`${svc.base}/v1/demandes`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${svc.token}` },
    body: JSON.stringify({ demande: forms[i], pieces: piecesOf(i), doublons: undefined }),
  });
  if (res.status === 409) {
    duplicatesShown++;
    const body = (await res.json()) as { error: { details: { candidats: { numeroUnique: string }[] } } };
    const examines = body.error.details.candidats.map((c) => c.numeroUnique);
    const again = await fetch(`${svc.base}/v1/demandes`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${svc.token}` },
      body: JSON.stringify({ demande: forms[i], pieces: piecesOf(i), doublons: { decision: "distinct", examines } }),
    });
    if (again.status !== 201) throw new Error(`HTTP ${again.status}`);
  } else if (res.status !== 201) throw new Error(`HTTP ${res.status}: ${await res.text()}`);
});

// With the relay, the phase ends when every event is on Kafka: the relay must keep up.
await relay?.relay.flush();
const httpSeconds = relay ? (performance.now() - httpStart) / 1000 : registered;
const cpu = process.cpuUsage(cpuBefore);
const nodeShare = (cpu.user + cpu.system) / 1e6 / httpSeconds;

// 2. Baseline: raw mongoose inserts of the same stored documents, same concurrency, same engine.
const stored = await svc.db.collection("demands").find({}).toArray();
const Raw = svc.connection.model("RawDemand", new mongoose.Schema({}, { strict: false, collection: "raw_demands" }));
const rawSeconds = await timed(stored.length, concurrency, async (i) => {
  const { _id, ...doc } = stored[i] as Record<string, unknown>;
  await Raw.collection.insertOne({ ...doc, _id: `raw_${String(_id)}` } as never);
});

const httpRate = count / httpSeconds;
const rawRate = stored.length / rawSeconds;
console.log(
  `registration over HTTP : ${count} demands in ${httpSeconds.toFixed(2)} s → ${rate(count, httpSeconds)} (${duplicatesShown} shown as possible duplicates first, then registered as distinct)`,
);
console.log(
  `raw mongoose inserts   : ${stored.length} documents in ${rawSeconds.toFixed(2)} s → ${rate(stored.length, rawSeconds)}`,
);
console.log(`node (server and client) : ${Math.round(nodeShare * 100)} % of one core during the HTTP phase`);
if (withRelay) console.log("(the outbox relay published every DemandRegistered on Kafka within the HTTP phase)");
console.log(`ratio HTTP / raw       : ${(httpRate / rawRate).toFixed(2)} (target ≥ 0.50) — concurrency ${concurrency}`);
await relay?.stop();
await svc.close();
process.exit(0);

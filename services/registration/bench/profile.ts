// Where the time goes in registration and import: every database call timed per collection and
// method, then the cost of a few primitive writes on the same engine. Not a test.
//   pnpm --filter @logis/registration bench:profile [registrations] [imported]
import { demoUsers } from "@logis/auth";
import { DemandForm } from "@logis/contracts";
import { requiredRegistrationPieces } from "../src/domain/procedures.js";
import { registrationHarness } from "../src/testing/harness.js";
import { syntheticCsvFile } from "../src/testing/import-files.js";
import { prng, syntheticDemand } from "../src/tools/synthetic.js";
import { timed } from "./common.js";
import { profiledDb } from "./profile-db.js";

const registrations = Number(process.argv[2] ?? 200);
const imported = Number(process.argv[3] ?? 1000);
let profile: ReturnType<typeof profiledDb> | undefined;
const svc = await registrationHarness(new Date().toISOString(), {
  wrapDb: (db) => {
    profile = profiledDb(db);
    return profile.db;
  },
});
if (!profile) throw new Error("no profile");
const token = await svc.authHeader("guichet");
const r = prng(2026);

const seconds = await timed(registrations, 8, async (i) => {
  const demande = syntheticDemand(r);
  const pieces = { recues: requiredRegistrationPieces(DemandForm.parse(demande), [], svc.deps.rules(new Date())) };
  const body = { demande, pieces, doublons: undefined as unknown };
  let res = await fetch(`${svc.base}/v1/demandes`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: token },
    body: JSON.stringify(body),
  });
  if (res.status === 409) {
    const err = (await res.json()) as { error: { details: { candidats: { numeroUnique: string }[] } } };
    body.doublons = { decision: "distinct", examines: err.error.details.candidats.map((c) => c.numeroUnique) };
    res = await fetch(`${svc.base}/v1/demandes`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: token },
      body: JSON.stringify(body),
    });
  }
  if (res.status !== 201) throw new Error(`HTTP ${res.status} at ${i}`);
});
profile.report(`${registrations} registrations over HTTP in ${seconds.toFixed(2)} s`);

const { relay, stop } = await svc.startRelay({ batchSize: 1000 });
await relay.flush();
profile.report("relay: publishing the registrations");

const file = syntheticCsvFile(imported);
const caller = { principal: demoUsers.guichet, correlationId: "cor_profile" };
let start = performance.now();
const job = await svc.imports.start(caller, { format: "csv", departement: "69", file });
await job.done;
profile.report(`import of ${imported} (relay running) stored in ${((performance.now() - start) / 1000).toFixed(2)} s`);
start = performance.now();
await relay.flush();
await stop();
profile.report(`relay: publishing the import, ${((performance.now() - start) / 1000).toFixed(2)} s`);

// Primitive costs on this engine.
const docs = await svc.db.collection("demands").find({}).limit(500).toArray();
const prim = async (label: string, fn: () => Promise<unknown>) => {
  const t = performance.now();
  await fn();
  console.log(`  ${label.padEnd(60)} ${(performance.now() - t).toFixed(0).padStart(6)} ms`);
};
console.log(`\nprimitive writes (${docs.length} demand documents, ${JSON.stringify(docs[0]).length} bytes each)`);
const idx = svc.db.collection("p_indexed");
for (const spec of [
  { numeroUnique: 1 },
  { departement: 1, status: 1 },
  { noms: 1 },
  { communes: 1 },
  { status: 1, validUntil: 1 },
  { status: 1, purgeAfter: 1 },
  { "outbox.eventId": 1 },
  { departement: 1, sequence: -1 },
])
  await idx.createIndex(spec as never);
await prim("insertMany 500 demands, no secondary index", () =>
  svc.db.collection("p_plain").insertMany(docs.map((d) => ({ ...d, _id: `a${d._id}` })) as never),
);
await prim("insertMany 500 demands, the 8 indexes of `demands`", () =>
  idx.insertMany(docs.map((d) => ({ ...d, _id: `b${d._id}` })) as never),
);
await prim("insertOne 1 document holding the 500 demands", () =>
  svc.db.collection("p_batch").insertOne({ _id: "x", demands: docs } as never),
);
await prim("insertOne 1 document holding 500 ids", () =>
  svc.db.collection("p_batch").insertOne({ _id: "y", ids: docs.map((d) => d._id) } as never),
);
await prim("insertMany 1500 small documents", () =>
  svc.db
    .collection("p_small")
    .insertMany(Array.from({ length: 1500 }, (_, i) => ({ _id: `k${i}`, ids: [`dem_${i}`] })) as never),
);
await prim("100 × findOne by _id (demands)", async () => {
  for (const d of docs.slice(0, 100)) await svc.db.collection("demands").findOne({ _id: d._id });
});
await prim("100 × updateOne by _id ($set one field, demands)", async () => {
  for (const d of docs.slice(0, 100)) await svc.db.collection("demands").updateOne({ _id: d._id }, { $set: { x: 1 } });
});
await prim("100 × lock.run (Redis round trips only)", async () => {
  for (const d of docs.slice(0, 100)) await svc.lock.run(`p:${String(d._id)}`, async () => undefined);
});
await svc.close();
process.exit(0);

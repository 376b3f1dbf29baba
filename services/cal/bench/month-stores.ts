// The month on the real stores (issue 12): not a test, prints its figures and a ratio measured in
// this run. `pnpm --filter @logis/cal bench:month-stores [units=2000] [landlords=10] [parallel=8]`
// with the local engines up (KAFKA_BROKERS, MONGO_URL, REDIS_URL; FerretDB as MongoDB).
// The service composed as main.ts composes it (compose.ts: the Mongo aggregate stores with their
// outbox, the relay publishing to Kafka, Redis locks), driven through its use cases: each unit's
// three designated candidates recorded (ProposeCandidates, `parallel` at a time), then each
// landlord's commission planned (sessions scheduled over eight weeks, vacancies placed). Baseline:
// the same number of plain inserts of the same documents into a collection of the same database.

import { demoUsers } from "@logis/auth";
import type { Commission } from "../src/domain/commission.js";
import { metzCommission } from "../src/domain/testing/commission.js";
import { family, metzT3 } from "../src/domain/testing/fixtures.js";
import { calHarness } from "../src/testing/harness.js";

const [units = 2_000, landlords = 10, parallel = 8] = process.argv.slice(2).map(Number);
const fmt = (n: number, d = 0) => n.toLocaleString("fr-FR", { minimumFractionDigits: d, maximumFractionDigits: d });
const households = [
  family(),
  family((d) => {
    d.demandeur.ressources.mensuelles = [{ type: "SAL", montant: 2600 }];
  }),
  family((d) => {
    d.souhaits.typologies = ["T2", "T3"];
  }),
];
const landlordOf = (k: number) => `org_bench_${k % landlords}`;
const unitOf = (k: number) => metzT3({ rplsId: `57${String(k).padStart(8, "0")}`, loyer: 380 + (k % 7) * 20 });
const caller = (k: number) => ({
  principal: { ...demoUsers.bailleur57, organisation: { ...demoUsers.bailleur57.organisation, id: landlordOf(k) } },
  correlationId: `cor_${k}`,
  requestId: `req_${k}`,
});

/** Runs `task(k)` for k in 0…n−1, `width` at a time. */
async function pool(n: number, width: number, task: (k: number) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < n) await task(next++);
    }),
  );
}

const h = await calHarness("2026-11-02T08:00:00.000Z");
try {
  for (let l = 0; l < landlords; l++) {
    const { _id, revision: _r, ...fields } = metzCommission;
    const commission: Omit<Commission, "_id" | "revision"> = {
      ...fields,
      bailleurId: landlordOf(l),
      recurrence: { frequence: "hebdomadaire", jour: 4, depuis: "2026-01-08" },
      capacite: 60,
    };
    await h.uc.sessions.changeCommission(caller(l), `com_bench_${l}`, {
      type: "Constitute",
      id: `com_bench_${l}`,
      ...commission,
    });
  }
  let started = performance.now();
  await pool(units, parallel, async (k) => {
    const id = `att_57${String(k).padStart(8, "0")}_2026-11-02`;
    await h.uc.attributions.handle(caller(k), id, {
      type: "ProposeCandidates",
      id,
      bailleurId: landlordOf(k),
      unit: unitOf(k),
      libereLe: "2026-11-02",
      cible: { reservataireId: "org_demo_action_logement", conventionId: "cnv_al", codeSne: "COLACT" },
      source: "reservataire",
      candidats: households.map((facts, n) => ({
        demandId: `dem_${k}_${n}`,
        numeroUnique: `057${String(k * 3 + n).padStart(13, "0")}AA`,
        facts,
        justification: "Désigné par le réservataire",
      })),
    });
  });
  const proposedMs = performance.now() - started;
  let placed = 0;
  const planStarted = performance.now();
  for (let l = 0; l < landlords; l++)
    placed += (await h.uc.planning.plan(caller(l), `com_bench_${l}`)).placements.length;
  const planMs = performance.now() - planStarted;
  const totalMs = performance.now() - started;

  // Baseline: the same documents inserted as they are, `parallel` at a time, no lock, no outbox.
  const docs = await h.platform.db.collection("attributions").find({}).toArray();
  const plain = h.platform.db.collection("bench_plain");
  started = performance.now();
  await pool(docs.length, parallel, async (k) => {
    const { outbox: _o, outboxAt: _a, ...doc } = docs[k] as Record<string, unknown>;
    await plain.insertOne(doc as never);
  });
  const plainMs = performance.now() - started;

  console.log(
    `un mois sur les vrais magasins (FerretDB, Redis, relais Kafka) : ${fmt(units)} logements libérés, 3 candidats chacun, ${landlords} bailleurs, ${parallel} en parallèle : ` +
      `proposés en ${fmt(proposedMs)} ms (${fmt(proposedMs / units, 2)} ms par logement), programmés en ${fmt(planMs)} ms (${fmt(placed)} placés), ` +
      `total ${fmt(totalMs)} ms — cible ≤ 2 000 ms (${totalMs <= 2000 ? "tenue" : "NON tenue"})`,
  );
  console.log(
    `référence : ${fmt(docs.length)} insertions simples des mêmes documents dans la même base : ${fmt(plainMs)} ms (${fmt(plainMs / Math.max(1, docs.length), 2)} ms chacune) — rapport total / référence ×${fmt(totalMs / plainMs, 1)}`,
  );
} finally {
  await h.close();
}

// The month on the real stores (issue 12): not a test, prints its figures and ratios measured in
// this run. `pnpm --filter @logis/cal bench:month-stores [units=2000] [landlords=10] [batch=500]
// [sample=200] [parallel=8]` with the local engines up (KAFKA_BROKERS, MONGO_URL, REDIS_URL; FerretDB
// as MongoDB). The service composed as main.ts composes it (compose.ts: the Mongo aggregate stores
// with their outbox, the relay publishing to Kafka, Redis locks), driven through its use cases:
// the units' three designated candidates recorded in batches (`proposeMany`: one insert per batch),
// then the landlords' commissions planned in one pass (`planMany`: what waits read once for them
// all, sessions scheduled over eight weeks, vacancies placed); then `sample` more units proposed one
// at a time (`handle`, as a reserver's designation through the API does), `parallel` at a time.
// Baselines in the same run: the same documents inserted as they are, by the same batches
// (insertMany) and one at a time. Round trips to MongoDB and Redis are counted per phase (decision 0033).

import { demoUsers } from "@logis/auth";
import { mongo } from "mongoose";
import type { Commission } from "../src/domain/commission.js";
import { metzCommission } from "../src/domain/testing/commission.js";
import { family, metzT3 } from "../src/domain/testing/fixtures.js";
import { calHarness } from "../src/testing/harness.js";

const [units = 2_000, landlords = 10, batch = 500, sample = 200, parallel = 8] = process.argv.slice(2).map(Number);
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

/** Round trips to MongoDB and Redis, by collection and operation (the driver's and the client's calls counted). */
const trips = new Map<string, { n: number; ms: number }>();
const count = (key: string, ms = 0) => {
  const t = trips.get(key) ?? { n: 0, ms: 0 };
  trips.set(key, { n: t.n + (ms ? 0 : 1), ms: t.ms + ms });
};
const timed = <T>(key: string, value: T): T => {
  const t0 = performance.now();
  if (value instanceof Promise)
    void value.then(
      () => count(key, performance.now() - t0),
      () => undefined,
    );
  return value;
};
const proto = mongo.Collection.prototype as unknown as Record<string, (...args: unknown[]) => unknown>;
for (const op of [
  "find",
  "insertOne",
  "insertMany",
  "updateOne",
  "updateMany",
  "bulkWrite",
  "deleteOne",
  "deleteMany",
  "aggregate",
  "countDocuments",
  "findOneAndUpdate",
]) {
  const original = proto[op] as (...args: unknown[]) => unknown;
  proto[op] = function (this: { collectionName: string }, ...args: unknown[]) {
    const key = `mongo ${this.collectionName}.${op}`;
    count(key);
    const out = original.apply(this, args) as { toArray?: () => Promise<unknown>; next?: () => Promise<unknown> };
    if (op === "find" && out.toArray && out.next) {
      const toArray = out.toArray.bind(out);
      const next = out.next.bind(out);
      out.toArray = () => timed(key, toArray());
      out.next = () => timed(key, next());
      return out;
    }
    return timed(key, out);
  };
}
const tripsReport = (label: string, per: number) => {
  const rows = [...trips].sort((a, b) => b[1].ms - a[1].ms);
  const total = rows.reduce((n, [, v]) => n + v.n, 0);
  console.log(
    `${label} : ${fmt(total)} allers-retours (${fmt(total / per, 2)} par logement) — ${rows.map(([k, v]) => `${k} ${fmt(v.n)} (${fmt(v.ms)} ms cumulés)`).join(", ")}`,
  );
  trips.clear();
};

const h = await calHarness("2026-11-02T08:00:00.000Z");
const redis = h.platform.redis as unknown as {
  sendCommand: (command: { name: string }, ...rest: unknown[]) => unknown;
};
const send = redis.sendCommand.bind(redis);
redis.sendCommand = (command, ...rest) => {
  count(`redis ${command.name}`);
  return timed(`redis ${command.name}`, send(command, ...rest));
};
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
  const proposal = (k: number) => {
    const id = `att_57${String(k).padStart(8, "0")}_2026-11-02`;
    return {
      type: "ProposeCandidates" as const,
      id,
      bailleurId: landlordOf(k),
      unit: unitOf(k),
      libereLe: "2026-11-02",
      cible: { reservataireId: "org_demo_action_logement", conventionId: "cnv_al", codeSne: "COLACT" as const },
      source: "reservataire" as const,
      candidats: households.map((facts, n) => ({
        demandId: `dem_${k}_${n}`,
        numeroUnique: `057${String(k * 3 + n).padStart(13, "0")}AA`,
        facts,
        justification: "Désigné par le réservataire",
      })),
    };
  };

  // The month: the proposals in batches (one insert per batch), then each landlord's commission planned.
  trips.clear();
  let started = performance.now();
  for (let from = 0; from < units; from += batch) {
    const commands = Array.from({ length: Math.min(batch, units - from) }, (_, i) => proposal(from + i));
    const out = await h.uc.attributions.proposeMany(caller(from), commands);
    if (out.refused.length > 0) throw new Error(`refusés : ${JSON.stringify(out.refused.slice(0, 3))}`);
  }
  const proposedMs = performance.now() - started;
  tripsReport("proposés par lots", units);
  let placed = 0;
  const planStarted = performance.now();
  // The scheduler's pass over the ten commissions: what waits is read once for them all.
  const plans = await h.uc.planning.planMany(
    caller(0),
    Array.from({ length: landlords }, (_, l) => `com_bench_${l}`),
  );
  for (const p of plans) placed += p.placements.length;
  const planMs = performance.now() - planStarted;
  tripsReport("programmés", units);
  const totalMs = performance.now() - started;

  // The same proposals one unit at a time (a reserver's designation through the API), on a sample.
  trips.clear();
  started = performance.now();
  await pool(sample, parallel, async (i) => {
    const k = units + i;
    await h.uc.attributions.handle(caller(k), proposal(k).id, proposal(k));
  });
  const oneByOneMs = performance.now() - started;
  tripsReport(`un par un (${fmt(sample)} logements)`, sample);

  // Baselines: the same documents inserted as they are (no lock, no outbox, no decision), in the
  // same batches with insertMany, and one at a time `parallel` at a time.
  const docs = (await h.platform.db.collection("attributions").find({}).limit(units).toArray()).map((d) => {
    const { outbox: _o, outboxAt: _a, ...doc } = d as Record<string, unknown>;
    return doc;
  });
  const plainMany = h.platform.db.collection("bench_plain_many");
  started = performance.now();
  for (let from = 0; from < docs.length; from += batch)
    await plainMany.insertMany(docs.slice(from, from + batch) as never[]);
  const plainManyMs = performance.now() - started;
  const plainOne = h.platform.db.collection("bench_plain_one");
  started = performance.now();
  await pool(sample, parallel, async (k) => {
    await plainOne.insertOne(docs[k] as never);
  });
  const plainOneMs = performance.now() - started;

  console.log(
    `un mois sur les vrais magasins (FerretDB, Redis, relais Kafka) : ${fmt(units)} logements libérés, 3 candidats chacun, ${landlords} bailleurs, lots de ${fmt(batch)} : ` +
      `proposés en ${fmt(proposedMs)} ms, programmés en ${fmt(planMs)} ms (${fmt(placed)} placés), ` +
      `total ${fmt(totalMs)} ms — cible ≤ 2 000 ms (${totalMs <= 2000 ? "tenue" : "NON tenue"})`,
  );
  console.log(
    `référence : ${fmt(docs.length)} insertions simples des mêmes documents par lots de ${fmt(batch)} (insertMany) : ${fmt(plainManyMs)} ms — rapport total / référence ×${fmt(totalMs / plainManyMs, 1)}`,
  );
  console.log(
    `un par un (désignation par l'API) : ${fmt(sample)} logements en ${fmt(oneByOneMs)} ms, ${fmt(parallel)} en parallèle (${fmt(oneByOneMs / sample, 2)} ms par logement) ; ` +
      `référence ${fmt(sample)} insertOne simples : ${fmt(plainOneMs)} ms (${fmt(plainOneMs / sample, 2)} ms chacune) — rapport ×${fmt(oneByOneMs / plainOneMs, 1)}`,
  );
} finally {
  await h.close();
}

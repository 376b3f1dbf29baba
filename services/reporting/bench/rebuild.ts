// Read-model rebuild benchmark (issue 13). Not a test: prints figures and a ratio measured in this one run.
//   pnpm --filter @logis/reporting bench:rebuild [events=5000000] [perDemand=10] [rowsHeld=200000]
// A demand topic of `events` events (`perDemand` per demand: registration, two updates, renewals, an
// exit), in the order a topic holds them (demands arriving block after block, each one's events spread
// over its block), folded into the demands read model in process as a rebuild does: the pure fold
// (evolve) and the store writes (`rebuildFold`: rows held in memory, the coldest half written in bulk
// in the background whenever `rowsHeld` are held, the rest at the end). The synthetic events are
// built on the fly (5 M do not fit in memory): their building alone is timed too, and left out of the
// apply path's figure. Baseline in the same run: the same number of final rows inserted raw
// (`insertMany`), the least the store can do. Then the CAL's attributions read model, smaller.
import { readFileSync } from "node:fs";
import type { CalAttributionEvent, DemandEvent } from "@logis/contracts";
import { connectMongo } from "@logis/outbox";
import { mongoRows } from "../src/adapters/mongo/rows.js";
import { rebuildFold } from "../src/app/read-model.js";
import { type AttributionRow, evolveAttributionRow } from "../src/domain/attribution-row.js";
import { type DemandRow, evolveDemandRow } from "../src/domain/demand-row.js";

const [total = 5_000_000, perDemand = 10, batch = 200_000] = process.argv.slice(2).map(Number);
const TARGET_S = 120;
const mongoUrl = process.env.MONGO_URL ?? "mongodb://127.0.0.1:27017";
const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");

const fixture = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../../packages/contracts/fixtures/${type}.v1.json`, import.meta.url), "utf8"));

// Payload templates shared between events (the fold reads them, never writes them): 40 communes × 5 typologies.
const reg = fixture("DemandRegistered");
const upd = fixture("DemandUpdated");
const ren = fixture("DemandRenewed");
const rad = fixture("DemandRadiated");
const communes = Array.from({ length: 40 }, (_, i) => `69${String(100 + i * 7).padStart(3, "0")}`);
const typologies = ["T1", "T2", "T3", "T4", "T5"];
const demandes = communes.flatMap((c) =>
  typologies.map((t) => ({
    ...reg.payload.demande,
    souhaits: { ...reg.payload.demande.souhaits, communes: [c], typologies: [t] },
  })),
);
const radiations = ["RADATT", "RADABA", "RADREN"].map((motif) => ({
  ...rad.payload,
  radiation: { ...rad.payload.radiation, motif, date: "2026-06-01T08:00:00.000Z" },
}));

// Built once and shared by the events (the fold reads them, never writes them): instants, payloads.
const instants = Array.from({ length: 2000 * perDemand }, (_, k) =>
  new Date(Date.UTC(2020, 0, 1) + Math.floor(k / perDemand) * 86_400_000 + (k % perDemand) * 3_600_000).toISOString(),
);
const updates = demandes.map((demande) => ({ ...upd.payload, demande }));
const head = (t: { type: string }) => ({ type: t.type, schemaVersion: 1, correlationId: "cor_b" });
const [regHead, updHead, renHead, radHead] = [reg, upd, ren, rad].map(head);

function eventOf(d: number, step: number): DemandEvent {
  const at = instants[(d % 2000) * perDemand + step] as string;
  const k = d % demandes.length;
  const meta = { eventId: `evt_${d}_${step}`, aggregateId: `dem_b${d}`, aggregateVersion: step + 1, occurredAt: at };
  if (step === 0)
    return { ...regHead, ...meta, payload: { ...reg.payload, dateDepot: at, demande: demandes[k] } } as DemandEvent;
  if (step === 1 || step === 2) return { ...updHead, ...meta, payload: updates[k] } as DemandEvent;
  if (step === perDemand - 1 && d % 3 !== 0) return { ...radHead, ...meta, payload: radiations[d % 3] } as DemandEvent;
  return { ...renHead, ...meta, payload: ren.payload } as DemandEvent;
}

/** The topic's order: blocks of demands; within a block, every demand's first event, then every second… */
function* topic(events: number): Generator<DemandEvent> {
  const demands = Math.ceil(events / perDemand);
  const block = 100_000;
  let n = 0;
  for (let start = 0; start < demands; start += block)
    for (let step = 0; step < perDemand; step++)
      for (let d = start; d < Math.min(start + block, demands); d++) {
        if (n++ >= events) return;
        yield eventOf(d, step);
      }
}

async function timed<T>(label: string, run: () => Promise<T>): Promise<{ ms: number; value: T }> {
  const t0 = performance.now();
  const value = await run();
  const ms = performance.now() - t0;
  console.log(`${label}: ${fmt(ms)} ms`);
  return { ms, value };
}

const conn = await connectMongo(mongoUrl, `logis-reporting-bench-${process.pid}`);
const db = conn.db;
if (!db) throw new Error("no database");
try {
  console.log(`Demands read model: ${fmt(total)} events, ${perDemand} per demand, at most ${fmt(batch)} rows held`);
  const building = await timed("building the synthetic events alone", async () => {
    let n = 0;
    for (const _e of topic(total)) n++;
    return n;
  });
  // Pure fold, no store: the apply path alone.
  const pure = await timed("pure fold (evolve, in memory)", async () => {
    const rows = new Map<string, DemandRow>();
    for (const e of topic(total)) {
      const current = rows.get(e.aggregateId);
      if (current && current.version >= e.aggregateVersion) continue;
      const next = evolveDemandRow(current, e);
      if (next) rows.set(e.aggregateId, next);
    }
    return rows;
  });
  const finalRows = [...pure.value.values()];

  const raw = mongoRows<DemandRow>(db, "demand_rows_raw");
  await raw.drop();
  // First, while the database is as fresh as it will be for the rebuild.
  const coll = db.collection("demand_rows_raw");
  const baseline = await timed("baseline: raw insertMany of the final rows", async () => {
    for (let i = 0; i < finalRows.length; i += 10_000)
      await coll.insertMany(
        finalRows
          .slice(i, i + 10_000)
          .map(({ id, version, ...rest }) => ({ _id: id, _v: version, ...rest })) as never[],
        { ordered: false },
      );
  });
  await raw.drop();

  const target = mongoRows<DemandRow>(db, "demand_rows_rebuild");
  await target.drop();
  const fold = rebuildFold(target, evolveDemandRow, batch);
  const rebuild = await timed("rebuild (fold + store writes, MongoDB)", async () => {
    for (const e of topic(total)) await fold.push(e);
    await fold.flush();
  });
  const written = fold.writes;
  const stored = await target.count();
  if (stored !== finalRows.length) throw new Error(`rebuilt ${stored} rows, expected ${finalRows.length}`);
  const sample = finalRows[Math.floor(finalRows.length / 2)] as DemandRow;
  const back = await target.get(sample.id);
  if (JSON.stringify(back) !== JSON.stringify(sample)) throw new Error(`row ${sample.id} differs from the pure fold`);

  // The apply path: the rebuild without the building of the synthetic events (a real rebuild reads them from Kafka).
  const apply = rebuild.ms - building.ms;
  const s_ = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  console.log(
    `→ ${fmt(total)} events → ${fmt(finalRows.length)} rows (${fmt(written)} row writes): rebuild ${s_(rebuild.ms)},` +
      ` of which building the events ${s_(building.ms)}: apply path (fold + writes) ${s_(apply)} = ${fmt(total / (apply / 1000))} events/s;` +
      ` ×${(apply / baseline.ms).toFixed(2)} the raw insert of the rows (${s_(baseline.ms)}); pure fold ${s_(pure.ms - building.ms)} without the building;` +
      ` target ≤ ${TARGET_S} s: ${apply / 1000 <= TARGET_S ? "met" : `MISSED by ${s_(apply - TARGET_S * 1000)}`}`,
  );
  await target.drop();

  // The CAL's attributions: proposal, three offers answered, lease (5 events per vacancy).
  const attTotal = Math.min(total, 200_000);
  const proposedT = fixture("CandidatesProposed");
  const answeredT = fixture("OfferAnswered");
  const leaseT = fixture("LeaseSigned");
  const attEvent = (v: number, step: number): CalAttributionEvent => {
    const meta = {
      eventId: `evt_a${v}_${step}`,
      schemaVersion: 1,
      aggregateId: `att_${v}`,
      aggregateVersion: step + 1,
      correlationId: "cor_b",
      occurredAt: "2026-03-01T08:00:00.000Z",
    };
    if (step === 0) return { ...proposedT, ...meta } as CalAttributionEvent;
    if (step < 4)
      return {
        ...answeredT,
        ...meta,
        payload: { ...answeredT.payload, reponse: step === 3 ? "acceptee" : "refusee" },
      } as CalAttributionEvent;
    return { ...leaseT, ...meta } as CalAttributionEvent;
  };
  const attRows = mongoRows<AttributionRow>(db, "attribution_rows_rebuild");
  await attRows.drop();
  const attFold = rebuildFold(attRows, evolveAttributionRow, batch);
  const vacancies = attTotal / 5;
  const att = await timed(`attributions read model: ${fmt(attTotal)} events`, async () => {
    for (let start = 0; start < vacancies; start += 100_000)
      for (let step = 0; step < 5; step++)
        for (let v = start; v < Math.min(start + 100_000, vacancies); v++) await attFold.push(attEvent(v, step));
    await attFold.flush();
  });
  console.log(`→ ${fmt(attTotal / (att.ms / 1000))} events/s (${fmt(await attRows.count())} rows)`);
  await attRows.drop();
} finally {
  await conn.dropDatabase().catch(() => undefined);
  await conn.close();
}

// Event-to-statistic lag benchmark (issue 13). Not a test: prints figures and a ratio measured in this one run.
//   pnpm --filter @logis/reporting bench:lag [events=3000] [burst=200] [pauseMs=0]
// On the real engines: the service composed as in production (testing/harness: a fresh database,
// topics under a unique prefix), then `events` registrations published on the demand topic in bursts
// of `burst`, `pauseMs` apart (0: as fast as the producer takes them; 20 and 200: a steady 100 events/s). Lag of an event = from just before its burst is
// published to the moment its row is in the read model (the statistics read the rows when asked, so
// a stored row is a counted one), measured on the service's live path (compose.ts: a batch consumer,
// new demands inserted in bulk unread, their positions recorded in the catalog beside the Kafka
// commit) under its own group and into its own collection, beside the service's own consumer of the
// same events. Baseline in the same run: a consumer of the same topic under another group that does
// nothing with the events (Kafka's own delivery lag).
import { demandStream } from "@logis/contracts";
import { mongoRows } from "../src/adapters/mongo/rows.js";
import { foldProjection } from "../src/app/read-model.js";
import { startBatchConsumer } from "../src/consumers/batch-consumer.js";
import { openingFold, skippingSealed } from "../src/consumers/demand-events.js";
import { startStreamConsumer } from "../src/consumers/stream-consumer.js";
import { type DemandRow, evolveDemandRow } from "../src/domain/demand-row.js";
import { registered } from "../src/testing/demand-events.js";
import { reportingHarness } from "../src/testing/harness.js";

const [total = 3000, burst = 200, pauseMs = 0] = process.argv.slice(2).map(Number);
const TARGET_P99_MS = 2000;
const fmt = (n: number) => Math.round(n).toLocaleString("fr-FR");
const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] ?? NaN;

const h = await reportingHarness(new Date().toISOString());
try {
  const sent = new Map<string, number>();
  const applied = new Map<string, number>();
  const seen = new Map<string, number>();
  // The service's live path (compose.ts): a Kafka batch at a time, folded with one read and one bulk write.
  // The facts sealed (decision 0012): opened with the demands' keys before the fold, as compose.ts does.
  const fold = openingFold(
    h.demandKeys,
    foldProjection(mongoRows<DemandRow>(h.platform.db, "demand_rows_lag"), skippingSealed(evolveDemandRow)),
  );
  const measured = await startBatchConsumer({
    kafka: h.platform.kafka,
    producer: h.platform.producer,
    stream: demandStream,
    group: "reporting.demand-rows.lag-bench",
    logger: h.platform.logger,
    topicPrefix: h.platform.topicPrefix,
    snapshot: { catalog: h.catalog, name: "demand_rows_lag", collection: "demand_rows_lag" },
    applyBatch: async (events) => {
      await fold.applyBatch(events);
      const at = performance.now();
      for (const e of events) if (!applied.has(e.aggregateId)) applied.set(e.aggregateId, at);
    },
  });
  const baseline = await startStreamConsumer({
    kafka: h.platform.kafka,
    producer: h.platform.producer,
    stream: demandStream,
    group: "reporting.lag-bench.baseline",
    logger: h.platform.logger,
    topicPrefix: h.platform.topicPrefix,
    projection: {
      apply: async (e) => {
        if (!seen.has(e.aggregateId)) seen.set(e.aggregateId, performance.now());
      },
    },
  });
  await Promise.all([measured.joined, baseline.joined]);
  const events = Array.from({ length: total }, (_, i) =>
    registered({ id: `dem_lag${i}`, depot: new Date().toISOString(), commune: "69383" }),
  );
  const t0 = performance.now();
  for (let i = 0; i < total; i += burst) {
    const chunk = events.slice(i, i + burst);
    const at = performance.now();
    for (const e of chunk) sent.set(e.aggregateId, at);
    await h.publishDemandEvents(chunk);
    if (pauseMs > 0) await new Promise((r) => setTimeout(r, pauseMs));
  }
  const published = performance.now() - t0;
  const deadline = Date.now() + 300_000;
  while ((applied.size < total || seen.size < total) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 50));
  const all = performance.now() - t0;
  const lags = (m: Map<string, number>) => [...m].map(([id, t]) => t - (sent.get(id) ?? t)).sort((a, b) => a - b);
  const a = lags(applied);
  const b = lags(seen);
  const stored = (await h.rows.list({})).length;
  console.log(
    `${fmt(total)} registrations in bursts of ${burst}: published in ${fmt(published)} ms, all applied in ${fmt(all)} ms (${fmt((total / all) * 1000)} events/s); rows stored ${fmt(stored)}`,
  );
  console.log(
    `read model (service consumer, MongoDB): p50 ${fmt(pct(a, 0.5))} ms, p99 ${fmt(pct(a, 0.99))} ms, max ${fmt(a.at(-1) ?? NaN)} ms`,
  );
  console.log(
    `baseline (consumer doing nothing):     p50 ${fmt(pct(b, 0.5))} ms, p99 ${fmt(pct(b, 0.99))} ms, max ${fmt(b.at(-1) ?? NaN)} ms`,
  );
  console.log(
    `→ p99 ×${(pct(a, 0.99) / pct(b, 0.99)).toFixed(1)} the bare delivery; target p99 ≤ ${TARGET_P99_MS} ms: ${pct(a, 0.99) <= TARGET_P99_MS ? "met" : "MISSED"}`,
  );
  await Promise.all([measured.stop(), baseline.stop()]);
} finally {
  await h.close();
}

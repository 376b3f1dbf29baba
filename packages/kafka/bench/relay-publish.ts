// What publishing in transactions costs the outbox relay (decision 0019): the same batches of
// events sent by the plain idempotent producer (the baseline) and by the transactional publisher,
// alternately, on the local Kafka, in one run. Prints events/s of each and the ratio.
//   KAFKA_BROKERS=127.0.0.1:9092 node --import tsx packages/kafka/bench/relay-publish.ts [batches] [batchSize]
import { randomUUID } from "node:crypto";
import type { AnyEnvelope } from "@logis/contracts";
import { createLogger } from "@logis/observability";
import { createKafka, createProducer, createTransactionalPublisher, ensureTopics } from "../src/index.js";

const batches = Number(process.argv[2] ?? 40);
const batchSize = Number(process.argv[3] ?? 250);
const logger = createLogger({ service: "bench", level: "error" });
const kafka = createKafka({
  brokers: (process.env.KAFKA_BROKERS ?? "127.0.0.1:9092").split(","),
  clientId: "bench",
  logger,
});
const topic = `bench.relay.${Date.now()}`;
await ensureTopics(kafka, [topic], 3);

const events = () =>
  Array.from({ length: batchSize }, (_, i) => ({
    envelope: {
      eventId: `evt_${randomUUID()}`,
      type: "DemandRegistered",
      schemaVersion: 1,
      aggregateId: `dem_${randomUUID()}`,
      aggregateVersion: 1,
      occurredAt: new Date().toISOString(),
      correlationId: "cor_bench",
      payload: { i, text: "x".repeat(600) }, // about the size of a DemandRegistered
    } as unknown as AnyEnvelope,
  }));

const plain = await createProducer(kafka);
const transactional = createTransactionalPublisher(kafka, { transactionalId: `bench-${Date.now()}`, logger });
const rounds = { plain: [] as number[], transactional: [] as number[] };
// Warm-up (connections, transaction coordinator), then alternate to share the machine's noise.
await plain.publish(topic, events());
await transactional.publishAll([{ topic, events: events() }]);
for (let b = 0; b < batches; b++) {
  const one = events();
  const two = events();
  let t = performance.now();
  await plain.publish(topic, one);
  rounds.plain.push(performance.now() - t);
  t = performance.now();
  await transactional.publishAll([{ topic, events: two }]);
  rounds.transactional.push(performance.now() - t);
}
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
const rate = (ms: number) => Math.round((batchSize / ms) * 1000);
const p = median(rounds.plain);
const x = median(rounds.transactional);
console.log(`batches of ${batchSize} events, ${batches} rounds, median per batch:`);
console.log(`  plain idempotent producer (baseline): ${p.toFixed(1)} ms → ${rate(p)} events/s`);
console.log(`  transactional publisher:              ${x.toFixed(1)} ms → ${rate(x)} events/s`);
console.log(`  ratio transactional / baseline: ${(x / p).toFixed(2)}× the time per batch`);
await plain.disconnect();
await transactional.disconnect();

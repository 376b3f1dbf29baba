import { randomUUID } from "node:crypto";
import type { AnyEnvelope } from "@logis/contracts";
import { createLogger } from "@logis/observability";
import { readTopic, testEnv, uniqueName } from "@logis/testing";
import { Kafka, logLevel } from "kafkajs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createKafka, ensureTopics } from "./client.js";
import { createTransactionalPublisher } from "./transactional.js";

// Issue 10: after a Kafka restart the relay's retried sends came out twice. The relay now publishes
// each batch in one transaction; these tests show what that buys on the real broker.
const logger = createLogger({ service: "transactional-test", level: "error" });
let kafka: Kafka;

const envelope = (aggregateId: string, n: number): AnyEnvelope =>
  ({
    eventId: `evt_${randomUUID()}`,
    type: "Noted",
    schemaVersion: 1,
    aggregateId,
    aggregateVersion: n,
    occurredAt: new Date().toISOString(),
    correlationId: "cor_test",
    payload: { n },
  }) as unknown as AnyEnvelope;

const payloads = async (topic: string) =>
  (await readTopic(kafka, topic)).map(
    (m) => (JSON.parse(m.value?.toString() ?? "{}") as { payload: { n: number } }).payload.n,
  );

beforeAll(() => {
  kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: "transactional-test", logger });
});

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const c of cleanups) await c();
});

it("a batch whose send fails half-way is aborted: once retried, consumers see each event once", async () => {
  const written = uniqueName("txn.a");
  await ensureTopics(kafka, [written], 1);
  const missing = uniqueName("txn.missing"); // the broker refuses it: topics are never auto-created
  const publisher = createTransactionalPublisher(kafka, { transactionalId: uniqueName("txn-id-"), logger });
  cleanups.push(() => publisher.disconnect());
  const events = [1, 2, 3].map((n) => ({ envelope: envelope("agg_1", n) }));

  // The first topic's records reach the broker inside the transaction, then the second send fails.
  await expect(
    publisher.publishAll([
      { topic: written, events },
      { topic: missing, events: [{ envelope: envelope("agg_2", 1) }] },
    ]),
  ).rejects.toThrow();
  // The relay sends the same batch again (here without the topic that cannot exist).
  await publisher.publishAll([{ topic: written, events }]);

  expect(await payloads(written)).toEqual([1, 2, 3]);
});

it("a transaction left open by a dead relay is aborted when the relay starts again with its id", async () => {
  const topic = uniqueName("txn.b");
  await ensureTopics(kafka, [topic], 1);
  const transactionalId = uniqueName("txn-id-");
  // The dead relay: it sent inside a transaction and was killed before committing. Its transaction
  // would hold read-committed consumers back for a minute (its timeout) if nobody fenced it.
  const dead = new Kafka({
    clientId: "dead-relay",
    brokers: testEnv().kafkaBrokers,
    logLevel: logLevel.NOTHING,
  }).producer({
    transactionalId,
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 60_000,
  });
  await dead.connect();
  const open = await dead.transaction();
  await open.send({ topic, messages: [{ key: "agg_1", value: JSON.stringify(envelope("agg_1", 99)) }] });

  const restarted = createTransactionalPublisher(kafka, { transactionalId, logger });
  cleanups.push(() => restarted.disconnect());
  await restarted.publishAll([{ topic, events: [1, 2].map((n) => ({ envelope: envelope("agg_1", n) })) }]);

  // readTopic gives up after 30 s: it returns only because the dead transaction was aborted at once.
  expect(await payloads(topic)).toEqual([1, 2]);
  await dead.disconnect().catch(() => undefined);
});

it("events of several topics published together are committed together", async () => {
  const [a, b] = [uniqueName("txn.c"), uniqueName("txn.d")];
  await ensureTopics(kafka, [a, b], 3);
  const publisher = createTransactionalPublisher(kafka, { transactionalId: uniqueName("txn-id-"), logger });
  cleanups.push(() => publisher.disconnect());
  await publisher.publishAll([
    { topic: a, events: [1, 2].map((n) => ({ envelope: envelope(`agg_${n}`, n) })) },
    { topic: b, events: [{ envelope: envelope("agg_3", 3) }] },
    { topic: b, events: [] },
  ]);
  await publisher.publishAll([{ topic: b, events: [{ envelope: envelope("agg_4", 4) }] }]);
  expect((await payloads(a)).sort()).toEqual([1, 2]);
  expect((await payloads(b)).sort()).toEqual([3, 4]);
});

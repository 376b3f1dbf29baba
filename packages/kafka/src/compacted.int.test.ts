import { dlqTopicOf } from "@logis/contracts";
import { createLogger } from "@logis/observability";
import { eventually, readTopic, testEnv, testKafka, uniqueName } from "@logis/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { createKafka, ensureTopics } from "./client.js";
import { followCompactedTopic } from "./compacted.js";
import { runConsumer } from "./consumer.js";
import { createProducer, type EventProducer } from "./producer.js";

// Decision 0012: a key topic is compacted, its tombstones (null values) reach the handler instead
// of the dead-letter topic, and a table of it in memory forgets a key at its tombstone.
const logger = createLogger({ service: "compacted-test", level: "silent" });
const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: "compacted-test", logger });
const Value = z.object({ v: z.number() });
let producer: EventProducer;

beforeAll(async () => {
  producer = await createProducer(kafka);
});
afterAll(async () => {
  await producer.disconnect();
});

it("a tombstone goes to handleTombstone; without it, to the dead-letter topic as malformed", async () => {
  const topic = uniqueName("tomb.t");
  await ensureTopics(kafka, [topic, dlqTopicOf(topic)], 1);
  await producer.sendRaw(topic, [
    { key: "a", value: JSON.stringify({ v: 1 }) },
    { key: "a", value: null },
  ]);
  const seen: string[] = [];
  const withTombstones = await runConsumer({
    kafka,
    groupId: uniqueName("tomb-g-"),
    topic,
    schema: Value,
    producer,
    logger,
    handle: async (value, meta) => {
      seen.push(`${meta.key}=${value.v}`);
    },
    handleTombstone: async (meta) => {
      seen.push(`${meta.key}=∅`);
    },
  });
  await eventually(() => expect(seen).toEqual(["a=1", "a=∅"]));
  await withTombstones.stop();
  expect(await readTopic(testKafka(), dlqTopicOf(topic))).toHaveLength(0);

  const without = await runConsumer({
    kafka,
    groupId: uniqueName("tomb-g-"),
    topic,
    schema: Value,
    producer,
    logger,
    handle: async () => {},
  });
  await eventually(async () => {
    const dead = await readTopic(testKafka(), dlqTopicOf(topic));
    expect(dead.map((m) => m.headers?.["x-error-code"]?.toString())).toEqual(["MALFORMED_JSON"]);
  });
  await without.stop();
});

it("a compacted table loads the topic, follows it, forgets a key at its tombstone, and never dead-letters", async () => {
  const topic = uniqueName("table.t");
  await ensureTopics(kafka, [topic], 2, { configOf: () => ({ "cleanup.policy": "compact" }) });
  await producer.sendRaw(topic, [
    { key: "a", value: JSON.stringify({ v: 1 }) },
    { key: "b", value: JSON.stringify({ v: 2 }) },
    { key: "a", value: JSON.stringify({ v: 3 }) },
    { key: "z", value: "not json" },
  ]);
  const table = await followCompactedTopic({
    kafka,
    topic,
    groupId: uniqueName("table-g-"),
    schema: Value,
    producer,
    logger,
  });
  try {
    await table.loaded;
    expect([table.get("a"), table.get("b"), table.get("z"), table.size]).toEqual([{ v: 3 }, { v: 2 }, undefined, 2]);
    await producer.sendRaw(topic, [
      { key: "b", value: null },
      { key: "c", value: JSON.stringify({ v: 4 }) },
    ]);
    // What was published before catchUp() is known once it resolves.
    await table.catchUp();
    expect([table.get("b"), table.get("c")]).toEqual([undefined, { v: 4 }]);
    const admin = kafka.admin();
    await admin.connect();
    const topics = await admin.listTopics();
    await admin.disconnect();
    expect(topics).not.toContain(dlqTopicOf(topic));
  } finally {
    await table.stop();
  }
});

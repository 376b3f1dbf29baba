import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { dlqTopicOf } from "@logis/contracts";
import {
  createKafka,
  createProducer,
  createTransactionalPublisher,
  type EventProducer,
  ensureTopics,
  recentEventIds,
  runConsumer,
} from "@logis/kafka";
import { createLogger } from "@logis/observability";
import { eventually, headerText, readTopic, testDatabase, testEnv, testKafka, uniqueName } from "@logis/testing";
import type { Kafka } from "kafkajs";
import type { mongo } from "mongoose";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startOutboxRelay } from "./relay.js";
import { mongoOutboxStore } from "./store.js";
import { demoStream, grantCredit, projectCredit } from "./testing/demo.js";

const child = fileURLToPath(new URL("./testing/crash-child.ts", import.meta.url));
const repoRoot = fileURLToPath(new URL("../../..", import.meta.url));
const logger = createLogger({ service: "exactly-once-test", level: "warn" });

let kafka: Kafka;
let producer: EventProducer;
let database: Awaited<ReturnType<typeof testDatabase>>;
let db: mongo.Db;
let topic: string;
const cleanups: (() => Promise<void>)[] = [];

/** Runs the crash child and resolves with the signal that ended it. */
function runChild(args: string[]): Promise<NodeJS.Signals | null> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", child, ...args], {
      cwd: repoRoot,
      stdio: ["ignore", "inherit", "inherit"],
    });
    const timer = setTimeout(() => {
      p.kill("SIGKILL");
      reject(new Error("crash child did not crash within 60 s"));
    }, 60_000);
    p.on("exit", (_code, signal) => {
      clearTimeout(timer);
      resolve(signal);
    });
  });
}

const count = (name: string, filter: mongo.Filter<mongo.BSON.Document> = {}) =>
  db.collection(name).countDocuments(filter);
const credit = async (id: string) => (await db.collection("credits").findOne({ _id: id as never }))?.total;

beforeAll(async () => {
  kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: "exactly-once-test", logger });
  producer = await createProducer(kafka);
});
afterAll(async () => {
  await producer.disconnect();
});

describe("outbox → Kafka → consumer: effects happen exactly once", () => {
  beforeAll(async () => {
    database = await testDatabase("exactlyonce");
    const handle = database.connection.db;
    if (!handle) throw new Error("no db");
    db = handle;
  });
  afterAll(async () => {
    await database.close();
  });
  afterEach(async () => {
    for (const c of cleanups.splice(0)) await c();
  });

  const freshTopic = async () => {
    topic = `${uniqueName("t")}.demo.v1`;
    await ensureTopics(kafka, [topic, dlqTopicOf(topic)], 1);
    return topic;
  };

  const consume = async (groupId: string) => {
    const c = await runConsumer({
      kafka,
      groupId,
      topic,
      schema: demoStream(topic).schema,
      producer,
      logger,
      sessionTimeoutMs: 6_000,
      handle: (event) => projectCredit(db, event),
    });
    cleanups.push(() => c.stop());
    return c;
  };

  it("(a) the relay dies between publishing and acknowledging: the event is re-sent, applied once", async () => {
    await freshTopic();
    const event = await grantCredit(db, topic, "acc-a", 30);

    const signal = await runChild(["relay", testEnv().MONGO_URL, database.name, testEnv().KAFKA_BROKERS, topic]);
    expect(signal).toBe("SIGKILL");
    // Published, but still pending in the outbox: the crash came before the acknowledgement.
    expect(await readTopic(testKafka(), topic)).toHaveLength(1);
    expect(await count("accounts", { "outbox.eventId": event.eventId })).toBe(1);

    const relay = startOutboxRelay({ stores: [mongoOutboxStore(db.collection("accounts"))], producer, logger });
    await relay.flush();
    await relay.stop();
    const onTopic = await readTopic(testKafka(), topic);
    expect(onTopic.map((m) => headerText(m, "event-id"))).toEqual([event.eventId, event.eventId]);
    expect(await count("accounts", { outboxAt: { $exists: true } })).toBe(0);

    await consume(uniqueName("g-a-"));
    await eventually(async () => expect(await count("deliveries", { eventId: event.eventId })).toBe(2));
    expect(await credit("acc-a")).toBe(30);
  });

  it("(a') the same crash, and the restarted relay reads the topic's end back: the event is on the topic once (issue 10)", async () => {
    await freshTopic();
    const event = await grantCredit(db, topic, "acc-a2", 35);
    const other = await grantCredit(db, topic, "acc-a3", 5);
    const signal = await runChild(["relay", testEnv().MONGO_URL, database.name, testEnv().KAFKA_BROKERS, topic]);
    expect(signal).toBe("SIGKILL");
    expect((await readTopic(testKafka(), topic)).map((m) => headerText(m, "event-id")).sort()).toEqual(
      [event.eventId, other.eventId].sort(),
    );
    // A new event written after the crash is still to be sent.
    const later = await grantCredit(db, topic, "acc-a5", 1);

    // What services run: a transactional publisher, and the read-back of the topic's end.
    const publisher = createTransactionalPublisher(kafka, { transactionalId: uniqueName("relay-"), logger });
    cleanups.push(() => publisher.disconnect());
    const relay = startOutboxRelay({
      stores: [mongoOutboxStore(db.collection("accounts"))],
      producer: publisher,
      logger,
      recentlyPublished: (t, perPartition) => recentEventIds(kafka, t, perPartition),
    });
    await relay.flush();
    await relay.stop();
    const ids = (await readTopic(testKafka(), topic)).map((m) => headerText(m, "event-id"));
    expect(ids.sort()).toEqual([event.eventId, other.eventId, later.eventId].sort());
    expect(await count("accounts", { outboxAt: { $exists: true } })).toBe(0);
  });

  it("(a'') the read-back sees committed records only: an event of an aborted transaction is sent again", async () => {
    await freshTopic();
    const publisher = createTransactionalPublisher(kafka, { transactionalId: uniqueName("abort-"), logger });
    cleanups.push(() => publisher.disconnect());
    const event = await grantCredit(db, topic, "acc-a4", 7);
    // An attempt that wrote the event and was aborted (a failed relay iteration).
    const raw = kafka.producer({ transactionalId: uniqueName("aborted-"), idempotent: true, maxInFlightRequests: 1 });
    await raw.connect();
    const tx = await raw.transaction();
    await tx.send({ topic, messages: [{ key: "acc-a4", value: "{}", headers: { "event-id": event.eventId } }] });
    await tx.abort();
    await raw.disconnect();
    expect(await recentEventIds(kafka, topic, 10)).toEqual(new Set());

    const relay = startOutboxRelay({
      stores: [mongoOutboxStore(db.collection("accounts"))],
      producer: publisher,
      logger,
      recentlyPublished: (t, perPartition) => recentEventIds(kafka, t, perPartition),
    });
    await relay.flush();
    await relay.stop();
    expect((await readTopic(testKafka(), topic)).map((m) => headerText(m, "event-id"))).toEqual([event.eventId]);
  });

  it("(b) the consumer dies after its effect and before committing: redelivered, applied once", async () => {
    await freshTopic();
    const event = await grantCredit(db, topic, "acc-b", 40);
    const relay = startOutboxRelay({ stores: [mongoOutboxStore(db.collection("accounts"))], producer, logger });
    await relay.flush();
    await relay.stop();

    const group = uniqueName("g-b-");
    const signal = await runChild([
      "consumer",
      testEnv().MONGO_URL,
      database.name,
      testEnv().KAFKA_BROKERS,
      topic,
      group,
    ]);
    expect(signal).toBe("SIGKILL");
    expect(await count("deliveries", { eventId: event.eventId })).toBe(1);
    expect(await credit("acc-b")).toBe(40);

    // Same group: the offset was never committed, so the event comes again.
    await consume(group);
    await eventually(async () => expect(await count("deliveries", { eventId: event.eventId })).toBe(2), 40_000);
    expect(await credit("acc-b")).toBe(40);
    const admin = kafka.admin();
    await admin.connect();
    await eventually(async () => {
      const [offsets] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
      expect(offsets?.partitions[0]?.offset).toBe("1");
    });
    await admin.disconnect();
  });

  it("(c) malformed messages go to the dead-letter topic with error headers; the consumer carries on", async () => {
    await freshTopic();
    await producer.sendRaw(topic, [
      { key: "acc-c", value: "{not json" },
      { key: "acc-c", value: JSON.stringify({ type: "CreditGranted", schemaVersion: 1, payload: { amount: -5 } }) },
    ]);
    const event = await grantCredit(db, topic, "acc-c", 50);
    const relay = startOutboxRelay({ stores: [mongoOutboxStore(db.collection("accounts"))], producer, logger });
    await relay.flush();
    await relay.stop();

    const group = uniqueName("g-c-");
    await consume(group);
    await eventually(async () => expect(await credit("acc-c")).toBe(50));
    expect(await count("deliveries", { eventId: event.eventId })).toBe(1);

    const dead = await eventually(async () => {
      const m = await readTopic(testKafka(), dlqTopicOf(topic));
      expect(m).toHaveLength(2);
      return m;
    });
    expect(dead.map((m) => headerText(m, "x-error-code"))).toEqual(["MALFORMED_JSON", "SCHEMA_MISMATCH"]);
    expect(dead.map((m) => headerText(m, "x-original-offset"))).toEqual(["0", "1"]);
    expect(headerText(dead[1]!, "x-error-message")).toMatch(/eventId/);
    expect(headerText(dead[0]!, "x-consumer-group")).toBe(group);
    expect(dead[0]?.value?.toString()).toBe("{not json");
  });
});

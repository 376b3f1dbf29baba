import { dlqTopicOf } from "@logis/contracts";
import { createKafka, createProducer, ensureTopics } from "@logis/kafka";
import { createLogger } from "@logis/observability";
import { headerText, readTopic, testDatabase, testEnv, testKafka, uniqueName } from "@logis/testing";
import { expect, it } from "vitest";
import { startOutboxRelay } from "./relay.js";
import { markersOf, markPending, mongoOutboxStore } from "./store.js";
import { grantCredit } from "./testing/demo.js";

it("relays from markers without scanning, repairs a missing marker, and removes markers once published", async () => {
  const logger = createLogger({ service: "markers-test", level: "warn" });
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: "markers-test", logger });
  const producer = await createProducer(kafka);
  const database = await testDatabase("markers");
  const db = database.connection.db;
  if (!db) throw new Error("no db");
  const topic = `${uniqueName("t")}.demo.v1`;
  await ensureTopics(kafka, [topic, dlqTopicOf(topic)], 1);
  const accounts = db.collection("accounts");

  await markPending(accounts, "acc-marked");
  const marked = await grantCredit(db, topic, "acc-marked", 10);
  const stray = await grantCredit(db, topic, "acc-stray", 20); // written without a marker
  expect(await markersOf(accounts).countDocuments()).toBe(1);

  const relay = startOutboxRelay({
    stores: [mongoOutboxStore(accounts, { markers: { fullScanEveryMs: 60_000 } })],
    producer,
    logger,
  });
  await relay.flush();
  await relay.stop();
  const ids = (await readTopic(testKafka(), topic)).map((m) => headerText(m, "event-id"));
  expect(ids.sort()).toEqual([marked.eventId, stray.eventId].sort());
  expect(await markersOf(accounts).countDocuments()).toBe(0);
  expect(await accounts.countDocuments({ outboxAt: { $exists: true } })).toBe(0);

  await producer.disconnect();
  await database.close();
});

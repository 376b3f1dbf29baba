import { randomUUID } from "node:crypto";
import { dlqTopicOf } from "@logis/contracts";
import { createLogger } from "@logis/observability";
import { eventually, testEnv, uniqueName } from "@logis/testing";
import { KafkaJSNonRetriableError } from "kafkajs";
import { afterAll, beforeAll, expect, it } from "vitest";
import { z } from "zod";
import { createKafka, ensureTopics } from "./client.js";
import { runConsumer } from "./consumer.js";
import { createProducer, type EventProducer } from "./producer.js";

// Issue 10's fault script: during a Kafka restart kafkajs crashed a consumer with an error it does
// not mark retriable ("Failed to find group coordinator") and did not restart it: its group stayed
// empty for good. A failure kafkajs does not restart from is made here on purpose (a commit that
// throws once): the consumer must come back by itself and carry on.
const logger = createLogger({ service: "consumer-restart-test", level: "silent" });
const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: "consumer-restart-test", logger });
let producer: EventProducer;

beforeAll(async () => {
  producer = await createProducer(kafka);
});
afterAll(async () => {
  await producer.disconnect();
});

const send = (topic: string, n: number) =>
  producer.sendRaw(topic, [{ key: "k", value: JSON.stringify({ n, id: randomUUID() }) }]);

it("a consumer that kafkajs will not restart after a crash starts again and handles what follows", async () => {
  const topic = uniqueName("restart.t");
  await ensureTopics(kafka, [topic, dlqTopicOf(topic)], 1);
  const handled: number[] = [];
  let failCommitOnce = true;
  const consumer = await runConsumer({
    kafka,
    groupId: uniqueName("restart-g-"),
    topic,
    schema: z.object({ n: z.number(), id: z.string() }),
    producer,
    logger,
    sessionTimeoutMs: 6_000,
    handle: async (event) => {
      handled.push(event.n);
    },
    beforeCommit: () => {
      if (failCommitOnce) {
        failCommitOnce = false;
        // What kafkajs threw during the broker restart: an error it will not restart from.
        throw new KafkaJSNonRetriableError("Failed to find group coordinator");
      }
    },
  });
  try {
    await consumer.joined;
    await send(topic, 1);
    // Handled, then the crash before its commit; started again, the message comes back.
    await eventually(() => expect(handled).toEqual([1, 1]), 40_000);
    await send(topic, 2);
    await eventually(() => expect(handled).toEqual([1, 1, 2]), 20_000);
  } finally {
    await consumer.stop();
  }
});

import { PassThrough } from "node:stream";
import { dlqTopicOf } from "@logis/contracts";
import { createKafka, createProducer, ensureTopics, runConsumer } from "@logis/kafka";
import { createLogger, SpanKind, withSpan } from "@logis/observability";
import { recordSpans } from "@logis/observability/testing";
import { eventually, testDatabase, testEnv, uniqueName } from "@logis/testing";
import { trace } from "@opentelemetry/api";
import { afterAll, beforeAll, expect, it } from "vitest";
import { startOutboxRelay } from "./relay.js";
import { mongoOutboxStore } from "./store.js";
import { demoStream, grantCredit } from "./testing/demo.js";

let spans: ReturnType<typeof recordSpans>;
beforeAll(() => {
  spans = recordSpans();
});
afterAll(async () => {
  await spans.shutdown();
});

it("carries the trace of the request that wrote the event, through the outbox and Kafka, to the consumer and its logs", async () => {
  const lines: string[] = [];
  const sink = new PassThrough();
  sink.on("data", (chunk: Buffer) => lines.push(...chunk.toString().split("\n").filter(Boolean)));
  const logger = createLogger({ service: "trace-test", level: "info", destination: sink });
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: "trace-test", logger });
  const producer = await createProducer(kafka);
  const database = await testDatabase("trace");
  const db = database.connection.db;
  if (!db) throw new Error("no db");
  const topic = `${uniqueName("t")}.demo.v1`;
  await ensureTopics(kafka, [topic, dlqTopicOf(topic)], 1);

  // The "HTTP request": its span is over long before the relay publishes.
  const requestTraceId = await withSpan(
    "POST /v1/credits",
    async (span) => {
      await grantCredit(db, topic, "acc-trace", 5);
      return span.spanContext().traceId;
    },
    { kind: SpanKind.SERVER },
  );

  const relay = startOutboxRelay({ stores: [mongoOutboxStore(db.collection("accounts"))], producer, logger });
  await relay.flush();
  await relay.stop();

  const seen: string[] = [];
  const consumer = await runConsumer({
    kafka,
    groupId: uniqueName("g-trace-"),
    topic,
    schema: demoStream(topic).schema,
    producer,
    logger,
    handle: async () => {
      seen.push(trace.getActiveSpan()?.spanContext().traceId ?? "none");
      logger.info("credit projected");
    },
  });
  await eventually(() => expect(seen).toHaveLength(1));
  await consumer.stop();
  await producer.disconnect();
  await database.close();

  expect(seen[0]).toBe(requestTraceId);
  const consumerSpan = spans.exporter.getFinishedSpans().find((s) => s.name === `${topic} process`);
  expect(consumerSpan?.spanContext().traceId).toBe(requestTraceId);
  const logLine = lines.map((l) => JSON.parse(l) as Record<string, unknown>).find((l) => l.msg === "credit projected");
  expect(logLine?.trace_id).toBe(requestTraceId);
  expect(logLine?.span_id).toBe(consumerSpan?.spanContext().spanId);
});

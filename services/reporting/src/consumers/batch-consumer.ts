import { dlqTopicOf, groupName, topicName } from "@logis/contracts";
import { describeZodIssues } from "@logis/domain";
import type { createKafka, EventProducer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { z } from "zod";

/**
 * Feeds a read model a Kafka batch at a time: every message of the batch parsed with the contract
 * schema (a malformed one goes to `<topic>.dlq` with the error headers, as `runConsumer` does), the
 * valid events folded with one read and one bulk write per batch (`foldProjection.applyBatch`, the
 * same `_v` high-water marks, so a redelivered batch changes nothing), then the batch's offsets
 * committed. A failure of the fold is thrown: kafkajs restarts the batch after its retry backoff.
 * From the beginning on the group's first start, then from its committed offsets.
 */
export async function startBatchConsumer<E>(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  stream: { topic: string; schema: z.ZodType<E> };
  group: string;
  applyBatch: (events: readonly E[]) => Promise<unknown>;
  logger: Logger;
  topicPrefix: string;
}) {
  const topic = topicName(opts.stream.topic, opts.topicPrefix);
  const groupId = groupName(opts.group, opts.topicPrefix);
  const log = opts.logger.child({ component: "batch-consumer", groupId, topic });
  const consumer = opts.kafka.consumer({
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    allowAutoTopicCreation: false,
  });
  let joinedResolve: () => void = () => {};
  const joined = new Promise<void>((resolve) => {
    joinedResolve = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, () => joinedResolve());
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  await consumer.run({
    autoCommit: false,
    // Partitions hold different aggregates: their batches are folded side by side.
    partitionsConsumedConcurrently: 4,
    eachBatch: async ({ batch, heartbeat }) => {
      const events: E[] = [];
      const dead: { key: string | null; value: Buffer | null; headers: Record<string, string> }[] = [];
      for (const message of batch.messages) {
        let failure: { code: string; message: string } | undefined;
        try {
          const parsed = opts.stream.schema.safeParse(JSON.parse(message.value?.toString("utf8") ?? "null"));
          if (parsed.success) events.push(parsed.data);
          else failure = { code: "SCHEMA_MISMATCH", message: describeZodIssues(parsed.error).message };
        } catch (error) {
          failure = { code: "MALFORMED_JSON", message: String(error) };
        }
        if (failure)
          dead.push({
            key: message.key ? message.key.toString("utf8") : null,
            value: message.value,
            headers: {
              "x-error-code": failure.code,
              "x-error-message": failure.message.slice(0, 2_000),
              "x-original-topic": topic,
              "x-original-partition": String(batch.partition),
              "x-original-offset": message.offset,
              "x-consumer-group": groupId,
              "x-failed-at": new Date().toISOString(),
            },
          });
      }
      if (dead.length) {
        log.warn({ partition: batch.partition, count: dead.length }, "messages sent to the dead-letter topic");
        await opts.producer.sendRaw(dlqTopicOf(topic), dead);
      }
      if (events.length) await opts.applyBatch(events);
      await heartbeat();
      const last = batch.messages.at(-1);
      if (last)
        await consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(BigInt(last.offset) + 1n) }]);
    },
  });
  return { joined, stop: () => consumer.disconnect() };
}

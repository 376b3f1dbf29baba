import { dlqTopicOf, groupName, topicName } from "@logis/contracts";
import { describeZodIssues } from "@logis/domain";
import type { createKafka, EventProducer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { z } from "zod";
import type { Positions, ReadModelCatalog } from "../app/read-model.js";

/**
 * Feeds a read model a Kafka batch at a time: every message of the batch parsed with the contract
 * schema (a malformed one goes to `<topic>.dlq` with the error headers, as `runConsumer` does), the
 * valid events folded with one read and one bulk write per batch (`foldProjection.applyBatch`, the
 * same `_v` high-water marks, so a redelivered batch changes nothing), then the batch's offsets
 * committed. A failure of the fold is thrown: kafkajs restarts the batch after its retry backoff.
 * From the beginning on the group's first start, then from its committed offsets.
 *
 * With a `snapshot`, the positions are also recorded in the read model's catalog entry just after
 * the batch's rows (before the Kafka commit), and at start the group is set to the catalog's
 * positions when they differ from its committed offsets: the read model and its positions are one
 * snapshot, so a restart resumes from it even when Kafka forgot the group's offsets (their
 * retention), and a rebuilt collection swapped in is fed from where its rows stand.
 */
export async function startBatchConsumer<E>(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  stream: { topic: string; schema: z.ZodType<E> };
  group: string;
  applyBatch: (events: readonly E[]) => Promise<unknown>;
  logger: Logger;
  topicPrefix: string;
  /** The read model's catalog entry (`name`) and the collection the fold writes. */
  snapshot?: { catalog: ReadModelCatalog; name: string; collection: string };
}) {
  const topic = topicName(opts.stream.topic, opts.topicPrefix);
  const groupId = groupName(opts.group, opts.topicPrefix);
  const log = opts.logger.child({ component: "batch-consumer", groupId, topic });
  const consumer = opts.kafka.consumer({
    groupId,
    sessionTimeout: 10_000,
    heartbeatInterval: 1_000,
    // A fetch waits at most a second for data (kafkajs: 5 s): a stop waits for the fetch in flight,
    // and the service stops its six read models' consumers one after the other within its 30 s.
    maxWaitTimeInMs: 1_000,
    allowAutoTopicCreation: false,
  });
  let joinedResolve: () => void = () => {};
  const joined = new Promise<void>((resolve) => {
    joinedResolve = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, () => joinedResolve());
  const snapshot = opts.snapshot;
  if (snapshot) {
    const entry = await snapshot.catalog.entry(snapshot.name);
    if (entry && entry.collection === snapshot.collection)
      await alignGroup(opts.kafka, groupId, topic, entry.positions, log);
  }
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
      if (!last) return;
      const next = BigInt(last.offset) + 1n;
      // The rows are written: the catalog's position and the group's offset move on side by side.
      const [recorded] = await Promise.all([
        snapshot?.catalog.advance(snapshot.name, snapshot.collection, { [batch.partition]: Number(next) }),
        consumer.commitOffsets([{ topic, partition: batch.partition, offset: String(next) }]),
      ]);
      if (recorded === false)
        log.warn({ collection: snapshot?.collection }, "read model swapped meanwhile: positions not recorded");
    },
  });
  return { joined, stop: () => consumer.disconnect() };
}

/**
 * Sets the group's committed offsets to the snapshot's positions where they differ (forward: rows
 * already hold those events; back: a swapped-in collection needs them). Only an empty group takes
 * new offsets: a member a crash left behind holds it until its session times out, so this waits a
 * little; failing that the group resumes from its own offsets (the high-water marks keep a replay
 * harmless, and the consumer records the catalog's positions again after its first batches).
 */
export async function alignGroup(
  kafka: ReturnType<typeof createKafka>,
  groupId: string,
  topic: string,
  positions: Positions,
  log: Pick<Logger, "info" | "warn">,
  attempts = 4,
): Promise<boolean> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const [committed] = await admin.fetchOffsets({ groupId, topics: [topic] });
    const at = new Map((committed?.partitions ?? []).map((p) => [String(p.partition), p.offset]));
    const partitions = Object.entries(positions)
      .filter(([p, offset]) => at.get(p) !== String(offset))
      .map(([p, offset]) => ({ partition: Number(p), offset: String(offset) }));
    if (partitions.length === 0) return true;
    for (let attempt = 1; ; attempt++) {
      try {
        await admin.setOffsets({ groupId, topic, partitions });
        log.info({ partitions }, "consumer group set to the read model's positions");
        return true;
      } catch (error) {
        if (attempt >= attempts) {
          log.warn({ err: error, partitions }, "consumer group left at its own offsets");
          return false;
        }
        await new Promise((resolve) => setTimeout(resolve, 4_000));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

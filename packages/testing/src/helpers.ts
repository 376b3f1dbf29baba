import { randomBytes } from "node:crypto";
import { Kafka, type KafkaMessage, logLevel } from "kafkajs";
import mongoose from "mongoose";
import { testEnv } from "./config.js";

/** A short random name: tests isolate themselves by topic prefix and database name. */
export const uniqueName = (prefix: string): string => `${prefix}${randomBytes(4).toString("hex")}`;

/** Retries `assertion` until it passes or the deadline passes; never a bare sleep. */
export async function eventually<T>(assertion: () => Promise<T> | T, timeoutMs = 20_000, intervalMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await assertion();
    } catch (error) {
      if (Date.now() > deadline) throw error;
      await new Promise((r) => setTimeout(r, intervalMs));
    }
  }
}

/** A mongoose connection to a fresh database, dropped by `close()`. */
export async function testDatabase(prefix = "test") {
  const name = uniqueName(prefix);
  const connection = await mongoose
    .createConnection(testEnv().MONGO_URL, { dbName: name, ignoreUndefined: true })
    .asPromise();
  return {
    name,
    connection,
    async close() {
      await connection.dropDatabase().catch(() => undefined);
      await connection.close();
    },
  };
}

export const testKafka = (clientId = "logis-test") =>
  new Kafka({ clientId, brokers: testEnv().kafkaBrokers, logLevel: logLevel.NOTHING });

/**
 * Reads every message currently on `topic` (all partitions), from the beginning, as a consumer of the
 * platform reads it: committed transactions only. Offsets also hold transaction markers and aborted
 * records, which are never delivered, so the end is known from the consumer's position (its batches'
 * last offsets), not from a count of messages.
 */
export async function readTopic(kafka: Kafka, topic: string): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  // Asked again while leaders move (a topic just created beside another file's): see topicOffsets
  // in @logis/kafka, which this package cannot import (@logis/kafka tests with it).
  let ends: Awaited<ReturnType<typeof admin.fetchTopicOffsets>> = [];
  for (let attempt = 0; ; attempt++) {
    try {
      ends = await admin.fetchTopicOffsets(topic);
      break;
    } catch (error) {
      if ((error as { retriable?: boolean }).retriable !== true || attempt >= 15) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)));
      await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
    }
  }
  await admin.disconnect();
  const wanted = new Map(ends.filter((e) => BigInt(e.high) > BigInt(e.low)).map((e) => [e.partition, BigInt(e.high)]));
  const messages: KafkaMessage[] = [];
  if (wanted.size === 0) return messages;
  const reached = new Map<number, bigint>();
  const consumer = kafka.consumer({ groupId: uniqueName("reader-"), sessionTimeout: 6_000, maxWaitTimeInMs: 500 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () =>
        reject(
          new Error(
            `readTopic(${topic}) timed out: reached ${JSON.stringify([...reached].map(([p, o]) => [p, String(o)]))} of ${JSON.stringify([...wanted].map(([p, o]) => [p, String(o)]))}`,
          ),
        ),
      30_000,
    );
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic !== topic) return;
      const next = BigInt(payload.lastOffset) + 1n;
      if (next > (reached.get(payload.partition) ?? 0n)) reached.set(payload.partition, next);
      if ([...wanted].every(([p, end]) => (reached.get(p) ?? 0n) >= end)) {
        clearTimeout(timer);
        resolve();
      }
    });
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (BigInt(message.offset) < (wanted.get(partition) ?? 0n)) messages.push(message);
      },
    });
  });
  await consumer.disconnect();
  return messages;
}

export const headerText = (m: KafkaMessage, name: string): string | undefined => {
  const v = m.headers?.[name];
  if (v === undefined) return undefined;
  return Buffer.isBuffer(v) ? v.toString("utf8") : String(v);
};

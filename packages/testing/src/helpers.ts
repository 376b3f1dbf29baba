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

/** Reads every message currently on `topic` (all partitions), from the beginning. */
export async function readTopic(kafka: Kafka, topic: string): Promise<KafkaMessage[]> {
  const admin = kafka.admin();
  await admin.connect();
  const ends = await admin.fetchTopicOffsets(topic);
  await admin.disconnect();
  const wanted = new Map(ends.map((e) => [e.partition, BigInt(e.high)]));
  const total = [...wanted.values()].reduce((a, b) => a + b, 0n);
  const messages: KafkaMessage[] = [];
  if (total === 0n) return messages;
  const consumer = kafka.consumer({ groupId: uniqueName("reader-"), sessionTimeout: 6_000 });
  await consumer.connect();
  await consumer.subscribe({ topics: [topic], fromBeginning: true });
  let seen = 0n;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`readTopic(${topic}) timed out at ${seen}/${total}`)), 30_000);
    void consumer.run({
      autoCommit: false,
      eachMessage: async ({ partition, message }) => {
        if (BigInt(message.offset) < (wanted.get(partition) ?? 0n)) {
          messages.push(message);
          seen++;
        }
        if (seen >= total) {
          clearTimeout(timer);
          resolve();
        }
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

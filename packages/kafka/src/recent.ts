import { randomBytes } from "node:crypto";
import type { Kafka } from "kafkajs";
import { topicOffsets } from "./client.js";

/**
 * The event ids (`event-id` header) among the last `perPartition` offsets of each partition of
 * `topic`, as a read-committed consumer sees them: records of aborted transactions are not among
 * them. The outbox relay asks it after a restart or a failed attempt, before sending a batch again:
 * an event already there was committed by a transaction whose acknowledgement was lost (a crash
 * between the two), and is acknowledged without being sent twice.
 *
 * Offsets also hold transaction markers and aborted records, so the window is counted in offsets
 * and the end is the consumer's position, not a number of messages.
 */
export async function recentEventIds(
  kafka: Kafka,
  topic: string,
  perPartition: number,
  options: { timeoutMs?: number } = {},
): Promise<Set<string>> {
  const admin = kafka.admin();
  await admin.connect();
  let ends: { partition: number; low: string; high: string }[];
  try {
    ends = await topicOffsets(admin, topic);
  } finally {
    await admin.disconnect();
  }
  const window = new Map(
    ends
      .filter((e) => BigInt(e.high) > BigInt(e.low))
      .map((e) => {
        const high = BigInt(e.high);
        const from = high - BigInt(Math.max(1, perPartition));
        return [e.partition, { from: from > BigInt(e.low) ? from : BigInt(e.low), high }] as const;
      }),
  );
  const ids = new Set<string>();
  if (window.size === 0) return ids;

  // A group of this call alone, never committed: it reads a range and leaves.
  const consumer = kafka.consumer({
    groupId: `logis.recent-events.${randomBytes(6).toString("hex")}`,
    sessionTimeout: 6_000,
    maxWaitTimeInMs: 200,
    allowAutoTopicCreation: false,
  });
  const reached = new Map<number, bigint>();
  const done = () => [...window].every(([p, { high }]) => (reached.get(p) ?? 0n) >= high);
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`reading the end of ${topic} took more than ${options.timeoutMs ?? 30_000} ms`)),
        options.timeoutMs ?? 30_000,
      );
      consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
        if (payload.topic !== topic) return;
        const next = BigInt(payload.lastOffset) + 1n;
        if (next > (reached.get(payload.partition) ?? 0n)) reached.set(payload.partition, next);
        if (done()) {
          clearTimeout(timer);
          resolve();
        }
      });
      consumer.on(consumer.events.CRASH, ({ payload }) => {
        clearTimeout(timer);
        reject(payload.error);
      });
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ partition, message }) => {
            const range = window.get(partition);
            const offset = BigInt(message.offset);
            if (!range || offset < range.from || offset >= range.high) return;
            const id = message.headers?.["event-id"];
            if (id !== undefined) ids.add(Buffer.isBuffer(id) ? id.toString("utf8") : String(id));
          },
        })
        .then(() => {
          // Seeking is possible once the consumer runs: each partition from its window's start.
          for (const [partition, { from }] of window) consumer.seek({ topic, partition, offset: String(from) });
        }, reject);
    });
  } finally {
    await consumer.disconnect();
  }
  return ids;
}

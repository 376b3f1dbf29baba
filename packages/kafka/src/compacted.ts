import { AppError } from "@logis/domain";
import type { Logger } from "@logis/observability";
import type { Kafka } from "kafkajs";
import type { z } from "zod";
import { topicOffsets } from "./client.js";
import { runConsumer } from "./consumer.js";
import type { EventProducer } from "./producer.js";

/** A compacted topic held in memory: the last value of each key, a tombstone removing it. */
export interface CompactedTable<V> {
  get(key: string): V | undefined;
  readonly size: number;
  /** Resolves once the records present when the table started are read. */
  readonly loaded: Promise<void>;
  /** Reads up to the topic's end as it is now (a key published before a caller's event is then known). */
  catchUp(): Promise<void>;
  stop(): Promise<void>;
}

export interface CompactedTableOptions<S extends z.ZodType> {
  kafka: Kafka;
  topic: string;
  /** A group of this process alone: the table is read from the beginning at every start. */
  groupId: string;
  schema: S;
  producer: EventProducer;
  logger: Logger;
  /** How long `catchUp` waits before failing with a retriable error. */
  catchUpTimeoutMs?: number;
}

/**
 * Follows a compacted topic into memory, from its beginning, without dead letters (a copy of a
 * record would outlive its tombstone). Nothing is written to disk: what the table forgets is gone.
 */
export async function followCompactedTopic<S extends z.ZodType>(
  options: CompactedTableOptions<S>,
): Promise<CompactedTable<z.infer<S>>> {
  const { kafka, topic } = options;
  const values = new Map<string, z.infer<S>>();
  const positions = new Map<number, bigint>();
  const waiters: { targets: Map<number, bigint>; resolve: () => void }[] = [];
  const reached = (targets: Map<number, bigint>) =>
    [...targets].every(([partition, high]) => (positions.get(partition) ?? 0n) >= high);
  const wake = () => {
    for (const waiter of [...waiters]) {
      if (!reached(waiter.targets)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve();
    }
  };

  const admin = kafka.admin();
  await admin.connect();
  // Partitions with nothing left to read (empty, or compacted down to nothing) are not waited for.
  const endsNow = async () =>
    new Map(
      (await topicOffsets(admin, topic))
        .filter((p) => BigInt(p.high) > BigInt(p.low))
        .map((p) => [p.partition, BigInt(p.high)] as const),
    );
  const until = (targets: Map<number, bigint>) =>
    new Promise<void>((resolve) => {
      waiters.push({ targets, resolve });
      wake();
    });

  const startEnds = await endsNow();
  const loaded = until(startEnds);
  const consumer = await runConsumer({
    kafka,
    groupId: options.groupId,
    topic,
    schema: options.schema,
    producer: options.producer,
    logger: options.logger,
    fromBeginning: true,
    deadLetters: false,
    commitEvery: 10_000,
    handle: async (value, meta) => {
      if (meta.key !== null) values.set(meta.key, value);
    },
    handleTombstone: async (meta) => {
      if (meta.key !== null) values.delete(meta.key);
    },
    onPosition: (partition, next) => {
      positions.set(partition, next);
      wake();
    },
  });

  const timeoutMs = options.catchUpTimeoutMs ?? 10_000;
  return {
    get: (key) => values.get(key),
    get size() {
      return values.size;
    },
    loaded,
    async catchUp() {
      const targets = await endsNow();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () =>
            reject(
              new AppError("UNAVAILABLE", `${topic}: not caught up after ${timeoutMs} ms`, {
                reason: "COMPACTED_TOPIC_BEHIND",
                retriable: true,
              }),
            ),
          timeoutMs,
        );
      });
      try {
        await Promise.race([until(targets), timeout]);
      } finally {
        clearTimeout(timer);
      }
    },
    async stop() {
      await consumer.stop();
      await admin.disconnect();
    },
  };
}

import { groupName, topicName } from "@logis/contracts";
import { type createKafka, topicOffsets } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { z } from "zod";
import { type Rows, rebuildFold, type VersionedRow } from "../app/read-model.js";

/** What a rebuild run reports after each flush (its resume point: rows written, then offsets committed). */
export interface RebuildProgress {
  done: number;
  ends: Record<string, string>;
}

/**
 * Replays one topic from the beginning up to the end offsets it had when the rebuild started, under
 * the rebuild's own consumer group, into the rebuild's own collection. Rows are held in memory and
 * written in bulk; offsets are committed only after the rows they produced are written, so a crash
 * resumes from the last flush (the group's offsets) without losing or doubling anything (a resumed
 * run reads back the rows it meets, and skips events at or below their version).
 */
export async function runRebuild<
  E extends { aggregateId: string; aggregateVersion: number },
  R extends VersionedRow,
>(opts: {
  kafka: ReturnType<typeof createKafka>;
  topicPrefix: string;
  topic: string;
  schema: z.ZodType<E>;
  evolve: (row: R | undefined, event: E) => R | undefined;
  target: Rows<R>;
  group: string;
  /** The end offsets to reach (captured when the job was created), by partition. */
  ends?: Record<string, string>;
  done: number;
  resumed: boolean;
  logger: Logger;
  maxRows?: number;
  onFlush: (p: RebuildProgress) => Promise<void>;
  /** Test seam: stops (as a crash would) after this many flushes. */
  crashAfterFlushes?: number;
}): Promise<"done" | "stopped"> {
  const topic = topicName(opts.topic, opts.topicPrefix);
  let ends = opts.ends;
  const admin = opts.kafka.admin();
  await admin.connect();
  const groupId = groupName(opts.group, opts.topicPrefix);
  let committed: { partition: number; offset: string }[] = [];
  try {
    if (!ends) {
      const offsets = await topicOffsets(admin, topic);
      ends = Object.fromEntries(offsets.map((o) => [String(o.partition), o.high]));
    }
    // A resumed run starts where its group committed: partitions already read to their end get no batch.
    const [forTopic] = await admin.fetchOffsets({ groupId, topics: [topic] });
    committed = (forTopic?.partitions ?? []).filter((p) => Number(p.offset) >= 0);
  } finally {
    await admin.disconnect();
  }
  const endOf = ends;
  const fold = rebuildFold(opts.target, opts.evolve, opts.maxRows ?? 200_000, opts.resumed);
  const reached = new Map<number, bigint>(committed.map((p) => [p.partition, BigInt(p.offset)]));
  const finished = () => Object.entries(endOf).every(([p, end]) => (reached.get(Number(p)) ?? 0n) >= BigInt(end));
  let done = opts.done;
  let flushes = 0;
  const consumer = opts.kafka.consumer({ groupId, sessionTimeout: 30_000 });
  const pending = new Map<number, string>();
  const flush = async () => {
    await fold.flush();
    if (pending.size)
      await consumer.commitOffsets([...pending].map(([partition, offset]) => ({ topic, partition, offset })));
    pending.clear();
    await opts.onFlush({ done, ends: endOf });
    flushes++;
  };
  if (finished()) {
    await opts.onFlush({ done, ends: endOf });
    return "done";
  }
  await consumer.connect();
  await consumer.subscribe({ topic, fromBeginning: true });
  let lastFlush = Date.now();
  let inBatch = false;
  let settled = false;
  const outcome = await new Promise<"done" | "stopped">((resolve, reject) => {
    // A fetch holding only a transaction marker never reaches eachBatch: its position is taken from
    // kafkajs' batch events, and the end checked between batches.
    consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
      if (payload.topic === topic && payload.batchSize === 0)
        reached.set(payload.partition, BigInt(payload.lastOffset) + 1n);
    });
    const watch = setInterval(() => {
      if (inBatch || settled || !finished()) return;
      settled = true;
      clearInterval(watch);
      flush().then(() => resolve("done"), reject);
    }, 500);
    const settle = (value: "done" | "stopped") => {
      settled = true;
      clearInterval(watch);
      resolve(value);
    };
    consumer
      .run({
        autoCommit: false,
        eachBatch: async ({ batch, heartbeat }) => {
          if (settled) return;
          inBatch = true;
          try {
            await handleBatch(batch, heartbeat, settle);
          } finally {
            inBatch = false;
          }
        },
      })
      .catch(reject);
  });
  await consumer.disconnect();
  opts.logger.info({ topic, group: opts.group, done, outcome }, "read-model rebuild");
  return outcome;

  async function handleBatch(
    batch: { partition: number; messages: { offset: string; value: Buffer | null }[]; lastOffset(): string },
    heartbeat: () => Promise<void>,
    resolve: (value: "done" | "stopped") => void,
  ): Promise<void> {
    const end = BigInt(endOf[String(batch.partition)] ?? "0");
    for (const message of batch.messages) {
      const offset = BigInt(message.offset);
      if (offset >= end) break;
      const parsed = opts.schema.safeParse(JSON.parse(message.value?.toString("utf8") ?? "null"));
      // A malformed event went to the live consumer's dead-letter topic; the rebuild skips it as the live model did.
      if (parsed.success) await fold.push(parsed.data);
      done++;
      pending.set(batch.partition, String(offset + 1n));
      reached.set(batch.partition, offset + 1n);
      // Test seam for crash tests: a flush after every event, and a stop after the wanted number of
      // flushes, wherever the batches happen to end (a relay's transaction often arrives as one).
      if (opts.crashAfterFlushes !== undefined) {
        await flush();
        if (flushes >= opts.crashAfterFlushes) {
          resolve("stopped");
          return;
        }
      }
    }
    // The batch's last offset may be a transaction marker, never delivered as a message.
    if (BigInt(batch.lastOffset()) + 1n >= end) reached.set(batch.partition, end);
    await heartbeat();
    if (finished()) {
      await flush();
      resolve("done");
      return;
    }
    // Offsets committed (after their rows) every 30 s: a crash replays at most that much; the fold
    // writes its coldest rows out by itself when it holds too many.
    if (Date.now() - lastFlush > 30_000) {
      await flush();
      lastFlush = Date.now();
      if (opts.crashAfterFlushes !== undefined && flushes >= opts.crashAfterFlushes) resolve("stopped");
    }
  }
}

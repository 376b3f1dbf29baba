import { demandStream, groupName, topicName, topics } from "@logis/contracts";
import { type createKafka, type EventProducer, runConsumer, topicOffsets } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import { startDemandKeys } from "@logis/runtime";
import type { Stock } from "../app/stock.js";

/**
 * Feeds the in-memory stock from the demand topic. The projection lives in memory, so every start
 * rebuilds it from the beginning of the topic under a group of its own (decision 0006); `caughtUp`
 * resolves once the offsets present at start have been applied (readiness). The demands' data keys
 * are read into memory first (decision 0012): an event whose key is gone belongs to a purged
 * demand and is skipped (its DemandPurged removes what remains).
 */
export async function startProjectionConsumer(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  stock: Stock;
  logger: Logger;
  topicPrefix: string;
  instance: string;
}) {
  const topic = topicName(topics.demand, opts.topicPrefix);
  const keys = await startDemandKeys({ ...opts, purpose: "cotation.projection-keys" });
  await keys.loaded;
  const admin = opts.kafka.admin();
  await admin.connect();
  const ends = await topicOffsets(admin, topic);
  await admin.disconnect();
  const remaining = new Map(ends.map((p) => [p.partition, BigInt(p.high)]));
  for (const [p, high] of remaining) if (high === 0n) remaining.delete(p);
  let resolve: () => void = () => {};
  const caughtUp = new Promise<void>((r) => {
    resolve = r;
  });
  if (remaining.size === 0) resolve();
  const consumer = await runConsumer({
    kafka: opts.kafka,
    groupId: groupName(`cotation.projection.${opts.instance}`, opts.topicPrefix),
    topic,
    schema: demandStream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    commitEvery: 1000,
    handle: async (event) => {
      const opened = await keys.open(event);
      if (opened) opts.stock.apply(opened);
    },
    // Transaction markers take offsets: the end is reached when the consumer's position is, not
    // when the last message's offset + 1 is.
    onPosition: (partition, next) => {
      const high = remaining.get(partition);
      if (high !== undefined && next >= high) {
        remaining.delete(partition);
        if (remaining.size === 0) {
          opts.logger.info({ demandes: opts.stock.projection.activeCount }, "projection rebuilt from the topic");
          resolve();
        }
      }
    },
  });
  let ready = remaining.size === 0;
  void caughtUp.then(() => {
    ready = true;
  });
  const stop = async () => {
    await consumer.stop();
    await keys.stop();
  };
  return { stop, caughtUp, isReady: () => ready };
}

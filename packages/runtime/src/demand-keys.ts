import { randomUUID } from "node:crypto";
import {
  DemandDataKey,
  type DemandEvent,
  groupName,
  openDemandEvent,
  type SealedDemandEvent,
  topicName,
  topicSettings,
  topics,
} from "@logis/contracts";
import { type EventProducer, ensureTopics, followCompactedTopic } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { Kafka } from "kafkajs";

/** The demands' data keys of the key topic, in memory only, for a consumer of the demand topic (decision 0012). */
export interface DemandKeys {
  /**
   * The event in clear; `undefined` when its demand's key is gone (the demand was purged: its
   * DemandPurged follows). A key not read yet is waited for: registration publishes it before
   * the demand's first event.
   */
  open(event: SealedDemandEvent): Promise<DemandEvent | undefined>;
  /**
   * The event in clear with the keys read so far, without waiting: for a replay up to end offsets
   * noted after `loaded` (every key of those events was published before them).
   */
  openKnown(event: SealedDemandEvent): DemandEvent | undefined;
  /** Resolves once the keys present at start are read. */
  readonly loaded: Promise<void>;
  readonly size: number;
  stop(): Promise<void>;
}

/**
 * Follows `registration.demand-key.v1` from its beginning under a group of this process alone:
 * keys live in memory and are never written anywhere (a copy on disk would defeat the tombstone).
 */
export async function startDemandKeys(opts: {
  kafka: Kafka;
  producer: EventProducer;
  logger: Logger;
  topicPrefix: string;
  /** `<service>.<purpose>`: the group is this name and a random suffix. */
  purpose: string;
}): Promise<DemandKeys> {
  const topic = topicName(topics.demandKey, opts.topicPrefix);
  // A consumer may start before registration ever created the key topic: created here with its settings.
  await ensureTopics(opts.kafka, [topic], 3, { configOf: () => topicSettings[topics.demandKey]?.config ?? {} });
  const table = await followCompactedTopic({
    kafka: opts.kafka,
    topic,
    groupId: groupName(`${opts.purpose}.${randomUUID()}`, opts.topicPrefix),
    // Only the key is kept (no record object per demand: the table is as large as the stock).
    schema: DemandDataKey.transform((record) => record.key),
    producer: opts.producer,
    logger: opts.logger,
  });
  const keyOf = (kid: string) => table.get(kid);
  return {
    loaded: table.loaded,
    get size() {
      return table.size;
    },
    openKnown: (event) => openDemandEvent(event, keyOf),
    async open(event) {
      await table.loaded;
      const opened = openDemandEvent(event, keyOf);
      if (opened !== undefined) return opened;
      await table.catchUp();
      return openDemandEvent(event, keyOf);
    },
    stop: () => table.stop(),
  };
}

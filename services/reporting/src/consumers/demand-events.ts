import { type DemandEvent, demandStream, groupName, type SealedDemandEvent, topicName, topics } from "@logis/contracts";
import { AppError } from "@logis/domain";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import { type DemandKeys, startDemandKeys } from "@logis/runtime";
import type { DemandProjection } from "../app/projection.js";

/** The consumer group of the demands read model; a rebuild replays the topic under another group into another collection. */
export const DEMAND_ROWS_GROUP = "reporting.demand-rows";

type KafkaParts = {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  logger: Logger;
  topicPrefix: string;
};

/**
 * The demands' data keys (decision 0012), in memory, started once for the process by the first
 * demand reader (`get`), stopped with the service. `current` is for synchronous readers (a
 * rebuild's schema): undefined until the keys present at start are read.
 */
export function reportingDemandKeys(parts: KafkaParts) {
  let started: Promise<DemandKeys> | undefined;
  let ready: DemandKeys | undefined;
  const get = () => {
    started ??= startDemandKeys({ ...parts, purpose: "reporting.demand-keys" }).then(
      async (keys) => {
        await keys.loaded;
        ready = keys;
        return keys;
      },
      (error: unknown) => {
        // Kafka unreachable at start: the next reader tries again (its batch is retried meanwhile).
        started = undefined;
        throw error;
      },
    );
    return started;
  };
  return {
    get,
    current: () => ready,
    async stop() {
      if (started) await (await started).stop();
    },
  };
}
export type ReportingDemandKeys = ReturnType<typeof reportingDemandKeys>;

/** A demand event as a read model folds it: in clear, or still sealed when its demand was purged (its key is gone). */
export type FoldedDemandEvent = DemandEvent | SealedDemandEvent;

const stillSealed = (e: FoldedDemandEvent) =>
  (e.type === "DemandRegistered" || e.type === "DemandUpdated") && e.schemaVersion === 2;

/**
 * A fold of events in clear that passes over the facts of a purged demand: a sealed event leaves
 * the row as it is (a DemandRegistered never seen makes no row; the DemandPurged that follows marks
 * a known one purged).
 */
export const skippingSealed =
  <R>(evolve: (row: R | undefined, e: DemandEvent) => R | undefined) =>
  (row: R | undefined, e: FoldedDemandEvent): R | undefined =>
    stillSealed(e) ? row : evolve(row, e as DemandEvent);

/** Opens a batch of the topic's events before the fold: a key not read yet is waited for. */
export function openingFold<
  F extends {
    apply(e: FoldedDemandEvent): Promise<unknown>;
    applyBatch(events: readonly FoldedDemandEvent[]): Promise<number>;
  },
>(
  keys: ReportingDemandKeys,
  fold: F,
): F & {
  apply(e: SealedDemandEvent): Promise<unknown>;
  applyBatch(events: readonly SealedDemandEvent[]): Promise<number>;
} {
  const open = async (e: SealedDemandEvent) => (await (await keys.get()).open(e)) ?? e;
  return {
    ...fold,
    apply: async (e: SealedDemandEvent) => fold.apply(await open(e)),
    applyBatch: async (events: readonly SealedDemandEvent[]) => fold.applyBatch(await Promise.all(events.map(open))),
  };
}

/**
 * The demand topic for a rebuild's synchronous replay: each event opened with the keys read at
 * start (a rebuild notes its end offsets after they are loaded, and a demand's key is published
 * before its first event). Before the keys are loaded the batch fails as retriable and comes again.
 */
export function replayedDemandStream(keys: ReportingDemandKeys) {
  void keys.get();
  return {
    topic: demandStream.topic,
    schema: demandStream.schema.transform((e): FoldedDemandEvent => {
      const ready = keys.current();
      if (!ready)
        throw new AppError("UNAVAILABLE", "les clés des demandes ne sont pas encore lues", {
          reason: "DEMAND_KEYS_LOADING",
        });
      return ready.openKnown(e) ?? e;
    }),
  };
}

/**
 * Feeds the demands read model from registration's demand topic, from the beginning on the group's
 * first start, then from its committed offsets: the read model is kept in MongoDB, so a restart
 * replays only what it had not committed (and the high-water mark makes that replay harmless).
 * The facts are opened with the demands' data keys (decision 0012); a purged demand's are skipped.
 */
export async function startDemandEventsConsumer(
  opts: KafkaParts & {
    projection: DemandProjection;
    group?: string;
  },
) {
  const keys = await startDemandKeys({ ...opts, purpose: "reporting.demand-rows-keys" });
  const consumer = await runConsumer({
    kafka: opts.kafka,
    groupId: groupName(opts.group ?? DEMAND_ROWS_GROUP, opts.topicPrefix),
    topic: topicName(topics.demand, opts.topicPrefix),
    schema: demandStream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    commitEvery: 500,
    handle: async (event) => {
      const opened = await keys.open(event);
      if (opened) await opts.projection.apply(opened);
    },
  });
  return {
    joined: consumer.joined,
    async stop() {
      await consumer.stop();
      await keys.stop();
    },
  };
}

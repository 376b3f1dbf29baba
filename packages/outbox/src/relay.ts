import type { EventProducer, TopicBatch, TransactionalPublisher } from "@logis/kafka";
import { type Logger, meter } from "@logis/observability";
import { entryEnvelope, type OutboxEntry } from "./entries.js";
import type { OutboxStore, PendingDocument } from "./store.js";

export interface RelayOptions {
  stores: OutboxStore[];
  /**
   * Where events go. A transactional publisher (what services use) sends each batch in one Kafka
   * transaction, so a batch re-sent after a failed attempt is never seen twice by read-committed
   * consumers; a plain producer is at-least-once.
   */
  producer: EventProducer | TransactionalPublisher;
  logger: Logger;
  /** Documents fetched per poll and store. */
  batchSize?: number;
  /** First pause when nothing was pending; it doubles while idle, up to `maxIdleMs`. */
  idleMs?: number;
  /** Longest pause between polls: the safety net for writes made by other replicas. */
  maxIdleMs?: number;
  /** With several replicas, only the leader relays (fewer duplicates); defaults to always. */
  isLeader?: () => Promise<boolean>;
  /** Wakes the relay when a writer of this process signals pending events (the signals' bell). */
  wakeOn?: { onAdd(listener: () => void): () => void };
  /**
   * Remembers, outside the database, the events published but not yet acknowledged: when the
   * acknowledgement fails (the database restarting, say) the next tick acknowledges them without
   * sending them again. Only a crash between the send and this mark still re-sends.
   */
  published?: PublishedMarks;
  /**
   * Reads back the event ids of the last `perPartition` offsets of a topic (read committed). Asked
   * before sending a store's batch at start and after a failed iteration: a crash (or an unknown
   * commit outcome) between a committed transaction and its acknowledgement leaves events on Kafka
   * and pending in the outbox, and they are then acknowledged without being sent twice.
   */
  recentlyPublished?: (topic: string, perPartition: number) => Promise<Set<string>>;
  /** Test seam for crash tests: runs after publishing and before acknowledging. */
  afterPublish?: (published: PendingDocument[]) => Promise<void> | void;
}

/** Event ids published and not yet acknowledged (a Redis set, say). */
export interface PublishedMarks {
  /** Those of `ids` already published. */
  published(ids: readonly string[]): Promise<Set<string>>;
  add(ids: readonly string[]): Promise<void>;
  remove(ids: readonly string[]): Promise<void>;
}

export interface RunningRelay {
  /** Wakes the relay now (call after writing events): no waiting for the next poll. */
  notify(): void;
  /** Publishes everything pending now; resolves when the outbox is empty (tests, shutdown). */
  flush(): Promise<void>;
  stop(): Promise<void>;
}

const publishedCounter = meter().createCounter("logis_outbox_published_total", {
  description: "Events published by the outbox relay, by store",
});

/**
 * Publishes pending outbox entries, in order per aggregate, then acknowledges them. A failed send is
 * retried; with a transactional publisher the failed attempt is aborted, so consumers see it once. A
 * crash between a committed send and its acknowledgement is caught at the next start by reading the
 * topics' ends back (`recentlyPublished`); without it, the events are re-sent, and consumers are
 * idempotent.
 */
export function startOutboxRelay(options: RelayOptions): RunningRelay {
  const { stores, producer, afterPublish } = options;
  const publishAll =
    "publishAll" in producer
      ? (batches: TopicBatch[]) => producer.publishAll(batches)
      : async (batches: TopicBatch[]) => {
          for (const { topic, events } of batches) await producer.publish(topic, events);
        };
  const batchSize = options.batchSize ?? 500;
  const idleMs = options.idleMs ?? 50;
  const maxIdleMs = Math.max(idleMs, options.maxIdleMs ?? 2_000);
  let pause = idleMs;
  const log = options.logger.child({ component: "outbox-relay" });
  let running = true;
  // A relay that starts repairs lost signals and markers first (a crash may have left some).
  for (const store of stores) store.repairOnNextFetch?.();
  let wake: (() => void) | undefined;

  // Stores whose last transaction may have been committed without being acknowledged: every store
  // at start (the previous process may have died in between), and a store whose iteration failed.
  const unsure = new Set(stores);

  /** Events of `pending` already on their topics (see `recentlyPublished`). */
  const foundOnKafka = async (pending: PendingDocument[], skip: Set<string>): Promise<Set<string>> => {
    const found = new Set<string>();
    if (!options.recentlyPublished) return found;
    const byTopic = new Map<string, string[]>();
    for (const doc of pending)
      for (const e of doc.entries)
        if (!skip.has(e.eventId)) byTopic.set(e.topic, [...(byTopic.get(e.topic) ?? []), e.eventId]);
    for (const [topic, ids] of byTopic) {
      // The window covers the last transaction's records (at most these entries per partition), an
      // aborted attempt of the same entries after them, their markers, and a margin.
      const onTopic = await options.recentlyPublished(topic, 2 * ids.length + 16);
      for (const id of ids) if (onTopic.has(id)) found.add(id);
    }
    return found;
  };

  const relayOnce = async (store: OutboxStore): Promise<string[]> => {
    const pending = await store.fetchPending(batchSize);
    if (pending.length === 0) {
      unsure.delete(store);
      return [];
    }
    const ids = pending.flatMap((d) => d.entries.map((e) => e.eventId));
    const already = options.published ? await options.published.published(ids) : new Set<string>();
    if (unsure.has(store)) {
      const found = await foundOnKafka(pending, already);
      if (found.size > 0)
        log.info(
          { store: store.name, events: found.size },
          "events found on Kafka after a restart or a failure: not sent again",
        );
      for (const id of found) already.add(id);
    }
    // Group by topic, keeping each document's entries in order: one send per topic keeps per-key order.
    const byTopic = new Map<string, OutboxEntry[]>();
    for (const doc of pending) {
      for (const entry of doc.entries) {
        if (already.has(entry.eventId)) continue;
        const list = byTopic.get(entry.topic) ?? [];
        list.push(entry);
        byTopic.set(entry.topic, list);
      }
    }
    await publishAll(
      [...byTopic].map(([topic, entries]) => ({
        topic,
        events: entries.map((e) => ({ envelope: entryEnvelope(e), traceHeaders: e.traceHeaders })),
      })),
    );
    const sent = ids.filter((id) => !already.has(id));
    // The marks only spare a re-send when the acknowledgement below fails. When they cannot be
    // written (Redis restarting), the events are published all the same: acknowledging them now is
    // what keeps them from being sent twice, so a failed mark must not stop the acknowledgement.
    if (sent.length > 0)
      await options.published?.add(sent).catch((error: unknown) => {
        log.warn(
          { err: error, store: store.name, events: sent.length },
          "could not mark events published; acknowledging them",
        );
      });
    if (already.size > 0)
      log.info({ store: store.name, events: already.size }, "acknowledging events published earlier");
    await afterPublish?.(pending);
    const changed = await store.acknowledge(pending);
    if (changed < pending.length) {
      // A document deleted meanwhile (purge) is fine; anything else would re-send forever.
      log.warn(
        { store: store.name, expected: pending.length, changed },
        "some outbox acknowledgements changed nothing",
      );
    }
    await options.published?.remove(ids).catch((error: unknown) => {
      log.warn({ err: error, store: store.name }, "could not clear publication marks (they are harmless)");
    });
    publishedCounter.add(sent.length, { store: store.name });
    unsure.delete(store);
    return ids;
  };

  const tick = async (): Promise<string[]> => {
    if (options.isLeader && !(await options.isLeader())) {
      // Another replica relays meanwhile: when this one leads again, it checks first.
      for (const store of stores) unsure.add(store);
      return [];
    }
    const ids: string[] = [];
    for (const store of stores) {
      try {
        ids.push(...(await relayOnce(store)));
      } catch (error) {
        unsure.add(store);
        throw error;
      }
    }
    return ids;
  };

  // Ticks never overlap: the background loop and flush() share one queue, so they never race for
  // the same documents' locks.
  let queue: Promise<unknown> = Promise.resolve();
  const serialTick = (): Promise<string[]> => {
    const run = queue.then(tick);
    queue = run.catch(() => undefined);
    return run;
  };
  let current: Promise<string[]> = Promise.resolve([]);
  const loop = (async () => {
    while (running) {
      try {
        current = serialTick();
        if ((await current).length > 0) {
          pause = idleMs;
          continue;
        }
      } catch (error) {
        log.error({ err: error }, "outbox relay iteration failed; retrying");
      }
      // Polling a large collection is not free (a full scan on FerretDB): back off while idle.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, pause);
        wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      wake = undefined;
      pause = Math.min(maxIdleMs, pause * 2);
    }
  })();

  const notify = () => {
    pause = idleMs;
    wake?.();
  };
  const unsubscribe = options.wakeOn?.onAdd(notify);

  return {
    notify,
    async flush() {
      const seen = new Set<string>();
      for (;;) {
        const ids = await serialTick();
        if (ids.length === 0) return;
        if (ids.every((id) => seen.has(id))) {
          throw new Error("outbox relay makes no progress: published entries are not being acknowledged");
        }
        for (const id of ids) seen.add(id);
      }
    },
    async stop() {
      unsubscribe?.();
      running = false;
      wake?.();
      await loop;
      log.info("outbox relay stopped");
    },
  };
}

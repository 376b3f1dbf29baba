import type { Redis } from "ioredis";
import type { PublishedMarks } from "./relay.js";
import type { OutboxSignals } from "./store.js";

/** Signals that also ring in-process: the relay of this process wakes at once after a local write. */
export interface RingingOutboxSignals extends OutboxSignals {
  /** Calls `listener` after every `add` made in this process; returns the unsubscribe function. */
  onAdd(listener: () => void): () => void;
}

/**
 * Pending-outbox signals in one Redis set per collection (`<prefix>outbox:<collection>`): a
 * writer's SADD replaces the marker document it used to write (a database write, and on FerretDB
 * a delete that scans the marker collection). The set survives a change of relay leader; a lost
 * signal is repaired by the relay's scan at start and every ten minutes (decision 0007).
 */
export function redisOutboxSignals(redis: Redis, prefix: string): RingingOutboxSignals {
  const key = (collection: string) => `${prefix}outbox:${collection}`;
  const listeners = new Set<() => void>();
  return {
    async add(collection, ids) {
      if (ids.length === 0) return;
      await redis.sadd(key(collection), ...ids);
      for (const listener of listeners) listener();
    },
    async pending(collection, limit) {
      return redis.srandmember(key(collection), limit);
    },
    async take(collection, limit) {
      return limit > 0 ? redis.spop(key(collection), limit) : [];
    },
    async remove(collection, ids) {
      if (ids.length > 0) await redis.srem(key(collection), ...ids);
    },
    onAdd(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

/**
 * Events published but not yet acknowledged, in one Redis set (`<prefix>outbox:published`): after a
 * failed acknowledgement the relay acknowledges them without sending them again. The set expires a
 * week after its last change, so marks of a relay that never came back do not stay for ever.
 */
export function redisPublishedMarks(redis: Redis, prefix: string): PublishedMarks {
  const key = `${prefix}outbox:published`;
  const week = 7 * 24 * 3600;
  return {
    async published(ids) {
      if (ids.length === 0) return new Set();
      const flags = await redis.smismember(key, ...ids);
      return new Set(ids.filter((_, i) => flags[i] === 1));
    },
    async add(ids) {
      if (ids.length === 0) return;
      await redis
        .multi()
        .sadd(key, ...ids)
        .expire(key, week)
        .exec();
    },
    async remove(ids) {
      if (ids.length > 0) await redis.srem(key, ...ids);
    },
  };
}

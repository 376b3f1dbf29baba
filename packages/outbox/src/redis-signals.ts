import type { OutboxSignals } from "@logis/outbox";
import type { Redis } from "ioredis";

/**
 * Pending-outbox signals in one Redis set per collection (`<prefix>outbox:<collection>`): a
 * writer's SADD replaces the marker document it used to write (a database write, and on FerretDB
 * a delete that scans the marker collection). The set survives a change of relay leader; a lost
 * signal is repaired by the relay's scan at start and every ten minutes.
 */
export function redisOutboxSignals(redis: Redis, prefix: string): OutboxSignals {
  const key = (collection: string) => `${prefix}outbox:${collection}`;
  return {
    async add(collection, ids) {
      if (ids.length > 0) await redis.sadd(key(collection), ...ids);
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
  };
}

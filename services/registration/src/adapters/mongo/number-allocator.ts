import type { Redis } from "ioredis";
import type { NumberAllocator } from "../../app/ports.js";

// INCR only if the counter exists; otherwise create it at the floor first. Both run atomically in Redis.
const INCR_IF_EXISTS = `if redis.call("exists", KEYS[1]) == 1 then return redis.call("incr", KEYS[1]) else return false end`;
const SEED_THEN_INCR = `if redis.call("exists", KEYS[1]) == 0 then redis.call("set", KEYS[1], ARGV[1]) end return redis.call("incr", KEYS[1])`;

/**
 * Sequences per département from Redis INCR, which is atomic (a MongoDB-wire server may hand the
 * same $inc result to two concurrent callers: decision 0005). The database stays the source of
 * truth: when the counter is missing (first use, Redis flushed), it is seeded from the highest
 * sequence stored, so a number is never reused; a number allocated but never stored is skipped.
 * The unique index on numeroUnique catches the one remaining race (a seed taken while a number
 * was in flight), and registration then allocates again.
 */
export function redisNumberAllocator(
  redis: Redis,
  floor: (departement: string) => Promise<number>,
  keyPrefix = "",
): NumberAllocator {
  return {
    async next(departement) {
      const key = `${keyPrefix}registration:numero-seq:${departement}`;
      const existing = (await redis.eval(INCR_IF_EXISTS, 1, key)) as number | null;
      if (existing !== null) return existing;
      return (await redis.eval(SEED_THEN_INCR, 1, key, String(await floor(departement)))) as number;
    },
  };
}

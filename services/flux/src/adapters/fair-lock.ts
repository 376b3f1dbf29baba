import { randomBytes } from "node:crypto";
import { AppError } from "@logis/domain";
import { type KeyedLock, releaseLock } from "@logis/redis";
import type { Platform } from "@logis/runtime";

type Redis = Platform["redis"];

/**
 * The shared lock with its callers served per key in their order of arrival, across replicas.
 *
 * Why: a plain Redis lock is taken by polling (a try every 2–10 ms). The unit-events consumer orients
 * one freed unit after another on the same ledger, releasing its lock and taking it again within a
 * millisecond, so the relay's acknowledgement of that ledger's published events, polling for the
 * same key, almost never finds it free: after 5 s it fails with LOCK_TIMEOUT (retried next tick,
 * while it held the locks of the other ledgers of its batch). In line, it waits for one orientation,
 * whichever replica it runs in.
 *
 * Two levels: in this process, the callers of a key wait in a line and only the first asks Redis
 * (no polling from the others); in Redis, the first of each process's line joins the key's queue
 * (`redisFairLock`), where the lock goes to the oldest living waiter.
 */
export function fairLock(lock: KeyedLock): KeyedLock {
  const lines = new Map<string, Promise<unknown>>();
  return {
    run(key, fn) {
      const before = lines.get(key) ?? Promise.resolve();
      const mine = before.then(() => lock.run(key, fn));
      const done = mine.then(
        () => undefined,
        () => undefined,
      );
      lines.set(key, done);
      void done.then(() => {
        if (lines.get(key) === done) lines.delete(key);
      });
      return mine;
    },
  };
}

// One atomic step of a waiter: join the queue once (a sequence number per key), say it is alive,
// drop the dead waiters at the head (their alive key expired: a replica that crashed while waiting),
// and take the lock if this waiter is the head and the lock is free. Queue and sequence expire when
// the key is left idle. Single Redis (not cluster): the alive keys are named from the queue's key.
const TRY = `
local lock, queue, seq, alive = KEYS[1], KEYS[2], KEYS[3], KEYS[4]
local token, ttl, aliveMs, idleMs = ARGV[1], ARGV[2], ARGV[3], ARGV[4]
if not redis.call("zscore", queue, token) then
  redis.call("zadd", queue, redis.call("incr", seq), token)
end
redis.call("set", alive, "1", "PX", aliveMs)
redis.call("pexpire", queue, idleMs)
redis.call("pexpire", seq, idleMs)
while true do
  local head = redis.call("zrange", queue, 0, 0)[1]
  if head == nil or head == token or redis.call("exists", queue .. ":alive:" .. head) == 1 then break end
  redis.call("zrem", queue, head)
end
if redis.call("zrange", queue, 0, 0)[1] == token and redis.call("set", lock, token, "PX", ttl, "NX") then
  redis.call("zrem", queue, token)
  redis.call("del", alive)
  return 1
end
return 0`;
const LEAVE = `redis.call("zrem", KEYS[1], ARGV[1]) redis.call("del", KEYS[2]) return 1`;

/**
 * A KeyedLock in Redis that serves its waiters first come, first served, whichever process they run
 * in (the plain `redisKeyedLock` serves whoever polls at the right moment). Same keys for the lock
 * itself (`<prefix><key>`, an owner token, `ttlMs` to live: a crashed holder loses it), so a replica
 * still on the plain lock stays excluded. A waiter polls every 2–10 ms, stays in the queue while it
 * polls (`aliveMs` without a poll: dropped as dead), and gives up after `waitMs` with a retriable
 * UNAVAILABLE error, as the plain lock does.
 */
export function redisFairLock(
  redis: Redis,
  options: { prefix: string; ttlMs?: number; waitMs?: number; aliveMs?: number },
): KeyedLock {
  const { prefix, ttlMs = 10_000, waitMs = 5_000, aliveMs = 2_000 } = options;
  const idleMs = Math.max(60_000, waitMs * 4);
  return {
    async run(key, fn) {
      const lock = `${prefix}${key}`;
      const queue = `${prefix}queue:${key}`;
      const token = randomBytes(12).toString("hex");
      const keys = [lock, queue, `${queue}:seq`, `${queue}:alive:${token}`];
      const attempt = async () => (await redis.eval(TRY, 4, ...keys, token, ttlMs, aliveMs, idleMs)) === 1;
      const deadline = Date.now() + waitMs;
      while (!(await attempt())) {
        if (Date.now() > deadline) {
          await redis.eval(LEAVE, 2, queue, keys[3] as string, token).catch(() => 0);
          throw new AppError("UNAVAILABLE", "Ressource occupée, réessayez", {
            reason: "LOCK_TIMEOUT",
            retriable: true,
            context: { key },
          });
        }
        await new Promise((r) => setTimeout(r, 2 + Math.random() * 8));
      }
      try {
        return await fn();
      } finally {
        await releaseLock(redis, lock, token);
      }
    },
  };
}

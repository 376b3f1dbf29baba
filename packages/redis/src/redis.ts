import { randomBytes } from "node:crypto";
import { AppError } from "@logis/domain";
import type { Logger } from "@logis/observability";
import { Redis } from "ioredis";
import type { KeyedLock } from "./keyed-lock.js";

export function createRedis(url: string, logger: Logger): Redis {
  const redis = new Redis(url, {
    maxRetriesPerRequest: 3,
    // Reconnect probes at most 2 s apart. ioredis fails the waiting commands every
    // maxRetriesPerRequest + 1 attempts: ioredis 6's default strategy (doubling up to 5 s) would hold a
    // request 20 s while Redis is down, where it must answer 503 at once (redis-restart.int.test.ts).
    retryStrategy: (times) => Math.min(times * 50, 2000),
    enableReadyCheck: true,
    lazyConnect: false,
  });
  redis.on("error", (error) => logger.warn({ err: error }, "redis error"));
  return redis;
}

// Releases or extends the lock only if we still own it (compare-and-act in one atomic script).
const RELEASE = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("del", KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call("get", KEYS[1]) == ARGV[1] then return redis.call("pexpire", KEYS[1], ARGV[2]) else return 0 end`;

/** A lock with an owner token and a time to live: a crashed holder loses it after `ttlMs`. */
export async function acquireLock(redis: Redis, key: string, ttlMs: number): Promise<string | undefined> {
  const token = randomBytes(12).toString("hex");
  const ok = await redis.set(key, token, "PX", ttlMs, "NX");
  return ok === "OK" ? token : undefined;
}

export async function releaseLock(redis: Redis, key: string, token: string): Promise<boolean> {
  return (await redis.eval(RELEASE, 1, key, token)) === 1;
}

export async function extendLock(redis: Redis, key: string, token: string, ttlMs: number): Promise<boolean> {
  return (await redis.eval(EXTEND, 1, key, token, String(ttlMs))) === 1;
}

/** Runs `fn` while holding the lock; undefined when somebody else holds it. */
export async function withLock<T>(
  redis: Redis,
  key: string,
  ttlMs: number,
  fn: () => Promise<T>,
): Promise<T | undefined> {
  const token = await acquireLock(redis, key, ttlMs);
  if (!token) return undefined;
  try {
    return await fn();
  } finally {
    await releaseLock(redis, key, token);
  }
}

/**
 * Leader election for singleton workers (outbox relay, scheduled jobs) among replicas: the leader
 * keeps extending its lock; when it dies, another replica takes over after `ttlMs`.
 */
export function leaderElection(redis: Redis, key: string, ttlMs = 10_000) {
  let token: string | undefined;
  let lastCheck = 0;
  return {
    async isLeader(): Promise<boolean> {
      const now = Date.now();
      if (token && now - lastCheck < ttlMs / 3) return true;
      lastCheck = now;
      try {
        if (token && (await extendLock(redis, key, token, ttlMs))) return true;
        token = await acquireLock(redis, key, ttlMs);
        return token !== undefined;
      } catch {
        token = undefined;
        return false;
      }
    },
    async resign(): Promise<void> {
      if (token) await releaseLock(redis, key, token).catch(() => false);
      token = undefined;
    },
  };
}

/**
 * A KeyedLock in Redis: waits (with jitter) up to `waitMs` for the key, holds it at most `ttlMs`
 * (a crashed holder releases it by expiry), and fails with a retriable UNAVAILABLE error otherwise.
 */
export function redisKeyedLock(
  redis: Redis,
  options: { prefix?: string; ttlMs?: number; waitMs?: number } = {},
): KeyedLock {
  const { prefix = "lock:", ttlMs = 10_000, waitMs = 5_000 } = options;
  return {
    async run(key, fn) {
      const full = `${prefix}${key}`;
      const deadline = Date.now() + waitMs;
      let token = await acquireLock(redis, full, ttlMs);
      while (!token) {
        if (Date.now() > deadline) {
          throw new AppError("UNAVAILABLE", "Ressource occupée, réessayez", {
            reason: "LOCK_TIMEOUT",
            retriable: true,
            context: { key },
          });
        }
        await new Promise((r) => setTimeout(r, 2 + Math.random() * 8));
        token = await acquireLock(redis, full, ttlMs);
      }
      try {
        return await fn();
      } finally {
        await releaseLock(redis, full, token);
      }
    },
  };
}

/**
 * Fixed-window request counters in Redis (`<prefix>rate:<key>:<window>`), shared by every replica:
 * the count in the current window and the time until it ends.
 */
export function redisRateCounter(redis: Redis, prefix: string) {
  return async (key: string, windowMs: number): Promise<{ count: number; resetInMs: number }> => {
    const now = Date.now();
    const window = Math.floor(now / windowMs);
    const full = `${prefix}rate:${key}:${window}`;
    const results = await redis.multi().incr(full).pexpire(full, windowMs).exec();
    const count = Number(results?.[0]?.[1] ?? 0);
    return { count, resetInMs: (window + 1) * windowMs - now };
  };
}

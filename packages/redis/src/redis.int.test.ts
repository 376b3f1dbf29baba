import { createLogger } from "@logis/observability";
import { testEnv, uniqueName } from "@logis/testing";
import { afterAll, describe, expect, it } from "vitest";
import { acquireLock, createRedis, leaderElection, redisRateCounter, releaseLock, withLock } from "./redis.js";

const redis = createRedis(testEnv().REDIS_URL, createLogger({ service: "test", level: "silent" }));
afterAll(async () => {
  await redis.quit();
});

describe("redis locks", () => {
  it("only one holder at a time; only the owner releases", async () => {
    const key = uniqueName("lock:");
    const a = await acquireLock(redis, key, 5_000);
    expect(a).toBeDefined();
    expect(await acquireLock(redis, key, 5_000)).toBeUndefined();
    expect(await releaseLock(redis, key, "not-the-owner")).toBe(false);
    expect(await releaseLock(redis, key, a as string)).toBe(true);
    expect(await withLock(redis, key, 5_000, async () => "ran")).toBe("ran");
  });

  it("elects a single leader, and another takes over after it resigns", async () => {
    const key = uniqueName("leader:");
    const one = leaderElection(redis, key, 5_000);
    const two = leaderElection(redis, key, 5_000);
    expect(await one.isLeader()).toBe(true);
    expect(await two.isLeader()).toBe(false);
    await one.resign();
    expect(await two.isLeader()).toBe(true);
  });
});

describe("rate counters in Redis", () => {
  it("count a caller's requests in the current window, shared by every replica, and end with it", async () => {
    const prefix = uniqueName("rate-");
    const one = redisRateCounter(redis, prefix);
    const two = redisRateCounter(redis, prefix);
    const windowMs = 1_000;
    // Start right after a window boundary, so that the three counts fall in one window.
    await new Promise((r) => setTimeout(r, windowMs - (Date.now() % windowMs) + 5));
    expect((await one("usr_a|v1/demandes", windowMs)).count).toBe(1);
    expect((await two("usr_a|v1/demandes", windowMs)).count).toBe(2);
    const third = await one("usr_a|v1/demandes", windowMs);
    expect(third.count).toBe(3);
    expect(third.resetInMs).toBeGreaterThan(0);
    expect(third.resetInMs).toBeLessThanOrEqual(windowMs);
    expect((await one("usr_b|v1/demandes", windowMs)).count).toBe(1);
    await new Promise((r) => setTimeout(r, third.resetInMs + 5));
    expect((await one("usr_a|v1/demandes", windowMs)).count).toBe(1);
  });
});

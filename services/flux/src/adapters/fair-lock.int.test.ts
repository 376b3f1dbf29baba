import { createLogger } from "@logis/observability";
import { createRedis } from "@logis/redis";
import { testEnv, uniqueName } from "@logis/testing";
import { afterAll, describe, expect, it } from "vitest";
import { fairLock, redisFairLock } from "./fair-lock.js";

// On the real Redis: the lock the flux stores take, its callers served in their order of arrival,
// in one process and across replicas (each replica here: its own Redis connection and its own lock).
const logger = createLogger({ service: "test", level: "silent" });
const connections = [createRedis(testEnv().REDIS_URL, logger), createRedis(testEnv().REDIS_URL, logger)] as const;
const [one, two] = connections;
const prefix = () => `${uniqueName("t")}:lock:`;
const replica = (redis: (typeof connections)[number], p: string, over: { waitMs?: number; aliveMs?: number } = {}) =>
  fairLock(redisFairLock(redis, { prefix: p, waitMs: 2_000, ...over }));
afterAll(async () => {
  await Promise.all(connections.map((c) => c.quit()));
});
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Orientations back to back on one ledger, each holding it `holdMs`; a relay asks for it during the first. */
async function backToBack(
  orientations: ReturnType<typeof replica>,
  relayLock: ReturnType<typeof replica>,
  count = 10,
  holdMs = 20,
) {
  const seen: string[] = [];
  let relay: Promise<unknown> | undefined;
  for (let i = 0; i < count; i++) {
    await orientations.run("ledgers:flux:org_b:57:2026", async () => {
      seen.push(`orientation ${i}`);
      if (i === 0) relay = relayLock.run("ledgers:flux:org_b:57:2026", async () => seen.push("relay"));
      await pause(holdMs);
    });
  }
  await relay;
  return seen;
}

describe("the flux stores' lock, fair within a process and across replicas", () => {
  it("serves a caller of this process arriving while orientations take the ledger back to back before the next orientation", async () => {
    const lock = replica(one, prefix());
    const seen = await backToBack(lock, lock);
    expect(seen.slice(0, 3)).toEqual(["orientation 0", "relay", "orientation 1"]);
    expect(seen).toHaveLength(11);
  });

  it("serves the relay of another replica before the next orientation too", async () => {
    const p = prefix();
    // Short orientations: a plain lock polled every 2–10 ms almost never finds the gap between two.
    const seen = await backToBack(replica(one, p), replica(two, p), 40, 3);
    expect(seen.slice(0, 3)).toEqual(["orientation 0", "relay", "orientation 1"]);
    expect(seen).toHaveLength(41);
  });

  it("serves the callers of two replicas one at a time, in their order of arrival", async () => {
    const p = prefix();
    const [a, b] = [replica(one, p), replica(two, p)];
    let inside = 0;
    let most = 0;
    const order: number[] = [];
    let release: () => void = () => undefined;
    const held = a.run("ledgers:x", () => new Promise<void>((r) => (release = r)));
    const waiting: Promise<unknown>[] = [];
    for (let i = 0; i < 8; i++) {
      waiting.push(
        (i % 2 ? a : b).run("ledgers:x", async () => {
          inside++;
          most = Math.max(most, inside);
          order.push(i);
          await pause(2);
          inside--;
        }),
      );
      await pause(30); // each has joined its line (and, first of its replica, the Redis queue) before the next
    }
    release();
    await Promise.all([held, ...waiting]);
    expect(most).toBe(1);
    expect(order).toEqual([0, 1, 2, 3, 4, 5, 6, 7]);
  });

  it("skips a replica that died while waiting, and a waiter that gave up leaves the queue", async () => {
    const p = prefix();
    const doomed = createRedis(testEnv().REDIS_URL, logger);
    const [a, b, c] = [replica(one, p), replica(two, p), replica(doomed, p, { aliveMs: 300 })];
    let release: () => void = () => undefined;
    const held = a.run("k", () => new Promise<void>((r) => (release = r)));
    await pause(30);
    const dead = c.run("k", async () => "jamais");
    await pause(30);
    const next = b.run("k", async () => "servi");
    await pause(30);
    doomed.disconnect(); // its queue entry stays until its alive key expires
    await expect(dead).rejects.toThrow();
    release();
    await held;
    await expect(next).resolves.toBe("servi");

    const hold = a.run("k", () => pause(500));
    const impatient = replica(two, p, { waitMs: 100 }).run("k", async () => "trop tard");
    await expect(impatient).rejects.toMatchObject({ code: "UNAVAILABLE", reason: "LOCK_TIMEOUT" });
    await hold;
    expect(await one.zcard(`${p}queue:k`)).toBe(0);
  });

  it("hands a failure to its caller and serves the next in line", async () => {
    const lock = replica(one, prefix());
    const failing = lock.run("k", async () => {
      throw new Error("refusé");
    });
    const next = lock.run("k", async () => "servi");
    await expect(failing).rejects.toThrow("refusé");
    await expect(next).resolves.toBe("servi");
    const other = await Promise.all([lock.run("a", async () => 1), lock.run("b", async () => 2)]);
    expect(other).toEqual([1, 2]);
  });
});

import { createLogger } from "@logis/observability";
import { createRedis, redisKeyedLock } from "@logis/redis";
import { testEnv, uniqueName } from "@logis/testing";
import { afterAll, describe, expect, it } from "vitest";
import { fairLock } from "./fair-lock.js";

// On the real Redis: the lock the flux stores take, with this process's callers served in line.
const redis = createRedis(testEnv().REDIS_URL, createLogger({ service: "test", level: "silent" }));
const shared = () => redisKeyedLock(redis, { prefix: `${uniqueName("t")}:lock:`, waitMs: 2_000 });
afterAll(async () => {
  await redis.quit();
});
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe("the flux stores' lock, fair within a process", () => {
  it("serves a caller arriving while orientations take the ledger back to back before the next orientation", async () => {
    const lock = fairLock(shared());
    const seen: string[] = [];
    let relay: Promise<unknown> | undefined;
    for (let i = 0; i < 10; i++) {
      await lock.run("ledgers:flux:org_b:57:2026", async () => {
        seen.push(`orientation ${i}`);
        if (i === 0) relay = lock.run("ledgers:flux:org_b:57:2026", async () => seen.push("relay"));
        await pause(20);
      });
    }
    await relay;
    expect(seen.slice(0, 3)).toEqual(["orientation 0", "relay", "orientation 1"]);
    expect(seen).toHaveLength(11);
  });

  it("still excludes the callers of another process (another lock over the same Redis keys)", async () => {
    const redisLock = shared();
    const [one, two] = [fairLock(redisLock), fairLock(redisLock)];
    let inside = 0;
    let most = 0;
    const work = async () => {
      inside++;
      most = Math.max(most, inside);
      await pause(2);
      inside--;
    };
    await Promise.all(Array.from({ length: 12 }, (_, i) => (i % 2 ? one : two).run("ledgers:x", work)));
    expect(most).toBe(1);
  });

  it("hands a failure to its caller and serves the next in line", async () => {
    const lock = fairLock(shared());
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

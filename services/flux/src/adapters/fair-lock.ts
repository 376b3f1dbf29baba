import type { KeyedLock } from "@logis/redis";

/**
 * The shared lock (Redis) with the callers of this process served per key in their order of
 * arrival: only the first in line asks Redis, the others wait their turn here.
 *
 * Why: the Redis lock is taken by polling (a try every 2–10 ms). The unit-events consumer orients
 * one freed unit after another on the same ledger, releasing its lock and taking it again within a
 * millisecond, so the relay's acknowledgement of that ledger's published events, polling for the
 * same key, almost never finds it free: after 5 s it fails with LOCK_TIMEOUT (retried next tick,
 * while it held the locks of the other ledgers of its batch). In line, it waits for one orientation.
 * Callers in other processes still meet the Redis lock as before.
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

// Shared by the benchmarks: the registration service in-process (the integration tests' harness) on
// a fresh database of the real engines started by infra/local. Not a test: run with
// `pnpm --filter @logis/registration bench:*`.
import { registrationHarness } from "../src/testing/harness.js";

export async function benchService() {
  const h = await registrationHarness(new Date().toISOString());
  return { ...h, token: (await h.authHeader("guichet")).replace(/^Bearer /, "") };
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; returns the elapsed seconds. */
export async function timed(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await task(i);
    }),
  );
  return (performance.now() - start) / 1000;
}

export const rate = (n: number, seconds: number) => `${Math.round(n / seconds).toLocaleString("fr-FR")}/s`;

import { defineConfig } from "vitest/config";

// Three tiers (style guide §8), run one after the other (`sequence.groupOrder`):
// - unit tests, in parallel;
// - integration tests against the real Kafka, FerretDB and Redis started by infra/local, two files at
//   a time (each isolates itself by database name and topic prefix; most of a file's time is spent
//   waiting on the engines: 14 files took 257 s one at a time and 115 s two at a time, on a machine
//   at load 14). LOGIS_TEST_INT_WORKERS=1 runs them one at a time again;
// - the console's end-to-end tests (headless Chromium over the services started in-process), alone.
const integrationWorkers = Number(process.env.LOGIS_TEST_INT_WORKERS ?? 2);

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: [
            "packages/*/src/**/*.test.ts",
            "services/*/src/**/*.test.ts",
            "infra/templates/*/src/**/*.test.ts",
            "infra/templates/*.test.ts",
          ],
          exclude: ["**/*.int.test.ts", "**/node_modules/**", "**/dist/**"],
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: "integration",
          include: ["packages/*/src/**/*.int.test.ts", "services/*/src/**/*.int.test.ts", "infra/**/*.int.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**"],
          fileParallelism: integrationWorkers > 1,
          maxWorkers: integrationWorkers,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: "e2e",
          include: ["services/console/e2e/*.int.test.ts"],
          exclude: ["**/node_modules/**", "**/dist/**"],
          fileParallelism: false,
          maxWorkers: 1,
          testTimeout: 60_000,
          hookTimeout: 60_000,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});

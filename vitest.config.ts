import { defineConfig } from "vitest/config";

// Two tiers (style guide §8): unit tests run in parallel; integration tests talk to the real Kafka,
// FerretDB and Redis started by infra/local and run one file at a time.
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
        },
      },
      {
        test: {
          name: "integration",
          include: [
            "packages/*/src/**/*.int.test.ts",
            "services/*/src/**/*.int.test.ts",
            "infra/**/*.int.test.ts",
            // The console's end-to-end tests: headless Chromium over the services started in-process.
            "services/console/e2e/*.int.test.ts",
          ],
          exclude: ["**/node_modules/**", "**/dist/**"],
          fileParallelism: false,
          testTimeout: 60_000,
          hookTimeout: 60_000,
        },
      },
    ],
  },
});

import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const root = fileURLToPath(new URL("../../../..", import.meta.url));

describe("a service started with bad configuration", () => {
  it("exits non-zero and names every bad variable, before connecting to anything", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", main], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000,
      env: {
        PATH: process.env.PATH,
        PORT: "not-a-port",
        KAFKA_BROKERS: "localhost",
        MONGO_URL: "postgres://nope",
        REDIS_URL: "redis://127.0.0.1:6379",
        AUTH_PUBLIC_JWK: "{}",
      },
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain("Invalid configuration");
    expect(run.stderr).toMatch(/PORT: .*nombre attendu/); // zod speaks French on the platform (issue 15)
    expect(run.stderr).toContain("KAFKA_BROKERS: expected host:port");
    expect(run.stderr).toContain("MONGO_URL: expected a mongodb:// URL");
    expect(run.stderr).not.toContain("REDIS_URL");
  }, 30_000); // starting tsx takes seconds on a loaded machine

  it("names a missing required variable", () => {
    const run = spawnSync(process.execPath, ["--import", "tsx", main], {
      cwd: root,
      encoding: "utf8",
      timeout: 30_000,
      env: {
        PATH: process.env.PATH,
        KAFKA_BROKERS: "127.0.0.1:9092",
        REDIS_URL: "redis://127.0.0.1:6379",
        AUTH_PUBLIC_JWK: "{}",
      },
    });
    expect(run.status).toBe(78);
    expect(run.stderr).toContain("MONGO_URL: is required");
  }, 30_000); // starting tsx takes seconds on a loaded machine
});

import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { createLocalIssuer, demoUsers, generateIssuerKeys } from "@logis/auth";
import { testEnv, uniqueName } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const main = fileURLToPath(new URL("./main.ts", import.meta.url));
const root = fileURLToPath(new URL("../../..", import.meta.url));

let child: ChildProcess;
let base: string;
let token: string;
let exited: Promise<number | null>;

beforeAll(async () => {
  const keys = await generateIssuerKeys();
  token = await createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" }).issue(
    demoUsers.guichet,
  );
  child = spawn(process.execPath, ["--import", "tsx", main], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"],
    env: {
      PATH: process.env.PATH,
      PORT: "0",
      KAFKA_BROKERS: testEnv().KAFKA_BROKERS,
      KAFKA_TOPIC_PREFIX: uniqueName("rep"),
      MONGO_URL: testEnv().MONGO_URL,
      MONGO_DB: uniqueName("reporting"),
      REDIS_URL: testEnv().REDIS_URL,
      AUTH_PUBLIC_JWK: JSON.stringify(keys.publicJwk),
      LOG_LEVEL: "info",
    },
  });
  exited = new Promise((resolve) => child.on("exit", (code) => resolve(code)));
  base = await new Promise<string>((resolve, reject) => {
    let buffer = "";
    const timer = setTimeout(() => reject(new Error(`reporting did not start: ${buffer}`)), 30_000);
    child.stdout?.on("data", (chunk: Buffer) => {
      buffer += chunk.toString();
      for (const line of buffer.split("\n")) {
        if (!line.includes('"listening"')) continue;
        clearTimeout(timer);
        resolve(`http://127.0.0.1:${JSON.parse(line).port}`);
      }
    });
  });
});

afterAll(() => {
  if (child.exitCode === null) child.kill("SIGKILL");
});

describe("the reporting service, running against the real engines", () => {
  it("is live and ready (MongoDB, Redis, the demands' keys and the six read models' consumers)", async () => {
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toEqual({
      status: "ready",
      checks: {
        mongo: true,
        redis: true,
        "demand keys": true,
        "demand rows": true,
        "score rows": true,
        "unit rows": true,
        "ledger rows": true,
        "attribution rows": true,
        "session rows": true,
      },
    });
  });

  it("verifies the caller's token on REST and tRPC", async () => {
    const auth = { authorization: `Bearer ${token}` };
    const rest = await fetch(`${base}/v1/whoami`, { headers: auth });
    expect(((await rest.json()) as { principal: { userId: string } }).principal.userId).toBe("usr_demo_guichet");
    const anonymous = await fetch(`${base}/v1/whoami`);
    expect(await anonymous.json()).toEqual({ principal: null });
    const trpc = await fetch(`${base}/trpc/whoami`, { headers: auth });
    expect(
      ((await trpc.json()) as { result: { data: { principal: { organisation: { kind: string } } } } }).result.data
        .principal.organisation.kind,
    ).toBe("desk");
  });

  it("answers a bad token with 401 and an unknown route with 404, in the one error shape with the request id", async () => {
    const bad = await fetch(`${base}/v1/whoami`, {
      headers: { authorization: "Bearer abc.def.ghi", "x-request-id": "req-test-1" },
    });
    expect(bad.status).toBe(401);
    expect(await bad.json()).toEqual({
      error: {
        code: "UNAUTHENTICATED",
        reason: "INVALID_TOKEN",
        message: "Jeton invalide ou expiré",
        requestId: "req-test-1",
      },
    });
    const missing = await fetch(`${base}/v1/nothing`);
    expect(missing.status).toBe(404);
    const body = (await missing.json()) as { error: { code: string; requestId: string } };
    expect(body.error.code).toBe("NOT_FOUND");
    expect(body.error.requestId).toBe(missing.headers.get("x-request-id"));
  });

  it("publishes its OpenAPI document", async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
    };
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toContain("/v1/whoami");
  });

  it("stops gracefully on SIGTERM with status 0", async () => {
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
  });
});

import { type ChildProcess, spawn } from "node:child_process";
import { createServer } from "node:net";
import { demandFormInput } from "@logis/testing";
import { afterAll, beforeAll, expect, it } from "vitest";
import { type RegistrationHarness, registrationHarness } from "./testing/harness.js";

// Issue 10's fault script: after Redis restarted under load, registration stopped answering until
// it was killed. A Redis of this test's own is stopped and started again under the service.
let port = 0;
let redis: ChildProcess | undefined;
let h: RegistrationHarness;

const freePort = () =>
  new Promise<number>((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });

async function startRedis() {
  redis = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"], {
    stdio: "ignore",
  });
  for (const until = Date.now() + 10_000; Date.now() < until; ) {
    const up = await new Promise<boolean>((resolve) => {
      const socket = createServer();
      socket.once("error", () => resolve(true)); // the port is taken: Redis listens
      socket.listen(port, "127.0.0.1", () => socket.close(() => resolve(false)));
    });
    if (up) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("redis-server did not start");
}

let n = 0;
/** A new household each time (the same one would be a possible duplicate: 409). */
const register = () => {
  n++;
  const form = demandFormInput();
  const letters = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  const name = Array.from({ length: 8 }, (_, i) => letters[(n * 7 + i * 13 + Date.now()) % 26]).join("");
  return h.call("guichet", "POST", "/v1/demandes", {
    demande: {
      ...form,
      cotitulaire: undefined,
      demandeur: {
        ...form.demandeur,
        nom: `Essai${name}`,
        prenom: "Redis",
        nir: undefined,
        dateNaissance: `19${50 + (n % 40)}-0${1 + (n % 9)}-1${n % 10}`,
      },
    },
  });
};

/** The answer's status, or "hung" when none came within `ms`. */
const within = async (ms: number, request: () => Promise<{ status: number }>) =>
  Promise.race([
    request().then((r) => r.status),
    new Promise<"hung">((resolve) => setTimeout(() => resolve("hung"), ms)),
  ]);

beforeAll(async () => {
  port = await freePort();
  await startRedis();
  // As main.ts serves it: the relay (leader election, locks, marks) and the jobs in the same Redis.
  h = await registrationHarness("2026-03-15T10:00:00.000Z", {
    redisUrl: `redis://127.0.0.1:${port}`,
    asInProduction: true,
  });
});
afterAll(async () => {
  await h?.close();
  redis?.kill("SIGKILL");
});

it("answers 503 while Redis is down, and registers again once it is back, without a restart", async () => {
  expect((await register()).status).toBe(201);

  // Eight desks at work when Redis dies, as in the fault script.
  const desks = Array.from({ length: 8 }, async () => {
    const seen: (number | "hung")[] = [];
    for (let i = 0; i < 3; i++) seen.push(await within(20_000, register));
    return seen;
  });
  await new Promise((r) => setTimeout(r, 300));
  redis?.kill("SIGKILL");
  const during = (await Promise.all(desks)).flat();
  expect(during).not.toContain("hung");
  expect(during.every((s) => s === 201 || s === 503)).toBe(true);
  expect(await within(20_000, register)).toBe(503);

  await startRedis();
  // Its data is gone (no persistence): sequences reseed from the database, locks are free.
  let status: number | "hung" = "hung";
  for (const until = Date.now() + 30_000; Date.now() < until && status !== 201; ) {
    status = await within(10_000, register);
    if (status === "hung") break;
    if (status !== 201) await new Promise((r) => setTimeout(r, 500));
  }
  expect(status).toBe(201);
  // And it keeps answering eight desks at once.
  const after = await Promise.all(
    Array.from({ length: 8 }, async () => {
      const seen: (number | "hung")[] = [];
      for (let i = 0; i < 2; i++) seen.push(await within(15_000, register));
      return seen;
    }),
  );
  expect(after.flat().filter((s) => s !== 201)).toEqual([]);
}, 150_000);

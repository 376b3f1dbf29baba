import { type Principal, Role } from "@logis/auth";
import { createHttpApp, type Listening, listen, mountRoutes, mountTrpc } from "@logis/http";
import { createLogger } from "@logis/observability";
import { check, restCases, send, trpcCases } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cotationHarness } from "../testing/harness.js";

// Every route of the service, from its route tables (REST routes and tRPC procedures): a new route
// is covered without touching this file. Hostile requests from a caller holding every role in the
// territory (so that they reach the handlers): never a 5xx, never a crash, and a 400 refusing a
// field names it. The harness's use cases, mounted as the service mounts them (createHttpApp,
// tRPC, REST), behind a verifier that names that caller: tokens are tested on their own.

const everything: Principal = {
  userId: "usr_hostile",
  name: "Sonde",
  organisation: { id: "org_hostile", kind: "epci", name: "EPCI sonde" },
  roles: [...Role.options],
  territories: { departements: ["69"], epcis: ["200046977"] },
};

let h: Awaited<ReturnType<typeof cotationHarness>>;
let server: Listening;
let base: string;
beforeAll(async () => {
  h = await cotationHarness();
  const app = createHttpApp({
    logger: createLogger({ service: "cotation-test", level: "warn" }),
    verifier: async () => everything,
    routes: (a) => {
      mountTrpc(a, "/trpc", h.parts.http.trpc);
      mountRoutes(a, h.parts.http.rest);
    },
  });
  server = await listen(app, 0, "127.0.0.1");
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server?.close();
  await h?.close();
});

async function run(cases: ReturnType<typeof restCases>) {
  const problems: string[] = [];
  for (const c of cases) {
    const problem = check(c, await send(base, c, "Bearer sonde"));
    if (problem) problems.push(problem);
  }
  return problems;
}

describe("hostile input over every route of cotation", () => {
  it("REST: every route, path, query and body field", async () => {
    const cases = restCases(h.parts.http.rest);
    expect(cases.length).toBeGreaterThan(200);
    expect(await run(cases)).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("tRPC: every procedure, its input as a whole and field by field, batches", async () => {
    const cases = trpcCases(h.parts.http.trpc);
    expect(cases.length).toBeGreaterThan(80);
    expect(await run(cases)).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

import { type Principal, Role } from "@logis/auth";
import { createHttpApp, type Listening, listen, mountRoutes, mountTrpc, type RestRoute } from "@logis/http";
import { createLogger } from "@logis/observability";
import { check, restCases, send, trpcCases } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { fluxHarness } from "../testing/harness.js";

// Every route of the service (a landlord holding every role, in Moselle), from its route tables (REST routes and tRPC procedures): a new route
// is covered without touching this file. Hostile requests from a caller holding every role in the
// territory (so that they reach the handlers): never a 5xx, never a crash, and a 400 refusing a
// field names it. The harness's use cases, mounted as the service mounts them (createHttpApp,
// tRPC, REST), behind a verifier that names that caller: tokens are tested on their own.

const everything: Principal = {
  userId: "usr_hostile",
  name: "Sonde",
  organisation: { id: "org_demo_bailleur_57", kind: "landlord", name: "Bailleur sonde" },
  roles: [...Role.options],
  territories: { departements: ["57"], epcis: ["200039865"] },
};

// The shared kit finds an accepted path value among a few plausible ones; flux's ids (an RPLS id, a
// convention id) are not among them, so the routes given to it name one (the server keeps its own).
const examples: Record<string, string> = { rplsId: "5700000001", conventionId: "cnv_0123456789abcdef" };
const withExamples = (route: RestRoute): RestRoute => {
  const params = route.params as z.ZodObject | undefined;
  if (!params) return route;
  const shape = Object.fromEntries(
    Object.entries(params.shape).map(([k, s]) => [k, examples[k] ? z.enum([examples[k] as string]) : s]),
  );
  return { ...route, params: z.object(shape) } as RestRoute;
};

let h: Awaited<ReturnType<typeof fluxHarness>>;
let server: Listening;
let base: string;
beforeAll(async () => {
  h = await fluxHarness();
  const app = createHttpApp({
    logger: createLogger({ service: "flux-test", level: "warn" }),
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

describe("hostile input over every route of flux", () => {
  it("REST: every route, path, query and body field", async () => {
    const cases = restCases(h.parts.http.rest.map(withExamples));
    expect(cases.length).toBeGreaterThan(100);
    expect(await run(cases)).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("tRPC: every procedure, its input as a whole and field by field, batches", async () => {
    const cases = trpcCases(h.parts.http.trpc);
    expect(cases.length).toBeGreaterThan(50);
    expect(await run(cases)).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

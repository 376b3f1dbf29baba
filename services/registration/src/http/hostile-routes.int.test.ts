import { type Principal, Role } from "@logis/auth";
import { check, restCases, send, trpcCases } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";
import { registrationRouter, restRoutes } from "./operations.js";

// Every route of the service, from its route tables (REST routes and tRPC procedures): a new route
// is covered without touching this file. Hostile requests from a caller holding every role in the
// territory (so that they reach the handlers): never a 5xx, never a crash, and a 400 refusing a
// field names it.

const everything: Principal = {
  userId: "usr_hostile",
  name: "Sonde",
  organisation: { id: "org_hostile", kind: "desk", name: "Guichet sonde", guichet: "069000999" },
  roles: [...Role.options],
  territories: { departements: ["69"], epcis: ["200046977"] },
};

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness();
});
afterAll(async () => {
  await h.close();
});

async function run(cases: ReturnType<typeof restCases>) {
  const auth = await h.authHeader(everything);
  const problems: string[] = [];
  for (const c of cases) {
    const problem = check(c, await send(h.base, c, auth));
    if (problem) problems.push(problem);
  }
  return problems;
}

describe("hostile input over every route of registration", () => {
  it("REST: every route, path, query and body field", async () => {
    const cases = restCases(restRoutes(h.uc));
    expect(cases.length).toBeGreaterThan(300);
    expect(await run(cases)).toEqual([]);
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
  });

  it("tRPC: every procedure, its input as a whole and field by field, batches", async () => {
    const cases = trpcCases(registrationRouter(h.uc));
    expect(cases.length).toBeGreaterThan(100);
    expect(await run(cases)).toEqual([]);
    expect((await fetch(`${h.base}/healthz`)).status).toBe(200);
  });
});

import { demoUsers, type Principal } from "@logis/auth";
import { createLogger } from "@logis/observability";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHttpApp, type Listening, listen } from "./app.js";
import type { RateCounter } from "./rate-limit.js";
import { routeFamily } from "./rate-limit.js";

// The counter as Redis keeps it, in memory: one window that never ends during the test.
const counts = new Map<string, number>();
let failing = false;
const counter: RateCounter = async (key) => {
  if (failing) throw new Error("redis down");
  const count = (counts.get(key) ?? 0) + 1;
  counts.set(key, count);
  return { count, resetInMs: 42_500 };
};
const users: Record<string, Principal> = { guichet: demoUsers.guichet, epci: demoUsers.epci };

let server: Listening;
let base: string;
beforeAll(async () => {
  const app = createHttpApp({
    logger: createLogger({ service: "rate-test", level: "silent" }),
    verifier: async (token) => {
      const principal = users[token];
      if (!principal) throw new Error("unknown");
      return principal;
    },
    rateLimit: { limit: 3, windowMs: 60_000, counter },
    routes: (a) => {
      a.get("/v1/demandes", (_req, res) => {
        res.json({ ok: true });
      });
      a.get("/v1/grilles", (_req, res) => {
        res.json({ ok: true });
      });
    },
  });
  server = await listen(app, 0, "127.0.0.1");
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

const get = (path: string, who: string) => fetch(`${base}${path}`, { headers: { authorization: `Bearer ${who}` } });

describe("rate limits per caller and route family", () => {
  it("beyond the limit: 429 with Retry-After and a French message; other families and callers go on", async () => {
    for (let i = 0; i < 3; i++) expect((await get("/v1/demandes?page=1", "guichet")).status).toBe(200);
    const refused = await get("/v1/demandes", "guichet");
    expect(refused.status).toBe(429);
    expect(refused.headers.get("retry-after")).toBe("43");
    expect(await refused.json()).toMatchObject({
      error: { code: "RATE_LIMITED", message: "Trop de requêtes : réessayez dans 43 s" },
    });
    expect((await get("/v1/grilles", "guichet")).status).toBe(200);
    expect((await get("/v1/demandes", "epci")).status).toBe(200);
  });

  it("a counter that fails lets requests through (Redis down does not take the service down)", async () => {
    failing = true;
    try {
      expect((await get("/v1/demandes", "guichet")).status).toBe(200);
    } finally {
      failing = false;
    }
  });

  it("route families are the first two segments", () => {
    expect(routeFamily("/v1/demandes/069032600000001AA/renouvellement")).toBe("v1/demandes");
    expect(routeFamily("/trpc/get,search")).toBe("trpc");
    expect(routeFamily("/")).toBe("/");
  });
});

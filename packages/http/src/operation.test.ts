import { demoUsers, type Principal } from "@logis/auth";
import { createLogger } from "@logis/observability";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpApp, type Listening, listen } from "./app.js";
import { type Caller, defineOperation, restRoutesOf, trpcRouterOf } from "./operation.js";
import { mountRoutes, openApiDocument } from "./rest.js";
import { mountTrpc } from "./trpc.js";

// One operation definition yields the REST route, the tRPC procedure and the OpenAPI entry: the
// same handler, the same permission, the same caller (principal, correlation id, request id).

const seen: { parts: unknown; caller: Caller }[] = [];
const operations = {
  rename: defineOperation({
    name: "rename",
    summary: "Renommer",
    permission: "demand.update",
    params: z.object({ numero: z.string().length(3) }),
    body: z.object({ nom: z.string().min(1, "indiquez le nom") }),
    output: z.object({ numero: z.string(), nom: z.string() }),
    rest: { method: "put", path: "/v1/choses/:numero" },
    handler: async ({ params, body }, caller) => {
      seen.push({ parts: { params, body }, caller });
      return { numero: params.numero, nom: body.nom };
    },
  }),
  find: defineOperation({
    name: "find",
    summary: "Chercher",
    permission: "demand.read",
    query: z.object({ q: z.string() }),
    rest: { method: "get", path: "/v1/choses" },
    handler: async ({ query }) => ({ q: query.q }),
  }),
  download: defineOperation({
    name: "download",
    summary: "Télécharger",
    permission: "demand.read",
    rest: { method: "get", path: "/v1/fichier" },
    trpc: false,
    raw: true,
    handler: async (_parts, _caller, http) => {
      http?.res.type("text/csv").send("a;b\n");
    },
  }),
};

const tokens: Record<string, Principal> = { guichet: demoUsers.guichet, bailleur: demoUsers.bailleur };
let server: Listening;
let base: string;
beforeAll(async () => {
  const app = createHttpApp({
    logger: createLogger({ service: "operation-test", level: "silent" }),
    verifier: async (token) => {
      const principal = tokens[token];
      if (!principal) throw new Error("unknown token");
      return principal;
    },
    routes: (a) => {
      mountTrpc(a, "/trpc", trpcRouterOf(operations));
      mountRoutes(a, restRoutesOf(Object.values(operations)));
    },
  });
  server = await listen(app, 0, "127.0.0.1");
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(() => server.close());

const send = (method: string, path: string, who: string | undefined, body?: unknown, headers = {}) =>
  fetch(`${base}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(who ? { authorization: `Bearer ${who}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });

describe("one operation, two transports", () => {
  it("REST and tRPC reach the same handler with the same parts and a caller built once", async () => {
    seen.length = 0;
    const rest = await send("PUT", "/v1/choses/abc", "guichet", { nom: "Dupont" }, { "x-correlation-id": "cor_1" });
    expect(rest.status).toBe(200);
    expect(await rest.json()).toEqual({ numero: "abc", nom: "Dupont" });
    const trpc = await send(
      "POST",
      "/trpc/rename",
      "guichet",
      { numero: "abc", nom: "Dupont" },
      {
        "x-correlation-id": "cor_2",
      },
    );
    expect(trpc.status).toBe(200);
    expect(((await trpc.json()) as { result: { data: unknown } }).result.data).toEqual({
      numero: "abc",
      nom: "Dupont",
    });
    expect(seen.map((s) => s.parts)).toEqual([
      { params: { numero: "abc" }, body: { nom: "Dupont" } },
      { params: { numero: "abc" }, body: { nom: "Dupont" } },
    ]);
    expect(seen.map((s) => [s.caller.principal.userId, s.caller.correlationId])).toEqual([
      [demoUsers.guichet.userId, "cor_1"],
      [demoUsers.guichet.userId, "cor_2"],
    ]);
    expect(seen.every((s) => s.caller.requestId.length > 0)).toBe(true);
  });

  it("the permission declared once is enforced on both: 401 anonymous, 403 without the permission", async () => {
    expect((await send("PUT", "/v1/choses/abc", undefined, { nom: "x" })).status).toBe(401);
    expect((await send("POST", "/trpc/rename", undefined, { numero: "abc", nom: "x" })).status).toBe(401);
    expect((await send("PUT", "/v1/choses/abc", "bailleur", { nom: "x" })).status).toBe(403);
    expect((await send("POST", "/trpc/rename", "bailleur", { numero: "abc", nom: "x" })).status).toBe(403);
  });

  it("bad input names the field on both", async () => {
    const rest = await send("PUT", "/v1/choses/abc", "guichet", { nom: "" });
    expect(rest.status).toBe(400);
    expect(await rest.json()).toMatchObject({ error: { field: "nom" } });
    const trpc = await send("POST", "/trpc/rename", "guichet", { numero: "abc", nom: "" });
    expect(trpc.status).toBe(400);
    expect(JSON.stringify(await trpc.json())).toContain("indiquez le nom");
  });

  it("GET operations are tRPC queries; REST-only operations have no procedure", async () => {
    const query = await send("GET", `/trpc/find?input=${encodeURIComponent(JSON.stringify({ q: "a" }))}`, "guichet");
    expect(((await query.json()) as { result: { data: unknown } }).result.data).toEqual({ q: "a" });
    expect((await send("GET", "/v1/fichier", "guichet")).headers.get("content-type")).toContain("text/csv");
    expect((await send("GET", "/trpc/download", "guichet")).status).toBe(404);
  });

  it("the OpenAPI entry carries the operationId, the permission and the response schema", () => {
    const doc = openApiDocument({ title: "t", version: "1" }, restRoutesOf(Object.values(operations)));
    const put = (doc.paths["/v1/choses/{numero}"] as Record<string, Record<string, unknown>>).put;
    expect(put).toMatchObject({ operationId: "rename", "x-permission": "demand.update" });
    expect(JSON.stringify(put?.responses)).toContain('"nom"');
  });
});

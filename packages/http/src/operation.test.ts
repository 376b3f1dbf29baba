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
    produces: { "text/csv": "Le fichier, séparateur ;" },
    attachment: true,
    deprecated: true,
    handler: async (_parts, _caller, http) => {
      http?.res.type("text/csv").send("a;b\n");
    },
  }),
  startJob: defineOperation({
    name: "startJob",
    summary: "Lancer un traitement",
    permission: "demand.update",
    rest: { method: "post", path: "/v1/traitements", status: 202, location: (out) => `/v1/traitements/${out.id}` },
    handler: async () => ({ id: "job_1" }),
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

  it("a 202 says where to follow the job (Location), and the document says it too", async () => {
    const res = await send("POST", "/v1/traitements", "guichet", {});
    expect(res.status).toBe(202);
    expect(res.headers.get("location")).toBe("/v1/traitements/job_1");
    const doc = openApiDocument({ title: "t", version: "1" }, restRoutesOf(Object.values(operations)));
    const post = (doc.paths["/v1/traitements"] as Record<string, { responses: Record<string, { headers?: object }> }>)
      .post;
    expect(post?.responses["202"]?.headers).toHaveProperty("Location");
  });

  it("errors are declared once and referred to; non-JSON answers name their media type; servers are set", () => {
    const doc = openApiDocument({ title: "t", version: "1" }, restRoutesOf(Object.values(operations)));
    const get = (
      doc.paths["/v1/fichier"] as Record<string, { responses: Record<string, unknown>; deprecated?: boolean }>
    ).get;
    expect(get?.responses["400"]).toEqual({ $ref: "#/components/responses/Error400" });
    expect(get?.responses["429"]).toEqual({ $ref: "#/components/responses/Error429" });
    expect(JSON.stringify(get?.responses["200"])).toContain("text/csv");
    // Still served, and marked deprecated for the clients generated from the document.
    expect(get?.deprecated).toBe(true);
    // A file to save declares its Content-Disposition (the name the client saves it under).
    expect(get?.responses["200"]).toHaveProperty(["headers", "Content-Disposition"]);
    expect(JSON.stringify(doc.paths["/v1/choses"])).not.toContain("Content-Disposition");
    expect((doc.paths["/v1/traitements"] as Record<string, Record<string, unknown>>).post?.deprecated).toBeUndefined();
    expect(Object.keys(doc.components.responses)).toEqual(
      expect.arrayContaining([
        "Error400",
        "Error401",
        "Error403",
        "Error404",
        "Error413",
        "Error415",
        "Error429",
        "Error500",
      ]),
    );
    expect(doc.components.schemas.Error).toBeDefined();
    expect(doc.servers).toEqual([expect.objectContaining({ url: "/" })]);
  });

  it("the OpenAPI entry carries the operationId, the permission and the response schema", () => {
    const doc = openApiDocument({ title: "t", version: "1" }, restRoutesOf(Object.values(operations)));
    const put = (doc.paths["/v1/choses/{numero}"] as Record<string, Record<string, unknown>>).put;
    expect(put).toMatchObject({ operationId: "rename", "x-permission": "demand.update" });
    expect(JSON.stringify(put?.responses)).toContain('"nom"');
  });
});

describe("the router's type, as the console's client sees it", () => {
  it("GET operations are queries, the others mutations, REST-only ones absent", () => {
    const appRouter = trpcRouterOf(operations);
    type Procedures = (typeof appRouter)["_def"]["record"];
    const kinds: { find: Procedures["find"]["_def"]["type"]; rename: Procedures["rename"]["_def"]["type"] } = {
      find: "query",
      rename: "mutation",
    };
    // @ts-expect-error a REST-only operation has no procedure
    const absent: Procedures["download"] = undefined;
    expect([kinds, absent]).toEqual([{ find: "query", rename: "mutation" }, undefined]);
  });
});

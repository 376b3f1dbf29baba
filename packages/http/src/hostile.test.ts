import { request } from "node:http";
import { Writable } from "node:stream";
import { gzipSync } from "node:zlib";
import { AppError } from "@logis/domain";
import { createLogger } from "@logis/observability";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { createHttpApp, type Listening, listen } from "./app.js";
import { defineRoute, mountRoutes } from "./rest.js";
import { mountTrpc, publicProcedure, router } from "./trpc.js";

// Hostile requests against an app built with the platform's conventions: every one must be
// answered 4xx (never 500), internal error text must reach neither the client nor, when it carries
// personal data, the log.

const duplicateKeyError = () =>
  Object.assign(
    new Error(
      'E11000 duplicate key error collection: demand_keys index: _id_ dup key: { _id: "69|nb:dup|1988-04-12" }',
    ),
    { code: 11000, keyValue: { _id: "69|nb:dup|1988-04-12" } },
  );

const deepSchema = z.object({ a: z.unknown() });
const appRouter = router({
  echo: publicProcedure.input(z.object({ nom: z.string() })).query(({ input }) => input),
  deep: publicProcedure.input(deepSchema).mutation(({ input }) => z.any().parse(input)),
  overflow: publicProcedure.query(() => {
    const recurse = (n: number): number => recurse(n + 1) + 1;
    return recurse(0);
  }),
  duplicate: publicProcedure.mutation(() => {
    throw duplicateKeyError();
  }),
});

const lines: string[] = [];
let server: Listening;
let base: string;
beforeAll(async () => {
  const destination = new Writable({
    write(chunk, _enc, cb) {
      lines.push(chunk.toString());
      cb();
    },
  });
  const app = createHttpApp({
    logger: createLogger({ service: "http-test", level: "info", destination }),
    routes: (a) => {
      mountTrpc(a, "/trpc", appRouter, { maxBatchSize: 3 });
      mountRoutes(a, [
        defineRoute({
          method: "get",
          path: "/v1/demandes/:numero",
          summary: "t",
          permission: "public",
          params: z.object({ numero: z.string().regex(/^[0-9A-Z]{18}$/, "numéro attendu") }),
          handler: async ({ params }) => params,
        }),
        defineRoute({
          method: "post",
          path: "/v1/echo",
          summary: "t",
          permission: "public",
          body: z.object({ nom: z.string(), liste: z.array(z.unknown()).optional() }),
          handler: async ({ body }) => body,
        }),
        defineRoute({
          method: "post",
          path: "/v1/duplicate",
          summary: "t",
          permission: "public",
          handler: async () => {
            throw duplicateKeyError();
          },
        }),
        defineRoute({
          method: "post",
          path: "/v1/refused",
          summary: "t",
          permission: "public",
          handler: async () => {
            throw new AppError("CONFLICT", "refusé", { reason: "X" });
          },
        }),
      ]);
    },
  });
  server = await listen(app, 0, "127.0.0.1");
  base = `http://127.0.0.1:${server.port}`;
});
afterAll(async () => {
  await server.close();
});

/** A raw request (fetch normalises paths and refuses some headers). */
function raw(method: string, path: string, headers: Record<string, string> = {}, body?: Buffer | string) {
  return new Promise<{ status: number; body: any }>((resolve, reject) => {
    const req = request(`${base}${path}`, { method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const text = Buffer.concat(chunks).toString();
        let json: unknown = text;
        try {
          json = JSON.parse(text);
        } catch {}
        resolve({ status: res.statusCode ?? 0, body: json });
      });
    });
    req.on("error", reject);
    if (body !== undefined) req.write(body);
    req.end();
  });
}

const nested = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
const json = { "content-type": "application/json" };

describe("hostile input is refused with 4xx, never 500", () => {
  it("a tRPC body nested thousands of levels deep: 400 TOO_DEEP", async () => {
    const res = await raw("POST", "/trpc/deep", json, nested(20_000));
    expect(res.status).toBe(400);
    expect(res.body.error.reason ?? res.body.error.data?.reason).toBe("TOO_DEEP");
    const batch = await raw("POST", "/trpc/deep?batch=1", json, `{"0":${nested(20_000)}}`);
    expect(batch.status).toBe(400);
    const query = await raw(
      "GET",
      `/trpc/echo?input=${encodeURIComponent(`${"[".repeat(2_000)}${"]".repeat(2_000)}`)}`,
    );
    expect(query.status).toBe(400);
    const rest = await raw("POST", "/v1/echo", json, `{"nom":"x","liste":${"[".repeat(50_000)}${"]".repeat(50_000)}}`);
    expect(rest.status).toBe(400);
    // A reasonable depth still goes through.
    expect((await raw("POST", "/trpc/deep", json, nested(10))).status).toBe(200);
  });

  it("malformed percent-encoding in a path parameter: 400", async () => {
    for (const bad of ["%ZZ", "%", "%C0%AF", "abc%E0%A4%A"]) {
      const res = await raw("GET", `/v1/demandes/${bad}`);
      expect(res.status, bad).toBe(400);
      expect(res.body.error).toMatchObject({ code: "VALIDATION", field: "params" });
    }
    expect((await raw("GET", "/trpc/%ZZ")).status).toBeLessThan(500);
  });

  it("an unknown charset: 415; an unknown or lying Content-Encoding: 4xx", async () => {
    const charset = await raw(
      "POST",
      "/v1/echo",
      { "content-type": "application/json; charset=klingon" },
      '{"nom":"x"}',
    );
    expect(charset.status).toBe(415);
    const trpcCharset = await raw(
      "POST",
      "/trpc/deep",
      { "content-type": "application/json; charset=klingon" },
      '{"a":1}',
    );
    expect(trpcCharset.status).toBe(415);
    const unknown = await raw("POST", "/v1/echo", { ...json, "content-encoding": "zstd-klingon" }, '{"nom":"x"}');
    expect(unknown.status).toBe(415);
    const lying = await raw("POST", "/v1/echo", { ...json, "content-encoding": "gzip" }, '{"nom":"x"}');
    expect(lying.status).toBeGreaterThanOrEqual(400);
    expect(lying.status).toBeLessThan(500);
    const trpcLying = await raw("POST", "/trpc/deep", { ...json, "content-encoding": "br" }, '{"a":1}');
    expect(trpcLying.status).toBeGreaterThanOrEqual(400);
    expect(trpcLying.status).toBeLessThan(500);
    // An honest one is read.
    const honest = await raw("POST", "/v1/echo", { ...json, "content-encoding": "gzip" }, gzipSync('{"nom":"x"}'));
    expect(honest.status).toBe(200);
    // tRPC is JSON only.
    expect((await raw("POST", "/trpc/deep", { "content-type": "text/plain" }, '{"a":1}')).status).toBe(415);
  });

  it("a body on a GET: read and refused with 400 UNEXPECTED_BODY (an answer, not a reset)", async () => {
    const body = nested(20_000);
    const res = await raw(
      "GET",
      "/v1/demandes/069032600000001AAA",
      { ...json, "content-length": String(body.length) },
      body,
    );
    expect(res.status).toBe(400);
    expect(res.body.error.reason).toBe("UNEXPECTED_BODY");
    expect((await raw("GET", "/v1/demandes/069032600000001AAA")).status).toBe(200);
  });

  it("batches of more calls than the limit: 400 before any call runs", async () => {
    const ok = await raw(
      "GET",
      `/trpc/echo,echo,echo?batch=1&input=${encodeURIComponent('{"0":{"nom":"a"},"1":{"nom":"b"},"2":{"nom":"c"}}')}`,
    );
    expect(ok.status).toBe(200);
    const tooMany = await raw("GET", `/trpc/echo,echo,echo,echo?batch=1&input=${encodeURIComponent("{}")}`);
    expect(tooMany.status).toBe(400);
    expect(tooMany.body.error.message).toContain("3");
    expect(tooMany.body.error.data.reason).toBe("BATCH_TOO_LARGE");
  });
});

describe("internal error text reaches neither the client nor the log", () => {
  it("tRPC masks a stack overflow and a driver's message, as REST does", async () => {
    const overflow = await raw("GET", "/trpc/overflow");
    expect(overflow.status).toBe(500);
    expect(overflow.body.error.message).toBe("Erreur interne");
    expect(JSON.stringify(overflow.body)).not.toContain("call stack");
    const trpc = await raw("POST", "/trpc/duplicate", json, "{}");
    expect(trpc.body.error.message).toBe("Erreur interne");
    const rest = await raw("POST", "/v1/duplicate", json, "{}");
    expect(rest.status).toBe(500);
    for (const body of [trpc.body, rest.body]) {
      expect(JSON.stringify(body)).not.toContain("1988-04-12");
      expect(JSON.stringify(body)).not.toContain("nb:dup");
    }
    // Our own refusals still speak.
    expect((await raw("POST", "/v1/refused", json, "{}")).body.error.message).toBe("refusé");
  });

  it("the service log keeps the error without the name prefix and birth date", async () => {
    lines.length = 0;
    await raw("POST", "/v1/duplicate", json, "{}");
    await raw("POST", "/trpc/duplicate", json, "{}");
    const failures = lines.filter((l) => l.includes("failed"));
    expect(failures).toHaveLength(2);
    for (const line of failures) {
      expect(line).toContain("E11000");
      expect(line).not.toContain("1988-04-12");
      expect(line).not.toContain("nb:dup");
    }
  });
});

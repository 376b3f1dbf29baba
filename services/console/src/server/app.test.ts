import { mkdtempSync, writeFileSync } from "node:fs";
import { createServer } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { generateIssuerKeys } from "@logis/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config.js";
import { startConsole } from "./app.js";

let base: string;
let close: () => Promise<void>;
let upstream: ReturnType<typeof createServer>;
const seen: { url?: string; authorization?: string }[] = [];

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), "console-test-"));
  writeFileSync(join(dir, "index.html"), "<!doctype html><title>console</title>");
  const keys = join(dir, "keys.json");
  writeFileSync(keys, JSON.stringify(await generateIssuerKeys()));
  // A stand-in registration service that echoes what reached it.
  upstream = createServer((req, res) => {
    seen.push({ url: req.url, authorization: req.headers.authorization });
    res.setHeader("content-type", "application/json");
    res.end(JSON.stringify({ ok: true }));
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  const address = upstream.address();
  const port = typeof address === "object" && address ? address.port : 0;
  const server = await startConsole({
    ...loadConfig({
      PORT: "0",
      NODE_ENV: "test",
      REGISTRATION_URL: `http://127.0.0.1:${port}`,
      COTATION_URL: "http://127.0.0.1:9",
      CONSOLE_DEV_ISSUER_KEYS: keys,
      CONSOLE_STATIC_DIR: dir,
    }),
  });
  base = `http://127.0.0.1:${server.port}`;
  close = server.close;
});
afterAll(async () => {
  await close?.();
  upstream?.close();
});

describe("the console's server", () => {
  it("is ready once the application is built, and serves it for every page address", async () => {
    expect((await fetch(`${base}/readyz`)).status).toBe(200);
    const page = await fetch(`${base}/demandes/0690000000000000001A`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("<title>console</title>");
  });

  it("signs demo users' tokens and never lets the private key out", async () => {
    const res = await fetch(`${base}/api/dev/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "epci" }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { token: string; principal: { roles: string[] } };
    expect(body.principal.roles).toContain("epci-grid-editor");
    const payload = JSON.parse(Buffer.from(body.token.split(".")[1] ?? "", "base64url").toString());
    expect(payload).toMatchObject({ sub: "usr_demo_epci", iss: "logis-local", aud: "logis" });
    for (const path of ["/api/config", "/api/dev/users"])
      expect(await (await fetch(`${base}${path}`)).text()).not.toMatch(/"d":/);
    const unknown = await fetch(`${base}/api/dev/token`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "__proto__" }),
    });
    expect(unknown.status).toBe(400);
  });

  it("says which services answer", async () => {
    const config = (await (await fetch(`${base}/api/config`)).json()) as { services: Record<string, boolean> };
    expect(config.services).toMatchObject({ cotation: false });
  });

  it("forwards /svc/<service>/trpc and /v1 with the caller's token, and nothing else", async () => {
    const res = await fetch(`${base}/svc/registration/v1/demandes?nom=mar`, {
      headers: { authorization: "Bearer abc" },
    });
    expect(res.status).toBe(200);
    expect(seen.at(-1)).toEqual({ url: "/v1/demandes?nom=mar", authorization: "Bearer abc" });
    expect((await fetch(`${base}/svc/registration/openapi.json`)).status).toBe(404);
    expect((await fetch(`${base}/svc/elsewhere/v1/x`)).status).toBe(404);
    const down = await fetch(`${base}/svc/cotation/trpc/grids`);
    expect(down.status).toBe(502);
    expect(((await down.json()) as { error: { message: string } }).error.message).toMatch(/Service indisponible/);
  });
});

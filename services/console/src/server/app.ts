import { readFileSync } from "node:fs";
import { join } from "node:path";
import { createLocalIssuer, type DemoUser, demoUsers, type KeyPairJwk } from "@logis/auth";
import express, { type Express } from "express";
import type { ConsoleConfig } from "../config.js";
import { forward } from "./proxy.js";

/** The services the console calls, by the name the browser uses (`/svc/<name>/…`). */
export const serviceNames = ["registration", "cotation", "flux", "cal", "reporting"] as const;
export type ServiceName = (typeof serviceNames)[number];

const baseOf = (config: ConsoleConfig): Record<ServiceName, string> => ({
  registration: config.REGISTRATION_URL,
  cotation: config.COTATION_URL,
  flux: config.FLUX_URL,
  cal: config.CAL_URL,
  reporting: config.REPORTING_URL,
});

async function isUp(base: string): Promise<boolean> {
  try {
    // Generous: a loaded machine answers /readyz slowly, and a service thought down loses its menu.
    const res = await fetch(new URL("/readyz", base), { signal: AbortSignal.timeout(3_000) });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * The console's server: the built single-page application, `/readyz`, the configuration (which
 * services answer), a development sign-in that signs demo users' tokens with the local issuer's key
 * (never sent to the browser), and `/svc/<service>/…`, forwarded to the services' tRPC and REST APIs.
 */
export function createConsoleApp(config: ConsoleConfig): Express {
  const app = express();
  app.disable("x-powered-by");
  const bases = baseOf(config);
  const keys = config.CONSOLE_DEV_ISSUER_KEYS
    ? (JSON.parse(readFileSync(config.CONSOLE_DEV_ISSUER_KEYS, "utf8")) as KeyPairJwk)
    : undefined;
  const issuer = keys
    ? createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" })
    : undefined;
  const index = join(config.CONSOLE_STATIC_DIR, "index.html");

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", (_req, res) => {
    try {
      readFileSync(index);
      res.json({ status: "ready" });
    } catch {
      res.status(503).json({ status: "not ready", reason: "application non construite (pnpm build)" });
    }
  });

  app.get("/api/config", async (_req, res) => {
    const up = await Promise.all(serviceNames.map(async (s) => [s, await isUp(bases[s])] as const));
    res.setHeader("cache-control", "no-store");
    res.json({ services: Object.fromEntries(up), devSignIn: issuer !== undefined });
  });

  app.get("/api/dev/users", (_req, res) => {
    if (!issuer) return res.status(404).json({ error: { message: "Connexion de démonstration désactivée" } });
    res.json(Object.entries(demoUsers).map(([id, p]) => ({ id, ...p })));
  });
  app.post("/api/dev/token", express.json({ limit: "1kb" }), async (req, res) => {
    if (!issuer) return res.status(404).json({ error: { message: "Connexion de démonstration désactivée" } });
    const user = (req.body as { user?: unknown } | undefined)?.user;
    if (typeof user !== "string" || !Object.hasOwn(demoUsers, user))
      return res.status(400).json({ error: { message: "Utilisateur de démonstration inconnu" } });
    const principal = demoUsers[user as DemoUser];
    const ttl = 8 * 3600;
    res.setHeader("cache-control", "no-store");
    res.json({
      token: await issuer.issue(principal, ttl),
      principal,
      expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
    });
  });

  app.use("/svc/:service", (req, res) => {
    const service = req.params.service as ServiceName;
    const path = req.url; // after the mount point, with its query string
    if (!serviceNames.includes(service) || !/^\/(trpc|v1)\//.test(path))
      return res.status(404).json({ error: { message: "Adresse inconnue" } });
    forward(req, res, bases[service], path);
  });

  app.use(express.static(config.CONSOLE_STATIC_DIR, { index: false, maxAge: "1h" }));
  // Every other path is a page of the application (client-side routes).
  app.use((req, res, next) => {
    if (req.method !== "GET" || req.path.startsWith("/api/")) return next();
    res.setHeader("cache-control", "no-cache");
    res.sendFile(index, (err) => {
      if (err) res.status(503).type("text/plain").send("Console non construite : lancez pnpm build");
    });
  });
  return app;
}

/** Starts the server; resolves once it listens (Express 5 passes a listen error to the callback). */
export function startConsole(config: ConsoleConfig): Promise<{ port: number; close(): Promise<void> }> {
  const app = createConsoleApp(config);
  return new Promise((resolve, reject) => {
    const server = app.listen(config.PORT, (err?: Error) => {
      if (err) return reject(err);
      const address = server.address();
      const port = typeof address === "object" && address ? address.port : config.PORT;
      resolve({
        port,
        close: () =>
          new Promise<void>((done) => {
            server.closeAllConnections();
            server.close(() => done());
          }),
      });
    });
  });
}

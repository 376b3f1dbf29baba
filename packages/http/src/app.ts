import type { Server } from "node:http";
import type { Verifier } from "@logis/auth";
import { AppError, newId } from "@logis/domain";
import type { Logger } from "@logis/observability";
import express, { type Express, type NextFunction, type Request, type Response } from "express";
import { type RequestContext, requestContext } from "./context.js";
import { errorResponse, loggableError, toAppError } from "./errors.js";
import { type RateLimitOptions, rateLimit } from "./rate-limit.js";

export interface HttpAppOptions {
  logger: Logger;
  /** Verifies bearer tokens; without it every request is anonymous (and protected routes answer 401). */
  verifier?: Verifier | undefined;
  /** Named readiness checks for /readyz (database connected, consumers joined, ...). */
  readiness?: Record<string, () => Promise<boolean> | boolean>;
  /** Mounts the service's routes (REST, tRPC, OpenAPI). */
  routes: (app: Express) => void;
  bodyLimit?: string;
  /** Requests per caller, route family and window; beyond, 429 with Retry-After. */
  rateLimit?: RateLimitOptions;
  /** Deepest nesting accepted in a JSON body (deeper ones are refused with 400 before any handler). */
  maxJsonDepth?: number;
}

/** Whether `value` nests objects or arrays deeper than `max` levels (iterative: no recursion to overflow). */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop() as [unknown, number];
    if (typeof v !== "object" || v === null) continue;
    if (depth >= max) return true;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === "object" && child !== null) stack.push([child, depth + 1]);
    }
  }
  return false;
}

export const tooDeep = (max: number) =>
  new AppError("VALIDATION", `Le corps de la requête est imbriqué trop profondément (au plus ${max} niveaux)`, {
    reason: "TOO_DEEP",
  });

const REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;
const BODYLESS = new Set(["GET", "HEAD", "DELETE", "OPTIONS"]);
const hasBody = (req: Request) =>
  req.header("transfer-encoding") !== undefined || Number(req.header("content-length") ?? 0) > 0;
/** "10mb" → bytes (the body limits are written as express writes them). */
const bytesOf = (limit: string): number => {
  const m = /^(\d+(?:\.\d+)?)\s*(b|kb|mb|gb)?$/i.exec(limit.trim());
  if (!m) return 10 * 1024 * 1024;
  const unit = { b: 1, kb: 1024, mb: 1024 ** 2, gb: 1024 ** 3 }[(m[2] ?? "b").toLowerCase() as "b"] ?? 1;
  return Math.floor(Number(m[1]) * unit);
};
const CORRELATION_ID = /^[\w.:-]{1,128}$/;

/**
 * An express app with the platform's conventions: request ids, structured access logs, optional
 * bearer authentication, /healthz and /readyz, JSON errors from one code table.
 */
export function createHttpApp({
  logger,
  verifier,
  readiness = {},
  routes,
  bodyLimit = "10mb",
  rateLimit: rateLimitOptions,
  maxJsonDepth = 32,
}: HttpAppOptions): Express {
  const app = express();
  app.disable("x-powered-by");
  app.set("trust proxy", true);

  app.use((req: Request, res: Response, next: NextFunction) => {
    const incoming = req.header("x-request-id");
    const requestId = incoming && REQUEST_ID.test(incoming) ? incoming : newId("request");
    res.setHeader("x-request-id", requestId);
    const correlation = req.header("x-correlation-id");
    const correlationId = correlation && CORRELATION_ID.test(correlation) ? correlation : newId("correlation");
    const ctx: RequestContext = { requestId, correlationId, principal: undefined, logger: logger.child({ requestId }) };
    res.locals.ctx = ctx;
    const started = process.hrtime.bigint();
    res.on("finish", () => {
      if (req.path === "/healthz" || req.path === "/readyz") return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      ctx.logger.info(
        {
          method: req.method,
          path: req.path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          userId: ctx.principal?.userId,
        },
        "request",
      );
    });
    next();
  });

  app.get("/healthz", (_req, res) => {
    res.json({ status: "ok" });
  });
  app.get("/readyz", async (_req, res) => {
    const results = Object.fromEntries(
      await Promise.all(
        Object.entries(readiness).map(
          async ([name, check]) => [name, await Promise.resolve(check()).catch(() => false)] as const,
        ),
      ),
    );
    const ready = Object.values(results).every(Boolean);
    res.status(ready ? 200 : 503).json({ status: ready ? "ready" : "not-ready", checks: results });
  });

  // A body where the method takes none (GET, HEAD, DELETE, OPTIONS): it is read to its end (within the
  // body limit) and refused with 400, so the client gets an answer instead of a connection reset
  // when the route would have answered before the body arrived.
  app.use((req: Request, res: Response, next: NextFunction) => {
    if (!BODYLESS.has(req.method) || !hasBody(req)) return next();
    const max = bytesOf(bodyLimit);
    let size = 0;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) {
        res.setHeader("connection", "close");
        req.destroy();
      }
    });
    req.on("end", () =>
      next(
        new AppError(
          "VALIDATION",
          `Une requête ${req.method} ne porte pas de corps : passez les paramètres dans l'adresse`,
          {
            reason: "UNEXPECTED_BODY",
          },
        ),
      ),
    );
  });
  app.use(express.json({ limit: bodyLimit }));
  // Validation walks the input recursively: a body nested thousands of levels deep would overflow the stack.
  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(nestedDeeperThan(req.body, maxJsonDepth) ? tooDeep(maxJsonDepth) : undefined);
  });

  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const header = req.header("authorization");
    if (!header) return next();
    const match = /^Bearer\s+(\S+)$/i.exec(header);
    try {
      if (!match?.[1]) throw new AppError("UNAUTHENTICATED", "En-tête Authorization attendu : Bearer <jeton>");
      if (!verifier) throw new AppError("UNAUTHENTICATED", "Authentification non configurée");
      requestContext(res).principal = await verifier(match[1]);
      next();
    } catch (error) {
      next(error);
    }
  });

  if (rateLimitOptions) app.use(rateLimit(rateLimitOptions));

  routes(app);

  app.use((req: Request, _res: Response, next: NextFunction) => {
    next(new AppError("NOT_FOUND", `Aucune route ${req.method} ${req.path}`, { reason: "ROUTE_NOT_FOUND" }));
  });

  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    const ctx = requestContext(res);
    const appError = toAppError(error);
    const { status, body } = errorResponse(appError, ctx.requestId);
    // The log gets the error without personal data (a duplicate key quotes names and birth dates).
    if (status >= 500) ctx.logger.error({ err: loggableError(error) }, "request failed");
    // An engine restarting or a busy resource: the client may try again shortly.
    if (status === 503) res.setHeader("Retry-After", "2");
    res.status(status).json(body);
  });

  return app;
}

export interface Listening {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Starts listening; `close()` stops accepting, ends idle keep-alive connections and waits for the rest. */
export async function listen(app: Express, port: number, host: string): Promise<Listening> {
  const server = await new Promise<Server>((resolve, reject) => {
    const s = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(s)));
  });
  const address = server.address();
  return {
    server,
    port: typeof address === "object" && address ? address.port : port,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeIdleConnections();
      }),
  };
}

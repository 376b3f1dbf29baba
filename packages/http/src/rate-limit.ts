import { AppError } from "@logis/domain";
import type { NextFunction, Request, Response } from "express";
import { requestContext } from "./context.js";

/** Counts a caller's requests in fixed windows (Redis `INCR` + `PEXPIRE` in the services). */
export type RateCounter = (key: string, windowMs: number) => Promise<{ count: number; resetInMs: number }>;

export interface RateLimitOptions {
  /** Requests allowed per caller, per route family and window. */
  limit: number;
  windowMs: number;
  counter: RateCounter;
}

/**
 * The family of a route: `/v1/demandes/069…/renouvellement` → `v1/demandes`, `/trpc/get,search` →
 * `trpc`. A desk's searches are counted apart from its registrations' family only by the first two
 * segments: enough to keep one busy screen from starving the others.
 */
export const routeFamily = (path: string) => {
  const segments = path.split("/").filter(Boolean);
  // tRPC names its procedures in the path (batches join several): the console counts as one family.
  if (segments[0] === "trpc") return "trpc";
  return segments.slice(0, 2).join("/") || "/";
};

/**
 * 429 with Retry-After beyond `limit` requests per window, per caller (the user, or the address of an
 * anonymous caller) and route family. A counter that fails lets the request through: rate limiting
 * never takes the service down with Redis.
 */
export function rateLimit({ limit, windowMs, counter }: RateLimitOptions) {
  return async (req: Request, res: Response, next: NextFunction) => {
    const ctx = requestContext(res);
    const who = ctx.principal?.userId ?? `ip:${req.ip ?? "?"}`;
    const family = routeFamily(req.path);
    let counted: Awaited<ReturnType<RateCounter>>;
    try {
      counted = await counter(`${who}|${family}`, windowMs);
    } catch (error) {
      ctx.logger.warn({ err: error }, "rate counter unavailable; request let through");
      return next();
    }
    res.setHeader("ratelimit-limit", String(limit));
    res.setHeader("ratelimit-remaining", String(Math.max(0, limit - counted.count)));
    if (counted.count <= limit) return next();
    const seconds = Math.max(1, Math.ceil(counted.resetInMs / 1000));
    res.setHeader("retry-after", String(seconds));
    next(
      new AppError("RATE_LIMITED", `Trop de requêtes : réessayez dans ${seconds} s`, {
        reason: "RATE_LIMITED",
        context: { limit, windowSeconds: Math.round(windowMs / 1000), retryAfterSeconds: seconds },
      }),
    );
  };
}

import { request as httpRequest, type IncomingHttpHeaders } from "node:http";
import { request as httpsRequest } from "node:https";
import type { Request, Response } from "express";

const HOP_BY_HOP = new Set([
  "connection",
  "keep-alive",
  "proxy-authenticate",
  "proxy-authorization",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
  "host",
]);

const forwardable = (headers: IncomingHttpHeaders) =>
  Object.fromEntries(Object.entries(headers).filter(([k, v]) => v !== undefined && !HOP_BY_HOP.has(k)));

/**
 * Forwards one request to a service (same path under its base URL), streaming both ways, so that the
 * browser only ever calls the console's own origin. The caller's bearer token goes through as is.
 */
export function forward(req: Request, res: Response, base: string, path: string) {
  const target = new URL(path, base);
  const send = target.protocol === "https:" ? httpsRequest : httpRequest;
  const upstream = send(
    target,
    { method: req.method, headers: { ...forwardable(req.headers), "x-forwarded-for": req.ip ?? "" } },
    (answer) => {
      res.status(answer.statusCode ?? 502);
      for (const [k, v] of Object.entries(forwardable(answer.headers))) if (v !== undefined) res.setHeader(k, v);
      answer.pipe(res);
    },
  );
  upstream.on("error", () => {
    if (res.headersSent) return res.destroy();
    res.status(502).json({
      error: {
        code: "UNAVAILABLE",
        message: "Service indisponible : réessayez dans un instant ou prévenez l'équipe d'exploitation",
      },
    });
  });
  req.pipe(upstream);
}

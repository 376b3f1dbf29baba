import { assertCan, type Permission, type Principal } from "@logis/auth";
import { AppError, isAppError } from "@logis/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import type { Express, NextFunction, Request, Response } from "express";
import { z } from "zod";
import { nestedDeeperThan, tooDeep } from "./app.js";
import { type RequestContext, requestContext } from "./context.js";
import { errorTable, loggableError, statusOf, toAppError } from "./errors.js";

export type TrpcContext = RequestContext;

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error, ctx }) {
    const app = isAppError(error.cause) ? error.cause : undefined;
    // Only our own refusals speak to the client; anything else (a driver's error, a stack overflow)
    // is an internal error whose text stays in the log, as with REST.
    const internal = error.code === "INTERNAL_SERVER_ERROR" || app?.code === "INTERNAL";
    return {
      ...shape,
      message: internal ? "Erreur interne" : shape.message,
      data: {
        ...shape.data,
        stack: undefined,
        appCode: app?.code,
        reason: app?.reason,
        field: app?.field,
        issues: app?.context.issues,
        details: app?.context.details,
        requestId: ctx?.requestId,
      },
    };
  },
});

/** Every AppError (and zod error, input validation included) leaves with the code from the one table. */
const mapErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (result.ok) return result;
  const cause = result.error.cause;
  if (isAppError(cause) || cause instanceof z.ZodError) {
    const app = toAppError(cause);
    throw new TRPCError({ code: statusOf(app).trpc, message: app.message, cause: app });
  }
  return result;
});

export const router = t.router;
/** Anonymous access must be chosen explicitly. */
export const publicProcedure = t.procedure.use(mapErrors);

/** A procedure that requires a caller holding `permission` (deny by default). */
export const authorizedProcedure = (permission: Permission) =>
  t.procedure.use(mapErrors).use(({ ctx, next }) => {
    try {
      assertCan(ctx.principal, permission);
    } catch (error) {
      const app = toAppError(error);
      throw new TRPCError({ code: errorTable[app.code].trpc, message: app.message, cause: app });
    }
    return next({ ctx: { ...ctx, principal: ctx.principal as Principal } });
  });

export interface TrpcOptions {
  /** Most procedure calls one batched request may carry (more: 400 before any runs). */
  maxBatchSize?: number;
  /** Deepest nesting accepted in an input (the body is checked by the app; this checks `?input=`). */
  maxJsonDepth?: number;
}

/** A refusal before tRPC runs, in the shape of a tRPC error response. */
function refuse(res: Response, error: AppError) {
  const { status, trpc } = statusOf(error);
  res.status(status).json({
    error: {
      message: error.message,
      code: -32600,
      data: {
        code: trpc,
        httpStatus: status,
        appCode: error.code,
        reason: error.reason,
        field: error.field,
        requestId: requestContext(res).requestId,
      },
    },
  });
}

/**
 * Mounts a tRPC router. Before tRPC reads anything: batches of more than `maxBatchSize` calls and
 * inputs nested deeper than `maxJsonDepth` are refused (400), and a POST must carry JSON (415).
 */
export function mountTrpc(
  app: Express,
  path: string,
  appRouter: Parameters<typeof createExpressMiddleware>[0]["router"],
  { maxBatchSize = 20, maxJsonDepth = 32 }: TrpcOptions = {},
) {
  app.use(path, (req: Request, res: Response, next: NextFunction) => {
    try {
      decodeURIComponent(req.path);
    } catch {
      return refuse(
        res,
        new AppError("VALIDATION", "Nom de procédure mal encodé", { reason: "MALFORMED_REQUEST", field: "path" }),
      );
    }
    if (req.query.batch !== undefined) {
      const calls = req.path.replace(/^\//, "").split(",").length;
      if (calls > maxBatchSize)
        return refuse(
          res,
          new AppError("VALIDATION", `Au plus ${maxBatchSize} appels par requête groupée (${calls} reçus)`, {
            reason: "BATCH_TOO_LARGE",
            context: { maxBatchSize },
          }),
        );
    }
    const hasBody = req.header("transfer-encoding") !== undefined || Number(req.header("content-length") ?? 0) > 0;
    if (req.method === "POST" && req.body === undefined && hasBody)
      return refuse(
        res,
        new AppError("VALIDATION", "Corps JSON attendu (Content-Type: application/json)", {
          reason: "UNSUPPORTED_MEDIA_TYPE",
        }),
      );
    const input = req.query.input;
    if (typeof input === "string") {
      let parsed: unknown;
      try {
        parsed = JSON.parse(input);
      } catch {
        return refuse(
          res,
          new AppError("VALIDATION", "Paramètre input : JSON invalide", { reason: "MALFORMED_JSON", field: "input" }),
        );
      }
      if (nestedDeeperThan(parsed, maxJsonDepth)) return refuse(res, tooDeep(maxJsonDepth));
    } else if (input !== undefined) {
      return refuse(
        res,
        new AppError("VALIDATION", "Paramètre input : une seule valeur JSON attendue", {
          reason: "MALFORMED_REQUEST",
          field: "input",
        }),
      );
    }
    next();
  });
  app.use(
    path,
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ res }) => requestContext(res),
      onError: ({ error, ctx }) => {
        if (error.code === "INTERNAL_SERVER_ERROR")
          ctx?.logger.error({ err: loggableError(error.cause ?? error) }, "tRPC procedure failed");
      },
    }),
  );
}

import { assertCan, type Permission, type Principal } from "@logis/auth";
import { isAppError } from "@logis/domain";
import { initTRPC, TRPCError } from "@trpc/server";
import { createExpressMiddleware } from "@trpc/server/adapters/express";
import type { Express } from "express";
import { z } from "zod";
import { type RequestContext, requestContext } from "./context.js";
import { errorTable, toAppError } from "./errors.js";

export type TrpcContext = RequestContext;

const t = initTRPC.context<TrpcContext>().create({
  errorFormatter({ shape, error, ctx }) {
    const app = isAppError(error.cause) ? error.cause : undefined;
    return {
      ...shape,
      message: app?.code === "INTERNAL" ? "Erreur interne" : shape.message,
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
    throw new TRPCError({ code: errorTable[app.code].trpc, message: app.message, cause: app });
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

export function mountTrpc(
  app: Express,
  path: string,
  appRouter: Parameters<typeof createExpressMiddleware>[0]["router"],
) {
  app.use(
    path,
    createExpressMiddleware({
      router: appRouter,
      createContext: ({ res }) => requestContext(res),
      onError: ({ error, ctx }) => {
        if (error.code === "INTERNAL_SERVER_ERROR")
          ctx?.logger.error({ err: error.cause ?? error }, "tRPC procedure failed");
      },
    }),
  );
}

import { AppError, newId } from "@logis/domain";
import type { RequestContext } from "@logis/http";
import type { Caller } from "../app/context.js";

/** The use-case caller of an HTTP request (authentication already checked by the route's permission). */
export function callerOf(ctx: RequestContext, correlationHeader?: string | undefined): Caller {
  if (!ctx.principal) throw new AppError("UNAUTHENTICATED", "Authentification requise");
  return {
    principal: ctx.principal,
    correlationId:
      correlationHeader && /^[\w.:-]{1,128}$/.test(correlationHeader) ? correlationHeader : newId("correlation"),
    requestId: ctx.requestId,
  };
}

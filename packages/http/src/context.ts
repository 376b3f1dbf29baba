import type { Principal } from "@logis/auth";
import type { Logger } from "@logis/observability";
import type { Response } from "express";

/** What every handler knows about the request it serves. */
export interface RequestContext {
  requestId: string;
  /** Ties together the events the request causes: `x-correlation-id` when well formed, else new. */
  correlationId: string;
  principal: Principal | undefined;
  logger: Logger;
}

export const requestContext = (res: Response): RequestContext => res.locals.ctx as RequestContext;

import { AppError, type ErrorCode, isAppError, validationError } from "@logis/domain";
import type { TRPC_ERROR_CODE_KEY } from "@trpc/server";
import { z } from "zod";

/** The one table from error codes to HTTP statuses and tRPC codes. */
export const errorTable: Record<ErrorCode, { status: number; trpc: TRPC_ERROR_CODE_KEY }> = {
  VALIDATION: { status: 400, trpc: "BAD_REQUEST" },
  UNAUTHENTICATED: { status: 401, trpc: "UNAUTHORIZED" },
  FORBIDDEN: { status: 403, trpc: "FORBIDDEN" },
  NOT_FOUND: { status: 404, trpc: "NOT_FOUND" },
  CONFLICT: { status: 409, trpc: "CONFLICT" },
  RULE_VIOLATION: { status: 422, trpc: "UNPROCESSABLE_CONTENT" },
  RATE_LIMITED: { status: 429, trpc: "TOO_MANY_REQUESTS" },
  UNAVAILABLE: { status: 503, trpc: "SERVICE_UNAVAILABLE" },
  INTERNAL: { status: 500, trpc: "INTERNAL_SERVER_ERROR" },
};

/** The single 4xx/5xx body shape of the REST API. */
export const ErrorBody = z.object({
  error: z.object({
    code: z.string(),
    reason: z.string().optional(),
    message: z.string(),
    field: z.string().optional(),
    issues: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
    /** Data the client needs to act on the error (e.g. the possible duplicates to examine). */
    details: z.unknown().optional(),
    requestId: z.string(),
  }),
});
export type ErrorBody = z.infer<typeof ErrorBody>;

/** Any thrown value as an AppError; unknown errors become INTERNAL with a generic message. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof z.ZodError) return validationError(error);
  const e = error as { type?: string; status?: number; message?: string };
  if (e?.type === "entity.parse.failed") {
    return new AppError("VALIDATION", "Le corps de la requête n'est pas du JSON valide", { reason: "MALFORMED_JSON" });
  }
  if (e?.type === "entity.too.large") {
    return new AppError("VALIDATION", "Le corps de la requête est trop volumineux", { reason: "PAYLOAD_TOO_LARGE" });
  }
  return new AppError("INTERNAL", "Erreur interne", { cause: error });
}

export function errorResponse(error: AppError, requestId: string): { status: number; body: ErrorBody } {
  const issues = error.context.issues as { path: string; message: string }[] | undefined;
  return {
    status: errorTable[error.code].status,
    body: {
      error: {
        code: error.code,
        ...(error.reason ? { reason: error.reason } : {}),
        message: error.code === "INTERNAL" ? "Erreur interne" : error.message,
        ...(error.field ? { field: error.field } : {}),
        ...(issues ? { issues: issues.map(({ path, message }) => ({ path, message })) } : {}),
        ...(error.context.details !== undefined ? { details: error.context.details } : {}),
        requestId,
      },
    },
  };
}

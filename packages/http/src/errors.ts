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

/**
 * Validation refusals that HTTP names more precisely than 400: a body too large (413) and a body
 * the server cannot decode (415: unknown charset or content encoding, or not JSON where JSON is due).
 */
export const reasonStatus: Record<string, { status: number; trpc: TRPC_ERROR_CODE_KEY }> = {
  PAYLOAD_TOO_LARGE: { status: 413, trpc: "PAYLOAD_TOO_LARGE" },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, trpc: "UNSUPPORTED_MEDIA_TYPE" },
};

export const statusOf = (error: AppError) =>
  (error.code === "VALIDATION" && error.reason ? reasonStatus[error.reason] : undefined) ?? errorTable[error.code];

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

/** What the HTTP layer (body parser, router) says about a request it could not read. */
const requestErrors: Record<string, { message: string; reason: string }> = {
  "entity.parse.failed": { message: "Le corps de la requête n'est pas du JSON valide", reason: "MALFORMED_JSON" },
  "entity.too.large": { message: "Le corps de la requête est trop volumineux", reason: "PAYLOAD_TOO_LARGE" },
  "charset.unsupported": {
    message: "Jeu de caractères non pris en charge (utilisez utf-8)",
    reason: "UNSUPPORTED_MEDIA_TYPE",
  },
  "encoding.unsupported": {
    message: "Content-Encoding non pris en charge (identity, gzip, deflate ou br)",
    reason: "UNSUPPORTED_MEDIA_TYPE",
  },
};

/** Any thrown value as an AppError; unknown errors become INTERNAL with a generic message. */
export function toAppError(error: unknown): AppError {
  if (isAppError(error)) return error;
  if (error instanceof z.ZodError) return validationError(error);
  const e = error as { type?: string; status?: number; statusCode?: number; expose?: boolean };
  const known = e?.type ? requestErrors[e.type] : undefined;
  if (known) return new AppError("VALIDATION", known.message, { reason: known.reason });
  const status = e?.status ?? e?.statusCode;
  // Other refusals of the HTTP layer (http-errors: a path parameter that is not valid
  // percent-encoding, a body that does not match its Content-Encoding, an aborted upload): 4xx,
  // with a message of ours (theirs may quote the request).
  if (error instanceof URIError && status === 400)
    return new AppError("VALIDATION", "Paramètre de chemin mal encodé (séquence %XX invalide)", {
      reason: "MALFORMED_REQUEST",
      field: "params",
    });
  if (typeof status === "number" && status >= 400 && status < 500 && e.expose !== false) {
    if (status === 413)
      return new AppError("VALIDATION", requestErrors["entity.too.large"]?.message ?? "", {
        reason: "PAYLOAD_TOO_LARGE",
      });
    if (status === 415)
      return new AppError("VALIDATION", "Type ou encodage du corps non pris en charge", {
        reason: "UNSUPPORTED_MEDIA_TYPE",
      });
    return new AppError("VALIDATION", "Requête illisible (encodage de l'adresse ou du corps invalide)", {
      reason: "MALFORMED_REQUEST",
    });
  }
  if (isEngineUnavailable(error))
    return new AppError("UNAVAILABLE", "Service momentanément indisponible : réessayez dans un instant", {
      reason: "ENGINE_UNAVAILABLE",
      retriable: true,
      cause: error,
    });
  return new AppError("INTERNAL", "Erreur interne", { cause: error });
}

const UNAVAILABLE_NAMES = new Set([
  "MaxRetriesPerRequestError", // ioredis: Redis did not answer (restarting, unreachable)
  "MongoNetworkError",
  "MongoNetworkTimeoutError",
  "MongoServerSelectionError",
  "MongoNotConnectedError",
  "MongoPoolClearedError",
  "KafkaJSConnectionError",
  "KafkaJSNumberOfRetriesExceeded",
  "KafkaJSRequestTimeoutError",
]);
const UNAVAILABLE_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "EPIPE", "ETIMEDOUT", "EHOSTUNREACH"]);
const CUT_CONNECTION = /connection .* closed|\b(ECONNRESET|ECONNREFUSED|EPIPE)\b/;

/**
 * An engine (Redis, MongoDB, Kafka) is down or restarting: the request may succeed in a moment, so
 * the answer is 503 with Retry-After, not a 500 that reads as a fault of the service.
 */
function isEngineUnavailable(error: unknown): boolean {
  const e = error as { name?: string; code?: unknown; cause?: unknown; errorResponse?: unknown } | undefined;
  if (!e || typeof e !== "object") return false;
  if (e.name && UNAVAILABLE_NAMES.has(e.name)) return true;
  // A write cut by the database going away (MongoBulkWriteError: "connection 36 to … closed", or
  // "read ECONNRESET" when the server is killed mid-answer).
  const message = (error as { message?: unknown }).message;
  if (e.name?.startsWith("Mongo") && typeof message === "string" && CUT_CONNECTION.test(message)) return true;
  if (typeof e.code === "string" && UNAVAILABLE_CODES.has(e.code)) return true;
  // The driver's bulk-write error carries the network error it met in `errorResponse`.
  if (e.errorResponse !== undefined && e.errorResponse !== error && isEngineUnavailable(e.errorResponse)) return true;
  return e.cause !== undefined && e.cause !== error && isEngineUnavailable(e.cause);
}

export function errorResponse(error: AppError, requestId: string): { status: number; body: ErrorBody } {
  const issues = error.context.issues as { path: string; message: string }[] | undefined;
  return {
    status: statusOf(error).status,
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

/**
 * Values that may carry personal data in a driver's or a library's error message: a duplicate key
 * (`dup key: { _id: "69|nb:dup|1988-04-12" }`), or a lookup key of the registration's key table
 * (name prefixes, names, birth dates, NIRs).
 */
const PERSONAL = [
  [/dup key: \{[^}]*\}/g, "dup key: { <masqué> }"],
  [/\b(np|nb|pb|dn|nir):[^\s"',}]+/g, "$1:<masqué>"],
] as const;

const scrub = (text: unknown) =>
  typeof text === "string" ? PERSONAL.reduce((s, [pattern, by]) => s.replace(pattern, by), text) : undefined;

/**
 * An error as the service log may keep it: type, code, message and stack with personal data
 * masked, causes likewise; none of the other properties a driver attaches (`keyValue`,
 * `errorResponse`, the failed document).
 */
export function loggableError(error: unknown, depth = 0): Record<string, unknown> | string {
  if (!(error instanceof Error)) return scrub(String(error)) ?? "";
  const e = error as Error & { code?: unknown; reason?: unknown; type?: unknown; status?: unknown };
  // No prototype: the logger's error serializer then names it after `name`, not "Object".
  return Object.assign(Object.create(null) as Record<string, unknown>, {
    name: e.name,
    message: scrub(e.message),
    ...(typeof e.code === "string" || typeof e.code === "number" ? { code: e.code } : {}),
    ...(typeof e.reason === "string" ? { reason: e.reason } : {}),
    ...(typeof e.type === "string" ? { errorType: e.type } : {}),
    ...(typeof e.status === "number" ? { status: e.status } : {}),
    stack: scrub(e.stack),
    ...(e.cause !== undefined && depth < 3 ? { cause: loggableError(e.cause, depth + 1) } : {}),
  });
}

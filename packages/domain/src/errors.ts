import { z } from "zod";
import { fieldLabel, useFrenchValidationMessages } from "./french-messages.js";

// Every service loads this module: zod speaks French from here on (issue 15).
useFrenchValidationMessages();

/** The closed list of error codes every transport maps in exactly one table (http/errors). */
export const ErrorCode = z.enum([
  "VALIDATION",
  "UNAUTHENTICATED",
  "FORBIDDEN",
  "NOT_FOUND",
  "CONFLICT",
  "RULE_VIOLATION",
  "RATE_LIMITED",
  "UNAVAILABLE",
  "INTERNAL",
]);
export type ErrorCode = z.infer<typeof ErrorCode>;

export interface AppErrorOptions {
  /** A stable, more precise reason, e.g. `DEMAND_NOT_ACTIVE`; shown to API clients. */
  reason?: string;
  /** The input field at fault, as a dotted path (`demandeur.dateNaissance`). */
  field?: string;
  retriable?: boolean;
  context?: Record<string, unknown>;
  cause?: unknown;
}

/** The one error class that crosses layers. Infrastructure failures are wrapped once, at the adapter. */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly reason: string | undefined;
  readonly field: string | undefined;
  readonly retriable: boolean;
  readonly context: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = "AppError";
    this.code = code;
    this.reason = options.reason;
    this.field = options.field;
    this.retriable = options.retriable ?? code === "UNAVAILABLE";
    this.context = options.context ?? {};
  }
}

export const isAppError = (e: unknown): e is AppError => e instanceof AppError;

/**
 * Formats zod issues so that each names its field in words, then its path for those who write code:
 * `date de naissance (demandeur) [demandeur.dateNaissance] : date attendue au format aaaa-mm-jj`.
 */
export function describeZodIssues(error: z.ZodError): { field: string | undefined; message: string } {
  const parts = error.issues.map((i) =>
    i.path.length ? `${fieldLabel(i.path)} [${i.path.map(String).join(".")}] : ${i.message}` : i.message,
  );
  const first = error.issues[0];
  return { field: first?.path.length ? first.path.join(".") : undefined, message: parts.join(" ; ") };
}

export function validationError(error: z.ZodError, context?: Record<string, unknown>): AppError {
  const { field, message } = describeZodIssues(error);
  return new AppError("VALIDATION", message, {
    ...(field === undefined ? {} : { field }),
    context: {
      ...context,
      issues: error.issues.map((i) => ({ path: i.path.join("."), message: i.message, code: i.code })),
    },
  });
}

/** Parses `input` or throws a VALIDATION AppError that names every bad field. */
export function parseOrThrow<S extends z.ZodType>(schema: S, input: unknown): z.infer<S> {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw validationError(parsed.error);
  return parsed.data;
}

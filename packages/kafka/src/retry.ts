import { isAppError } from "@logis/domain";

/** Errors worth retrying: declared retriable (AppError, kafkajs) or a lost connection to a dependency. */
export function isRetriable(error: unknown): boolean {
  if (isAppError(error)) return error.retriable;
  if (typeof error !== "object" || error === null) return false;
  const e = error as { retriable?: unknown; name?: unknown; errorLabels?: unknown };
  if (e.retriable === true) return true;
  const name = typeof e.name === "string" ? e.name : "";
  if (/^Mongo(Network|ServerSelection|NotConnected|PoolCleared|NetworkTimeout)/.test(name)) return true;
  if (Array.isArray(e.errorLabels) && e.errorLabels.includes("RetryableWriteError")) return true;
  return false;
}

export interface BackoffPolicy {
  attempts: number;
  initialMs: number;
  maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { attempts: 5, initialMs: 100, maxMs: 5_000 };

/** Exponential backoff with full jitter (0..cap), so that restarting consumers do not retry in step. */
export const backoffDelay = (attempt: number, p: BackoffPolicy): number =>
  Math.round(Math.random() * Math.min(p.maxMs, p.initialMs * 2 ** attempt));

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

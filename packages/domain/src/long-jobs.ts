// Long jobs (imports, exports, stock scans) as every service keeps them: a document with its status,
// heartbeat and progress, read by desks who want to know how far it got and when it will end.

/** What every background job document carries. */
export interface LongJob {
  _id: string;
  status: "running" | "done" | "failed";
  startedAt: Date;
  /** Refreshed as the job progresses: a running job without news for long died with its process. */
  heartbeatAt: Date;
  finishedAt?: Date;
  startedBy: { userId: string; organisationId: string };
  error?: string;
}

/** How long a running job may stay silent before it is taken for dead. */
export const JOB_SILENCE_MS = 120_000;

/** A job still `running` without a heartbeat for two minutes died with its process: say so. */
export function interrupted(job: { status: string; heartbeatAt?: Date }, now: Date, message: string) {
  const stale =
    job.status === "running" &&
    job.heartbeatAt !== undefined &&
    now.getTime() - job.heartbeatAt.getTime() > JOB_SILENCE_MS;
  return stale ? { status: "interrupted" as const, error: message } : {};
}

/**
 * Where a job stands: what is done of the total, as a percentage, and when it should end at the
 * pace so far (undefined until something is done, or when the total is not known yet).
 */
export function progressOf(
  job: { startedAt: Date; finishedAt?: Date | undefined },
  done: number,
  total: number | undefined,
  now: Date,
): { done: number; total?: number; percent?: number; estimatedEnd?: string } {
  if (total === undefined || total <= 0) return { done };
  const percent = Math.min(100, Math.floor((done / total) * 100));
  if (job.finishedAt) return { done, total, percent: 100 };
  const elapsed = now.getTime() - job.startedAt.getTime();
  if (done <= 0 || elapsed <= 0) return { done, total, percent };
  const remaining = (elapsed / done) * Math.max(0, total - done);
  return { done, total, percent, estimatedEnd: new Date(now.getTime() + remaining).toISOString() };
}

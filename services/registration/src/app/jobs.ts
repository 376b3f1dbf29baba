/** What every background job document (import, duplicate scan) carries. */
export interface JobBase {
  _id: string;
  departement: string;
  status: "running" | "done" | "failed";
  startedAt: Date;
  /** Refreshed as the job progresses: a running job without news for long died with its process. */
  heartbeatAt: Date;
  finishedAt?: Date;
  startedBy: { userId: string; organisationId: string };
  error?: string;
}

/** A job still `running` without a heartbeat for two minutes died with its process: say so. */
export function interrupted(job: { status: string; heartbeatAt?: Date }, now: Date, message: string) {
  const stale =
    job.status === "running" && job.heartbeatAt !== undefined && now.getTime() - job.heartbeatAt.getTime() > 120_000;
  return stale ? { status: "interrupted" as const, error: message } : {};
}

import { withLock } from "@logis/redis";
import type { Platform } from "./platform.js";

/** A job that runs every `everyMs` on one replica at a time (a Redis lock named after it), or on each. */
export interface ScheduledJob {
  /** Names the lock (`<prefix><service>:<name>`) and the log lines. */
  name: string;
  everyMs: number;
  /** How long the lock is held at most (a crashed holder frees it then); defaults to `everyMs`. */
  lockMs?: number;
  /** Runs on every instance, without the lock (each refreshes its own memory, say). */
  everyInstance?: boolean;
  /** Skips a tick while false (a projection still catching up, say). */
  when?: () => boolean;
  run: () => Promise<unknown>;
}

/**
 * Starts a scheduled job: a timer, the lock, a log line per failure, and a shutdown step that
 * stops the timer and waits for a run in progress.
 */
export function scheduleJob(platform: Pick<Platform, "redis" | "key" | "logger" | "lifecycle">, job: ScheduledJob) {
  const log = platform.logger.child({ job: job.name });
  let running: Promise<unknown> = Promise.resolve();
  const timer = setInterval(() => {
    if (job.when && !job.when()) return;
    const run = job.everyInstance
      ? job.run()
      : withLock(platform.redis, platform.key(job.name), job.lockMs ?? job.everyMs, job.run);
    running = run.catch((error: unknown) => log.error({ err: error }, `${job.name} failed`));
  }, job.everyMs);
  platform.lifecycle.onShutdown(job.name, async () => {
    clearInterval(timer);
    await running;
  });
}

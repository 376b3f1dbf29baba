import type { ScheduledJob } from "@logis/runtime";
import type { OrientationUseCases } from "../app/orientation.js";

/**
 * On one instance at a time (the job's Redis lock), every `everyMs`: units whose reserver designated
 * no candidate by its deadline are found expired (UnitDesignationExpired), each once.
 */
export const designationDeadlinesJob = (
  orientation: Pick<OrientationUseCases, "expireDue">,
  everyMs: number,
): ScheduledJob => ({
  name: "designation-deadlines",
  everyMs,
  // A pass over many units may outlast a short period: the lock is held for a few periods at most.
  lockMs: Math.max(everyMs, 5 * 60_000),
  run: () => orientation.expireDue(),
});

import { isAppError, newId } from "@logis/domain";
import type { Logger } from "@logis/observability";
import { changeDemand, transition } from "../app/commit.js";
import { type Deps, systemCaller } from "../app/context.js";
import { cancelForNonRenewal, type Demand } from "../domain/demand.js";
import type { DemandCommand } from "../domain/demand-decider.js";
import { addMonths } from "../domain/rules.js";
export interface LifecycleReport {
  notices: number;
  cancelled: number;
  purged: number;
  conflicts: number;
  /** Tombstones published again for purged demands whose key was not acknowledged as destroyed. */
  keysDestroyed?: number;
  /** Radiated at the end of a procedure (inadmissibility notified, letter without answer). */
  radiated?: number;
}

/**
 * The time-driven steps of a demand's life, run by a scheduler (one leader among replicas):
 * renewal notice ≥ 1 month before expiry, cancellation for non-renewal after expiry + 1 month,
 * radiation when a procedure's delay is over, purge of personal data 1 year after radiation. The clock is injected: tests move it.
 * A purge destroys the demand's data key on Kafka first (its tombstone acknowledged), then writes
 * the purged stub without the key (decision 0012): if that write fails the demand is due anyway and
 * purged at the next run; a purged demand without the acknowledgement gets its tombstone again.
 */
export function lifecycleWorker(deps: Deps, logger: Logger, batchSize = 500) {
  const step = async (demand: Demand, work: () => Promise<void>, report: LifecycleReport) => {
    try {
      await work();
    } catch (error) {
      // A desk changed the demand meanwhile: the next run sees the new state.
      if (isAppError(error) && error.reason === "STALE_VERSION") report.conflicts++;
      else logger.error({ err: error, demandId: demand.id }, "scheduled step failed");
    }
  };

  return {
    async runOnce(): Promise<LifecycleReport> {
      const now = deps.clock.now();
      const caller = systemCaller(newId("correlation"));
      const rules = deps.rules(now);
      const report: LifecycleReport = { notices: 0, cancelled: 0, purged: 0, conflicts: 0 };

      const horizon = addMonths(now, rules.renewalNoticeMonthsBeforeExpiry);
      /** Applies the scheduler's command; true when the demand changed. */
      const apply = (demand: Demand, command: DemandCommand) =>
        changeDemand(deps, demand, caller, command).then((saved) => saved !== demand);
      let after: string | undefined;
      for (;;) {
        const batch = await deps.demands.activeExpiringBefore(horizon, batchSize, after);
        if (batch.length === 0) break;
        after = batch.at(-1)?.id;
        for (const demand of batch) {
          if (cancelForNonRenewal(demand, now, rules).ok) {
            await step(
              demand,
              async () => {
                if (await apply(demand, { type: "CancelForNonRenewal" })) report.cancelled++;
              },
              report,
            );
          } else {
            await step(
              demand,
              async () => {
                if (await apply(demand, { type: "SendRenewalNotice" })) report.notices++;
              },
              report,
            );
          }
        }
        if (batch.length < batchSize) break;
      }

      for (;;) {
        const batch = await deps.demands.procedureDueBefore(now, batchSize);
        const before = report.radiated ?? 0;
        for (const demand of batch) {
          await step(
            demand,
            async () => {
              if (await apply(demand, { type: "RadiateAfterProcedure" })) report.radiated = (report.radiated ?? 0) + 1;
            },
            report,
          );
        }
        if (batch.length < batchSize || (report.radiated ?? 0) === before) break;
      }

      for (;;) {
        const batch = await deps.demands.purgeableBefore(now, batchSize);
        const before = report.purged;
        if (batch.length === 0) break;
        for (const demand of batch) {
          await step(
            demand,
            async () => {
              await deps.dataKeys.destroy([demand.id]);
              const keyDestroyedAt = deps.clock.now().toISOString();
              if (await apply(demand, { type: "Purge", keyDestroyedAt })) report.purged++;
            },
            report,
          );
        }
        if (batch.length < batchSize || report.purged === before) break;
      }
      for (;;) {
        const batch = await deps.demands.purgedWithKeyLeft(batchSize);
        if (batch.length === 0) break;
        await deps.dataKeys.destroy(batch.map((d) => d.id));
        const keyDestroyedAt = deps.clock.now().toISOString();
        let marked = 0;
        for (const demand of batch) {
          await step(
            demand,
            async () => {
              await transition(deps.demands, demand, caller, now, (d) => ({
                next: { ...d, keyDestroyedAt },
                events: [],
              }));
              marked++;
            },
            report,
          );
        }
        report.keysDestroyed = (report.keysDestroyed ?? 0) + marked;
        if (batch.length < batchSize || marked === 0) break;
      }
      if (report.notices + report.cancelled + report.purged + (report.radiated ?? 0) + (report.keysDestroyed ?? 0) > 0)
        logger.info({ ...report }, "scheduled lifecycle steps done");
      return report;
    },
  };
}

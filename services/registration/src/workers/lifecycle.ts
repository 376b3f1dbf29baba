import { DemandCancelled, DemandPurged } from "@logis/contracts";
import { isAppError, newId } from "@logis/domain";
import type { Logger } from "@logis/observability";
import { transition } from "../app/commit.js";
import { actorOf, type Deps, systemCaller } from "../app/context.js";
import { cancelForNonRenewal, type Demand, purgeDue, renewalNoticeDue } from "../domain/demand.js";
import { addMonths, rulesAt } from "../domain/rules.js";

export interface LifecycleReport {
  notices: number;
  cancelled: number;
  purged: number;
  conflicts: number;
}

/**
 * The time-driven steps of a demand's life, run by a scheduler (one leader among replicas):
 * renewal notice ≥ 1 month before expiry, cancellation for non-renewal after expiry + 1 month,
 * purge of personal data 1 year after radiation. The clock is injected: tests move it.
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
      const rules = rulesAt(now);
      const report: LifecycleReport = { notices: 0, cancelled: 0, purged: 0, conflicts: 0 };

      const horizon = addMonths(now, rules.renewalNoticeMonthsBeforeExpiry);
      let after: string | undefined;
      for (;;) {
        const batch = await deps.demands.activeExpiringBefore(horizon, batchSize, after);
        if (batch.length === 0) break;
        after = batch.at(-1)?.id;
        for (const demand of batch) {
          const cancel = cancelForNonRenewal(demand, now);
          if (cancel.ok) {
            const { cancelledAt, reactivableUntil, purgeAfter } = cancel.value;
            await step(
              demand,
              async () => {
                await transition(deps.demands, demand, caller, now, (d) => ({
                  next: {
                    ...d,
                    status: "cancelled",
                    radiation: { motif: "RADREN", date: cancelledAt },
                    reactivableUntil,
                    purgeAfter,
                    history: [
                      ...d.history,
                      { at: cancelledAt, by: actorOf(caller), action: "cancel", changes: ["status"] },
                    ],
                  },
                  events: [
                    {
                      definition: DemandCancelled,
                      payload: {
                        numeroUnique: d.numeroUnique,
                        departement: d.departement,
                        motif: "RADREN",
                        cancelledAt,
                        reactivableUntil,
                      },
                    },
                  ],
                }));
                report.cancelled++;
              },
              report,
            );
          } else if (renewalNoticeDue(demand, now) && demand.form) {
            const channel =
              demand.form.contact.canalPrefere === "email" && demand.form.contact.email ? "email" : "courrier";
            await step(
              demand,
              async () => {
                await transition(deps.demands, demand, caller, now, (d) => ({
                  next: {
                    ...d,
                    notices: [...d.notices, { at: now.toISOString(), forValidUntil: d.validUntil, channel }],
                    history: [
                      ...d.history,
                      { at: now.toISOString(), by: actorOf(caller), action: "notice", changes: ["notices"] },
                    ],
                  },
                  events: [],
                }));
                report.notices++;
              },
              report,
            );
          }
        }
        if (batch.length < batchSize) break;
      }

      for (;;) {
        const batch = (await deps.demands.purgeableBefore(now, batchSize)).filter((d) => purgeDue(d, now));
        const before = report.purged;
        if (batch.length === 0) break;
        for (const demand of batch) {
          await step(
            demand,
            async () => {
              await transition(deps.demands, demand, caller, now, (d) => ({
                next: {
                  id: d.id,
                  numeroUnique: d.numeroUnique,
                  departement: d.departement,
                  status: "purged",
                  version: d.version,
                  eventSeq: d.eventSeq,
                  dateDepot: d.dateDepot,
                  validUntil: d.validUntil,
                  guichet: d.guichet,
                  ...(d.radiation ? { radiation: { motif: d.radiation.motif, date: d.radiation.date } } : {}),
                  purgedAt: now.toISOString(),
                  notices: [],
                  distinctFrom: [],
                  history: [],
                },
                events: [
                  {
                    definition: DemandPurged,
                    payload: {
                      departement: d.departement,
                      purgedAt: now.toISOString(),
                      motifRadiation: d.radiation?.motif ?? "RADREN",
                    },
                  },
                ],
              }));
              report.purged++;
            },
            report,
          );
        }
        if (batch.length < batchSize || report.purged === before) break;
      }
      if (report.notices + report.cancelled + report.purged > 0)
        logger.info({ ...report }, "scheduled lifecycle steps done");
      return report;
    },
  };
}

import type { ScheduledJob } from "@logis/runtime";
import type { OccupancyUseCases } from "../app/occupancy.js";

/**
 * Once a day, on one instance: every CALEOL's leases that become due (third, sixth… anniversary in the
 * coming weeks, tense-market commune, one of the five situations in the facts last sent) are placed on
 * its next sessions, without the landlord sending them again.
 */
export const occupancyExaminationsJob = (occupancy: OccupancyUseCases): ScheduledJob => ({
  name: "occupancy-examinations",
  everyMs: 24 * 60 * 60_000,
  run: () => occupancy.scheduleAllDue(),
});

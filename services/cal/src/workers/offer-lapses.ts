import type { ScheduledJob } from "@logis/runtime";
import type { AttributionUseCases } from "../app/attributions.js";

/** Every quarter of an hour, on one instance: lapsed offers pass the unit to the next ranked candidate. */
export const offerLapsesJob = (attributions: AttributionUseCases): ScheduledJob => ({
  name: "offer-lapses",
  everyMs: 15 * 60_000,
  run: () => attributions.lapseDue(),
});

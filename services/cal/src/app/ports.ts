import type { Aggregates } from "@logis/outbox";
import type { Attribution } from "../domain/attribution.js";

/** Where the attributions of vacancies live: the Mongo aggregate store in production, the memory one in use-case tests. */
export type AttributionStore = Aggregates<Attribution>;

import type { Aggregates } from "@logis/outbox";
import type { Attribution } from "../domain/attribution.js";

/** An attribution as stored: the decider's state and the number of public events it has published. */
export type AttributionDoc = Attribution & { publies: number };

/** Where the attributions of vacancies live: the Mongo aggregate store in production, the memory one in use-case tests. */
export type AttributionStore = Aggregates<AttributionDoc>;

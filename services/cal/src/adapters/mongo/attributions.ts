import { type AggregateStoreOptions, mongoAggregateStore } from "@logis/outbox";
import type { mongo } from "mongoose";
import type { AttributionDoc } from "../../app/ports.js";

/** Attributions of vacancies in MongoDB, one document per vacancy with its outbox (the aggregate store does the rest). */
export const mongoAttributions = (db: mongo.Db, options: AggregateStoreOptions) =>
  mongoAggregateStore<AttributionDoc>(db, "attributions", options);

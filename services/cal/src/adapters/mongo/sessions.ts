import { type AggregateStoreOptions, mongoAggregateStore } from "@logis/outbox";
import type { mongo } from "mongoose";
import type { SessionDoc, SessionReader } from "../../app/ports.js";
import type { Commission } from "../../domain/commission.js";

/** Sessions in MongoDB, one document per session with its journal and outbox. */
export const mongoSessions = (db: mongo.Db, options: AggregateStoreOptions) =>
  mongoAggregateStore<SessionDoc>(db, "sessions", options);

/** Commissions in MongoDB; they publish no event (their sessions do). */
export const mongoCommissions = (db: mongo.Db, options: AggregateStoreOptions) =>
  mongoAggregateStore<Commission>(db, "commissions", options);

/** Read-only walks over the sessions collection. */
export const mongoSessionReader = (store: ReturnType<typeof mongoSessions>): SessionReader => ({
  async ofCommission(commissionId) {
    return (await store.collection
      .find({ commissionId })
      .project({ outbox: 0, outboxAt: 0 })
      .toArray()) as SessionDoc[];
  },
});

import { type AggregateStoreOptions, mongoAggregateStore } from "@logis/outbox";
import type { mongo } from "mongoose";
import type { ScoreState } from "../../workers/score-events.js";

/** The last emitted score of each demand in each EPCI (`<demandId>@<epci>`), with its outbox. */
export function mongoScoreStates(db: mongo.Db, options: AggregateStoreOptions) {
  const store = mongoAggregateStore<ScoreState>(db, "demand_scores", options);
  return {
    store,
    /** Every state, read once at the first run (then kept in memory). */
    async *all(): AsyncGenerator<ScoreState> {
      const cursor = store.collection.find({}, { projection: { outbox: 0, outboxAt: 0 } });
      try {
        for await (const d of cursor) yield d as ScoreState;
      } finally {
        await cursor.close();
      }
    },
  };
}
export type ScoreStates = ReturnType<typeof mongoScoreStates>;

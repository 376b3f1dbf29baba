import type { Clock, KeyedLock } from "@logis/domain";
import type { mongo } from "mongoose";
import { territoires } from "../domain/referentiels.js";
import { gridStore } from "./grids.js";
import { scoreEvents } from "./score-events.js";
import { scoringService } from "./scoring.js";
import { Stock } from "./stock.js";
import { useCases } from "./use-cases.js";

/** The service's parts, wired the same way by main.ts and by the test harness. */
export function composeCotation(deps: {
  db: mongo.Db;
  lock: KeyedLock;
  clock: Clock;
  topicPrefix: string;
  capacity?: number;
  /** Points per score band of DemandScored. */
  bandWidth?: number;
  onEvents?: () => void;
}) {
  const stock = new Stock(territoires, deps.capacity);
  const grids = gridStore({
    db: deps.db,
    lock: deps.lock,
    clock: deps.clock,
    topicPrefix: deps.topicPrefix,
    onEvents: () => deps.onEvents?.(),
  });
  const scoring = scoringService({ stock, grids, clock: deps.clock });
  const uc = useCases(grids, scoring);
  const scores = scoreEvents({
    db: deps.db,
    lock: deps.lock,
    clock: deps.clock,
    stock,
    scoring,
    topicPrefix: deps.topicPrefix,
    bandWidth: deps.bandWidth ?? 25,
    onEvents: () => deps.onEvents?.(),
  });
  return { stock, grids, scoring, uc, scores };
}

import type { DemandEvent, DemandScored } from "@logis/contracts";
import { evolveDemandRow } from "../domain/demand-row.js";
import { scoreRowOf } from "../domain/score-row.js";
import type { DemandRows, ScoreRows } from "./ports.js";

export type Applied = "applied" | "already-applied" | "ignored";

/**
 * Folds one demand event into the read model: load the row → evolve → store if newer. Idempotent:
 * an event at or below the row's version (redelivery, replay) is skipped, and `put` checks the
 * version again in the store. Events of one demand arrive in order (one partition per demand).
 */
export function demandProjection(rows: DemandRows) {
  return {
    async apply(event: DemandEvent): Promise<Applied> {
      const current = await rows.get(event.aggregateId);
      if (current && current.version >= event.aggregateVersion) return "already-applied";
      const next = evolveDemandRow(current, event);
      if (next === undefined) return "ignored";
      return (await rows.put(next)) ? "applied" : "already-applied";
    },
  };
}
export type DemandProjection = ReturnType<typeof demandProjection>;

/** Keeps each demand's last cotation per EPCI; idempotent in the same way (version high-water mark). */
export function scoreProjection(rows: ScoreRows) {
  return {
    async apply(event: DemandScored): Promise<Applied> {
      const current = await rows.get(event.aggregateId);
      if (current && current.version >= event.aggregateVersion) return "already-applied";
      return (await rows.put(scoreRowOf(event))) ? "applied" : "already-applied";
    },
  };
}
export type ScoreProjection = ReturnType<typeof scoreProjection>;

import type { DemandScored } from "@logis/contracts";
import { civilDay } from "@logis/domain";

// The read model of a demand's last cotation in one EPCI (cotation.score.v1; aggregate = demand@EPCI):
// the grid, the score band and the decile of its rank. Cotation emits only when one of them moves,
// and stops when the demand leaves the stock, so the row of an attributed demand is its last score.

export interface ScoreRow {
  /** `<demandId>@<epci>`, the event's aggregate id. */
  id: string;
  version: number;
  demandId: string;
  epci: string;
  gridId: string;
  gridVersion: number;
  kind: string;
  band: number;
  decile: number;
  /** Civil day (Paris) of the computation. */
  computedOn: string;
}

export const scoreRowId = (demandId: string, epci: string) => `${demandId}@${epci}`;

export function scoreRowOf(event: DemandScored): ScoreRow {
  const p = event.payload;
  return {
    id: event.aggregateId,
    version: event.aggregateVersion,
    demandId: p.demandId,
    epci: p.epci,
    gridId: p.grid.gridId,
    gridVersion: p.grid.version,
    kind: p.grid.kind,
    band: p.band,
    decile: p.decile,
    computedOn: civilDay(new Date(p.computedAt)),
  };
}

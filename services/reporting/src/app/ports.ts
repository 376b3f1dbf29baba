import type { DemandRow } from "../domain/demand-row.js";
import type { ScoreRow } from "../domain/score-row.js";

/** Which rows a statistic reads: the départements asked for (undefined: all) and, within them, communes. */
export interface RowFilter {
  departements?: readonly string[];
}

/**
 * The demands read model: one row per demand, written only by the projection. `put` writes a row
 * only if its version is above the stored one (the high-water mark), so a redelivered or replayed
 * event changes nothing. MongoDB in production, memory in unit tests.
 */
export interface DemandRows {
  get(id: string): Promise<DemandRow | undefined>;
  /** The rows of these demands (missing ones left out). */
  getMany(ids: readonly string[]): Promise<DemandRow[]>;
  /** false when a row of this version or a newer one was there already. */
  put(row: DemandRow): Promise<boolean>;
  list(filter: RowFilter): Promise<DemandRow[]>;
}

/** The memory read model (unit tests), with the same high-water-mark contract. */
export function memoryDemandRows(): DemandRows & { rows: Map<string, DemandRow> } {
  const rows = new Map<string, DemandRow>();
  return {
    rows,
    get: async (id) => rows.get(id),
    getMany: async (ids) => ids.map((id) => rows.get(id)).filter((r): r is DemandRow => r !== undefined),
    put: async (row) => {
      const current = rows.get(row.id);
      if (current && current.version >= row.version) return false;
      rows.set(row.id, structuredClone(row));
      return true;
    },
    list: async (filter) =>
      [...rows.values()].filter((r) => !filter.departements || filter.departements.includes(r.departement)),
  };
}

/** The last cotation of each demand in each EPCI (`<demandId>@<epci>`), with the same high-water-mark contract. */
export interface ScoreRows {
  get(id: string): Promise<ScoreRow | undefined>;
  put(row: ScoreRow): Promise<boolean>;
  /** The rows of these EPCIs (undefined: all). */
  list(epcis?: readonly string[]): Promise<ScoreRow[]>;
}

export function memoryScoreRows(): ScoreRows & { rows: Map<string, ScoreRow> } {
  const rows = new Map<string, ScoreRow>();
  return {
    rows,
    get: async (id) => rows.get(id),
    put: async (row) => {
      const current = rows.get(row.id);
      if (current && current.version >= row.version) return false;
      rows.set(row.id, { ...row });
      return true;
    },
    list: async (epcis) => [...rows.values()].filter((r) => !epcis || epcis.includes(r.epci)),
  };
}

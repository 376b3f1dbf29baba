import type { FluxUnitEvent } from "@logis/contracts";

// The read model of one unit of the housing stock (flux.unit.v1; aggregate `uni_<rplsId>`): the facts
// the statistics and the quotas join on (commune, QPV, typology, financing, construction year,
// landlord) and its vacancies. Rebuilt by folding the unit's events in order.

export interface UnitRow {
  /** `uni_<rplsId>`. */
  id: string;
  version: number;
  rplsId: string;
  bailleurId: string;
  commune: string;
  departement: string;
  qpv: boolean;
  typologie: string;
  financement: string;
  anneeConstruction: number;
  /** Times the unit was freed, and let again. */
  liberations: number;
  locations: number;
  /** The day of its current vacancy, while it is free (undefined once let). */
  libereLe?: string;
}

/** The next row after one unit event (undefined: nothing known of the unit yet and the event says nothing). */
export function evolveUnitRow(row: UnitRow | undefined, event: FluxUnitEvent): UnitRow | undefined {
  const v = event.aggregateVersion;
  switch (event.type) {
    case "UnitDeclared":
    case "UnitUpdated":
    case "UnitFreed": {
      const l = event.payload.logement;
      const facts = {
        id: event.aggregateId,
        version: v,
        rplsId: l.rplsId,
        bailleurId: event.payload.bailleurId,
        commune: l.commune,
        departement: l.departement,
        qpv: l.qpv,
        typologie: l.typologie,
        financement: l.financement,
        anneeConstruction: l.anneeConstruction,
      };
      const counts = { liberations: row?.liberations ?? 0, locations: row?.locations ?? 0 };
      if (event.type !== "UnitFreed") {
        return { ...facts, ...counts, ...(row?.libereLe === undefined ? {} : { libereLe: row.libereLe }) };
      }
      return { ...facts, ...counts, liberations: counts.liberations + 1, libereLe: event.payload.libereLe };
    }
    case "UnitLet": {
      if (!row) return undefined;
      const { libereLe: _freed, ...rest } = row;
      return { ...rest, version: v, locations: row.locations + 1 };
    }
    default:
      // Events added to the stream later: the high-water mark moves on.
      return row ? { ...row, version: v } : undefined;
  }
}

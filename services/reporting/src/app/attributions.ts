import { assertCan } from "@logis/auth";
import { sneCodeLists } from "@logis/contracts";
import { type Clock, civilDay } from "@logis/domain";
import type { Caller } from "@logis/http";
import type { AttributionRow } from "../domain/attribution-row.js";
import {
  attributionStatistics,
  type LeaseFactFull,
  leaseFactOf,
  type StatistiquesAttributions,
  signed,
} from "../domain/attributions.js";
import type { LedgerRow } from "../domain/ledger-row.js";
import type { Reference } from "../domain/reference.js";
import type { SessionRow } from "../domain/session-row.js";
import type { Territory } from "../domain/territory.js";
import type { UnitRow } from "../domain/unit-row.js";
import type { DemandRows } from "./ports.js";
import type { Rows } from "./read-model.js";
import { periodOf, type ReadScope, readScope, type StatisticsQuery } from "./statistics.js";

export interface AttributionDeps {
  rows: DemandRows;
  units: Rows<UnitRow>;
  attributions: Rows<AttributionRow>;
  sessions: Rows<SessionRow>;
  ledgers: Rows<LedgerRow>;
  territory: Territory;
  reference: Reference;
  clock: Clock;
}

const contingents = sneCodeLists.lists.typeReservataire as Record<string, string>;

/** The signed leases of the caller's territory, each joined with its unit (flux) and its demand (registration). */
export async function leasesIn(
  deps: AttributionDeps,
  scope: ReadScope,
): Promise<{ fact: LeaseFactFull; attribution: AttributionRow }[]> {
  const rows = await deps.attributions.list(scope.departements ? { departement: scope.departements } : {});
  const communes = scope.communes;
  const leases = rows.filter(signed).filter((a) => !communes || (a.commune !== undefined && communes.has(a.commune)));
  const units = new Map(
    (await deps.units.getMany([...new Set(leases.map((a) => `uni_${a.rplsId}`))])).map((u) => [u.rplsId, u]),
  );
  const demands = new Map(
    (await deps.rows.getMany([...new Set(leases.map((a) => a.bail.demandId))])).map((d) => [d.id, d]),
  );
  return leases.map((attribution) => {
    const unit = units.get(attribution.rplsId);
    const demand = demands.get(attribution.bail.demandId);
    return {
      attribution,
      fact: leaseFactOf(
        { attribution, ...(unit ? { unit } : {}), ...(demand ? { demand } : {}) },
        deps.territory,
        deps.reference,
      ),
    };
  });
}

export type AttributionStatisticsView = StatistiquesAttributions & { filtres: ReadScope["filtres"] };

export function attributionUseCases(deps: AttributionDeps) {
  return {
    /** The attributions of the period in the caller's territory: by reserver, contingent, landlord, commune, typology (`stats.read`). */
    async attributionStatistics(caller: Caller, query: StatisticsQuery): Promise<AttributionStatisticsView> {
      assertCan(caller.principal, "stats.read");
      const scope = readScope(caller.principal, deps.territory, query);
      const periode = periodOf(query, civilDay(deps.clock.now()));
      const leases = await leasesIn(deps, scope);
      const sessions = await deps.sessions.list(scope.departements ? { departement: scope.departements } : {});
      const stats = attributionStatistics(leases, scope.communes ? [] : sessions, periode, {
        contingent: (c) => contingents[c] ?? c,
        epci: (e) => deps.territory.epciName(e) ?? e,
      });
      return { filtres: scope.filtres, ...stats };
    },
  };
}
export type AttributionUseCases = ReturnType<typeof attributionUseCases>;

import { assertCan, assertInDepartement, assertInEpci, type Principal } from "@logis/auth";
import { Departement } from "@logis/contracts";
import { AppError, type Clock, civilDay } from "@logis/domain";
import type { Caller } from "@logis/http";
import { z } from "zod";
import type { DemandRow } from "../domain/demand-row.js";
import type { Reference } from "../domain/reference.js";
import { scoreRowId } from "../domain/score-row.js";
import { type Periode, type Statistiques, statistics } from "../domain/statistics.js";
import type { Territory } from "../domain/territory.js";
import type { DemandRows, ScoreRows } from "./ports.js";

const Filters = z.object({
  departement: Departement.optional(),
  epci: z
    .string()
    .regex(/^\d{9}$/, "SIREN d'EPCI attendu (9 chiffres)")
    .optional(),
  du: z.iso.date("date attendue (AAAA-MM-JJ)").optional(),
  au: z.iso.date("date attendue (AAAA-MM-JJ)").optional(),
});
const inOrder = (q: { du?: string | undefined; au?: string | undefined }) =>
  q.du === undefined || q.au === undefined || q.du <= q.au;
const outOfOrder = () => ({ message: "la période commence après sa fin (du > au)", path: ["du"] });

/** Filters of the statistics: a département, an EPCI (SIREN), a period of Paris civil days (both included). */
export const StatisticsQuery = Filters.refine(inOrder, outOfOrder());
/** The filters of an export, and its audience: `inter-bailleurs` (shared between landlords and reservers) masks small counts. */
export const ExportQuery = Filters.extend({
  diffusion: z
    .enum(["interne", "inter-bailleurs"], { error: "diffusion attendue : interne ou inter-bailleurs" })
    .optional(),
}).refine(inOrder, outOfOrder());
export type StatisticsQuery = z.infer<typeof StatisticsQuery>;

/** What a caller may read: département filter (undefined: every one) and, within, a set of communes. */
export interface ReadScope {
  departements?: readonly string[];
  communes?: ReadonlySet<string>;
  /** The filters as applied, for the answer and the CSV's heading. */
  filtres: { departement?: string; epci?: string };
}

const outOfTerritory = (what: string, context: Record<string, unknown>) =>
  new AppError("FORBIDDEN", `${what} hors de votre territoire`, { reason: "OUT_OF_TERRITORY", context });

/**
 * Narrows a query to the caller's territory: the platform's administrators see everything; an EPCI's
 * staff its EPCIs' communes; the prefecture, landlords and statisticians their départements.
 */
export function readScope(principal: Principal, territory: Territory, query: StatisticsQuery): ReadScope {
  const admin = principal.roles.includes("platform-admin");
  const allowed = admin ? undefined : principal.territories.departements;
  if (query.departement !== undefined && !admin) assertInDepartement(principal, query.departement);
  const departements = query.departement !== undefined ? [query.departement] : allowed;
  const filtres = {
    ...(query.departement === undefined ? {} : { departement: query.departement }),
    ...(query.epci === undefined ? {} : { epci: query.epci }),
  };
  const epciStaff = !admin && principal.organisation.kind === "epci";
  if (query.epci !== undefined) {
    const communes = territory.communesOf(query.epci);
    if (!communes)
      throw new AppError("NOT_FOUND", `EPCI ${query.epci} inconnu du référentiel`, {
        reason: "UNKNOWN_EPCI",
        field: "epci",
      });
    if (epciStaff) assertInEpci(principal, query.epci);
    else if (allowed && !territory.departementsOfEpci(query.epci).some((d) => allowed.includes(d)))
      throw outOfTerritory(`EPCI ${query.epci}`, { epci: query.epci });
    return { ...(departements ? { departements } : {}), communes, filtres };
  }
  if (epciStaff) {
    const communes = new Set(principal.territories.epcis.flatMap((e) => [...(territory.communesOf(e) ?? [])]));
    if (communes.size === 0) throw outOfTerritory("Aucun EPCI connu", { epcis: principal.territories.epcis });
    return { ...(departements ? { departements } : {}), communes, filtres };
  }
  return { ...(departements ? { departements } : {}), filtres };
}

/** The period asked for, or from the first of January of this year (Paris) to today. */
export function periodOf(query: StatisticsQuery, today: string): Periode {
  const au = query.au ?? today;
  return { du: query.du ?? `${au.slice(0, 4)}-01-01`, au };
}

export type StatisticsView = Statistiques & { filtres: ReadScope["filtres"] };

export function statisticsUseCases(deps: {
  rows: DemandRows;
  scores: ScoreRows;
  territory: Territory;
  reference: Reference;
  clock: Clock;
}) {
  const rowsIn = async (scope: ReadScope): Promise<DemandRow[]> => {
    const rows = await deps.rows.list(scope.departements ? { departements: scope.departements } : {});
    const communes = scope.communes;
    return communes ? rows.filter((r) => r.commune !== undefined && communes.has(r.commune)) : rows;
  };
  return {
    /** The demand stock's statistics for the caller's territory (`stats.read`). */
    async demandStatistics(caller: Caller, query: StatisticsQuery): Promise<StatisticsView> {
      assertCan(caller.principal, "stats.read");
      const scope = readScope(caller.principal, deps.territory, query);
      const periode = periodOf(query, civilDay(deps.clock.now()));
      const rows = await rowsIn(scope);
      const epciOf = (r: DemandRow) => deps.territory.epciOf(r.commune);
      const scores = await deps.scores.list([...new Set(rows.map(epciOf))]);
      const deciles = new Map(scores.map((s) => [s.id, s.decile]));
      const decileOf = (r: DemandRow) => deciles.get(scoreRowId(r.id, epciOf(r)));
      const delaiOf = (r: DemandRow, on: string) => deps.reference.delaiAnormalMois(r.departement, r.typologie, on);
      return { filtres: scope.filtres, ...statistics(rows, periode, deps.territory, decileOf, delaiOf) };
    },
  };
}
export type StatisticsUseCases = ReturnType<typeof statisticsUseCases>;

import type { OccupancyExamined } from "@logis/contracts";
import { addDays, type IsoDay } from "./calendar.js";

// The occupancy examination (CALEOL, L442-5-2, domain reference §6.4): every three years from the
// lease, in tense-market communes, leases in one of the five legal situations come onto the agenda.

export type Situation = OccupancyExamined["payload"]["situation"];

export interface LeaseFacts {
  bailId: string;
  rplsId: string;
  commune: string;
  signeLe: IsoDay;
  personnes: number;
  nbPieces: number;
  surface: number;
  logementAdapte: boolean;
  /** An occupant has a recognised handicap or loss of autonomy. */
  handicapOccupant: boolean;
  /** That handicap needs an adapted unit (the occupant's file says so). */
  besoinLogementAdapte: boolean;
  /** The household's reference income and the ceiling of the unit's financing today. */
  revenu: number;
  plafond: number;
}

/** Minimum living area by household size (L822-10 with D542-14 [K]: 9 m² for one, 16 for two, +9 each, 70 from eight). */
export const surfaceMinimum = (personnes: number): number =>
  personnes <= 1 ? 9 : Math.min(70, 16 + 9 * (personnes - 2));

export function situationsOf(lease: LeaseFacts): Situation[] {
  const found: Situation[] = [];
  if (lease.surface < surfaceMinimum(lease.personnes)) found.push("SUR_OCCUPATION");
  if (lease.nbPieces > lease.personnes + 1) found.push("SOUS_OCCUPATION");
  if (lease.logementAdapte && !lease.handicapOccupant) found.push("ADAPTE_NON_NECESSAIRE");
  if (lease.besoinLogementAdapte && !lease.logementAdapte) found.push("BESOIN_LOGEMENT_ADAPTE");
  if (lease.revenu > lease.plafond) found.push("RESSOURCES_SUPERIEURES_PLAFOND");
  return found;
}

const anniversary = (signed: IsoDay, years: number): IsoDay => {
  const y = Number(signed.slice(0, 4)) + years;
  const md = signed.slice(5) === "02-29" ? "02-28" : signed.slice(5);
  return `${y}-${md}`;
};

/**
 * The leases whose third, sixth… anniversary falls in [from, from + windowDays), in a tense-market
 * commune, with at least one of the five situations: one examination item per lease and situation found.
 */
export function occupancyDue(
  leases: readonly LeaseFacts[],
  from: IsoDay,
  zonesTendues: ReadonlySet<string>,
  windowDays: number,
): { lease: LeaseFacts; echeance: IsoDay; situations: Situation[] }[] {
  const until = addDays(from, windowDays);
  const due: { lease: LeaseFacts; echeance: IsoDay; situations: Situation[] }[] = [];
  for (const lease of leases) {
    if (!zonesTendues.has(lease.commune)) continue;
    const elapsed = Number(from.slice(0, 4)) - Number(lease.signeLe.slice(0, 4));
    const k = Math.max(1, Math.floor(elapsed / 3));
    const echeance = [k, k + 1].map((n) => anniversary(lease.signeLe, 3 * n)).find((d) => d >= from && d < until);
    if (!echeance) continue;
    const situations = situationsOf(lease);
    if (situations.length > 0) due.push({ lease, echeance, situations });
  }
  return due.sort((a, b) =>
    a.echeance === b.echeance ? (a.lease.bailId < b.lease.bailId ? -1 : 1) : a.echeance < b.echeance ? -1 : 1,
  );
}

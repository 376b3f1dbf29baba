import { daysBetween, type IsoDay } from "./calendar.js";

/** The day `months` months after `day` (the last day of the month when it has no such day). */
export function addMonths(day: IsoDay, months: number): IsoDay {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  const index = y * 12 + (m - 1) + months;
  const year = Math.floor(index / 12);
  const month = (index % 12) + 1;
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/**
 * The last day a vacancy may be examined for its DALO candidates: the earliest of their rehousing
 * deadlines (the favourable decision's day plus the months the préfet has, more in Île-de-France).
 * None when no candidate is DALO with a known decision day.
 */
export function daloDeadline(
  candidats: readonly { dalo: boolean; daloDecisionLe?: string | undefined }[],
  months: number,
): IsoDay | undefined {
  const deadlines = candidats
    .filter((c) => c.dalo && c.daloDecisionLe !== undefined)
    .map((c) => addMonths(c.daloDecisionLe as string, months))
    .sort();
  return deadlines[0];
}

// Placing vacancies on the next sessions (domain reference §6.5, issue 12): deterministic, by
// capacity and deadlines. A vacancy can be examined once its candidates are known (designated by the
// reserver, or its designation deadline passed and the landlord proposes); a DALO deadline is a date
// the examination must come before; the vacancy cost per day orders the others.

export interface VacancyToPlan {
  attributionId: string;
  libereLe: IsoDay;
  /** The first day the vacancy can be examined (candidates known, or the reserver's designation deadline). */
  pretLe: IsoDay;
  /** The examination must take place on or before this day (a DALO household's rehousing deadline). */
  echeance?: IsoDay | undefined;
  /** What one more day of vacancy costs (lost rent), in euros. */
  coutJour: number;
}

export interface SessionSlot {
  sessionId: string;
  date: IsoDay;
  capacite: number;
  /** Items already on the agenda (kept where they are). */
  occupes: number;
}

export interface Placement {
  attributionId: string;
  sessionId: string;
  date: IsoDay;
  /** Set when the vacancy's deadline could not be met. */
  horsDelai?: { echeance: IsoDay; retardJours: number } | undefined;
}

export interface Plan {
  placements: Placement[];
  nonPlaces: { attributionId: string; motif: string }[];
  /** Sum over placed vacancies of cost per day × days from freeing to session. */
  coutVacance: number;
}

const byDeadlineThenCost = (a: VacancyToPlan, b: VacancyToPlan): number => {
  const ea = a.echeance ?? "9999-12-31";
  const eb = b.echeance ?? "9999-12-31";
  if (ea !== eb) return ea < eb ? -1 : 1;
  if (a.coutJour !== b.coutJour) return b.coutJour - a.coutJour;
  if (a.libereLe !== b.libereLe) return a.libereLe < b.libereLe ? -1 : 1;
  return a.attributionId < b.attributionId ? -1 : 1;
};

/**
 * Greedy and deterministic: vacancies with the earliest deadline first, then the costliest per day,
 * then the oldest, then by id; each goes to the earliest session on or after its ready day with room
 * left. A deadline that cannot be met is reported with the delay, never silently.
 */
export function planSessions(vacancies: readonly VacancyToPlan[], sessions: readonly SessionSlot[]): Plan {
  const slots = [...sessions]
    .sort((a, b) => (a.date === b.date ? (a.sessionId < b.sessionId ? -1 : 1) : a.date < b.date ? -1 : 1))
    .map((s) => ({ ...s, libres: s.capacite - s.occupes }));
  const placements: Placement[] = [];
  const nonPlaces: Plan["nonPlaces"] = [];
  let coutVacance = 0;
  for (const v of [...vacancies].sort(byDeadlineThenCost)) {
    const slot = slots.find((s) => s.date >= v.pretLe && s.libres > 0);
    if (!slot) {
      nonPlaces.push({
        attributionId: v.attributionId,
        motif: `aucune séance avec de la place à partir du ${v.pretLe}`,
      });
      continue;
    }
    slot.libres -= 1;
    coutVacance += v.coutJour * Math.max(0, daysBetween(v.libereLe, slot.date));
    placements.push({
      attributionId: v.attributionId,
      sessionId: slot.sessionId,
      date: slot.date,
      ...(v.echeance && slot.date > v.echeance
        ? { horsDelai: { echeance: v.echeance, retardJours: daysBetween(v.echeance, slot.date) } }
        : {}),
    });
  }
  return { placements, nonPlaces, coutVacance };
}

/**
 * A cancelled session's vacancies planned again on the other sessions, those sessions' agendas kept:
 * the cancelled session is left out and its items placed in the room that remains.
 */
export const replanAfterCancellation = (
  cancelledSessionId: string,
  displaced: readonly VacancyToPlan[],
  sessions: readonly SessionSlot[],
): Plan =>
  planSessions(
    displaced,
    sessions.filter((s) => s.sessionId !== cancelledSessionId),
  );

import { daysBetween, type IsoDay } from "./calendar.js";

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

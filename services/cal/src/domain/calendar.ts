// Days as ISO dates (`YYYY-MM-DD`), computed in UTC so that no time zone moves a deadline. French
// public holidays (Code du travail L3133-1) and the two extra days of Alsace-Moselle (L3134-13:
// Good Friday, 26 December) in Moselle 57, Bas-Rhin 67 and Haut-Rhin 68.

export type IsoDay = string;

const DAY_MS = 86_400_000;

export const toDay = (date: Date): IsoDay => date.toISOString().slice(0, 10);
const fromDay = (day: IsoDay): Date => new Date(`${day}T00:00:00.000Z`);

export const addDays = (day: IsoDay, days: number): IsoDay => toDay(new Date(fromDay(day).getTime() + days * DAY_MS));

/** Whole days from `a` to `b` (positive when b is later). */
export const daysBetween = (a: IsoDay, b: IsoDay): number =>
  Math.round((fromDay(b).getTime() - fromDay(a).getTime()) / DAY_MS);

/** Easter Sunday of a Gregorian year (anonymous Gregorian algorithm, Meeus/Jones/Butcher). */
export function easterSunday(year: number): IsoDay {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

const ALSACE_MOSELLE = new Set(["57", "67", "68"]);

/** The public holidays of one year in one département, by date, with their French names. */
export function publicHolidays(year: number, departement: string): Map<IsoDay, string> {
  const easter = easterSunday(year);
  const fixed = (md: string) => `${year}-${md}`;
  const days: [IsoDay, string][] = [
    [fixed("01-01"), "Jour de l'an"],
    [addDays(easter, 1), "Lundi de Pâques"],
    [fixed("05-01"), "Fête du travail"],
    [fixed("05-08"), "Victoire 1945"],
    [addDays(easter, 39), "Ascension"],
    [addDays(easter, 50), "Lundi de Pentecôte"],
    [fixed("07-14"), "Fête nationale"],
    [fixed("08-15"), "Assomption"],
    [fixed("11-01"), "Toussaint"],
    [fixed("11-11"), "Armistice 1918"],
    [fixed("12-25"), "Noël"],
  ];
  if (ALSACE_MOSELLE.has(departement)) {
    days.push([addDays(easter, -2), "Vendredi saint (Alsace-Moselle)"]);
    days.push([fixed("12-26"), "Saint-Étienne (Alsace-Moselle)"]);
  }
  return new Map(days);
}

export const isWeekend = (day: IsoDay): boolean => {
  const weekday = fromDay(day).getUTCDay();
  return weekday === 0 || weekday === 6;
};

export const holidayName = (day: IsoDay, departement: string): string | undefined =>
  publicHolidays(Number(day.slice(0, 4)), departement).get(day);

export const isWorkingDay = (day: IsoDay, departement: string): boolean =>
  !isWeekend(day) && holidayName(day, departement) === undefined;

/** `day` itself when it is a working day, else the next one. */
export function carryToWorkingDay(day: IsoDay, departement: string): IsoDay {
  let d = day;
  while (!isWorkingDay(d, departement)) d = addDays(d, 1);
  return d;
}

/**
 * The last day to answer an offer (R441-10, domain reference §6.3): `days` counted from the day after
 * notification (so the notification day + days), carried to the next working day when that day is a
 * Saturday, a Sunday or a public holiday of the unit's département.
 */
export const answerDeadline = (notifiedOn: IsoDay, days: number, departement: string): IsoDay =>
  carryToWorkingDay(addDays(notifiedOn, days), departement);

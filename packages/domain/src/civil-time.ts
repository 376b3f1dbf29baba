// Civil dates as French people read them: the day and month of an instant are those of Paris, not
// of UTC (a demand deposited at 23:30 in Paris on 31 March belongs to 31 March, and to March).
// Overseas départements keep their own time zones; pass one where it matters.

export const PARIS = "Europe/Paris";

const formatters = new Map<string, Intl.DateTimeFormat>();
const formatterOf = (timeZone: string) => {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-CA", { timeZone, year: "numeric", month: "2-digit", day: "2-digit" });
    formatters.set(timeZone, f);
  }
  return f;
};

/** The civil day of an instant (`YYYY-MM-DD`) in `timeZone` (Paris by default). */
export function civilDay(at: Date, timeZone: string = PARIS): string {
  // en-CA formats as YYYY-MM-DD.
  return formatterOf(timeZone).format(at);
}

/** The civil year and month (1–12) of an instant in `timeZone` (Paris by default). */
export function civilMonth(at: Date, timeZone: string = PARIS): { year: number; month: number } {
  const [year, month] = civilDay(at, timeZone).split("-").map(Number) as [number, number];
  return { year, month };
}

/** `dd/mm/yyyy` for a civil day (`YYYY-MM-DD`) or an instant (its Paris day). */
export function frenchDate(value: string | Date, timeZone: string = PARIS): string {
  const day =
    typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value) ? value : civilDay(new Date(value), timeZone);
  const [y, m, d] = day.split("-");
  return `${d}/${m}/${y}`;
}

// French formats: dates dd/mm/yyyy (Paris), numbers with the narrow no-break space.

const dateFormat = new Intl.DateTimeFormat("fr-FR", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  timeZone: "Europe/Paris",
});
const dateTimeFormat = new Intl.DateTimeFormat("fr-FR", {
  day: "2-digit",
  month: "2-digit",
  year: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  timeZone: "Europe/Paris",
});
const numberFormat = new Intl.NumberFormat("fr-FR");
const percentFormat = new Intl.NumberFormat("fr-FR", { style: "percent", maximumFractionDigits: 0 });

/** `2026-03-15` or an ISO instant → `15/03/2026`; a bare date is read as that civil day. */
export function frDate(value: string | undefined | null): string {
  if (!value) return "—";
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-");
    return `${d}/${m}/${y}`;
  }
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? value : dateFormat.format(date);
}

export const frDateTime = (value: string | undefined | null) =>
  value ? dateTimeFormat.format(new Date(value)).replace(" ", " à ") : "—";
export const frNumber = (n: number) => numberFormat.format(n);
const decimalFormat = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 });
/** At most two decimals, with the decimal comma (`1,25`). */
export const frDecimal = (n: number) => decimalFormat.format(n);
export const frPercent = (ratio: number) => percentFormat.format(ratio);

/** Today's civil day in Paris, `YYYY-MM-DD`. */
export function todayInParis(): string {
  const parts = new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/Paris" }).format(new Date());
  return parts.slice(0, 10);
}

/** `14/06/1991` → `1991-06-14`; anything else is returned as typed (the schema then says what is expected). */
export function isoFromFr(value: string): string {
  const m = value.trim().match(/^(\d{1,2})\/(\d{1,2})\/(\d{4})$/);
  return m ? `${m[3]}-${(m[2] ?? "").padStart(2, "0")}-${(m[1] ?? "").padStart(2, "0")}` : value.trim();
}

/** Every ISO day (`2026-12-30`) in a service's sentence written dd/mm/yyyy; ids holding a day are left alone. */
export const frDatesIn = (text: string) => text.replace(/(?<![\w-])(\d{4})-(\d{2})-(\d{2})(?![\w-])/g, "$3/$2/$1");

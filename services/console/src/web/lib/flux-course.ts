// The course of a flux year, computed from its orientations: what the chart and its sentence show.

export interface OrientationLike {
  libereLe: string;
  cible?: { reservataireId: string } | undefined | null;
  soustraction?: string | undefined | null;
}

export interface Course {
  /** `01` … `12` up to the last month shown. */
  months: string[];
  /** Units freed each month (gross flux, subtracted ones included). */
  freed: number[];
  /** Per reserver, the units oriented to it since 1 January, at the end of each month. */
  cumulative: { reservataireId: string; values: number[] }[];
}

/**
 * Month by month over `annee`: the units freed, and each reserver's cumulative count of units
 * oriented to it (its ledger's course). The months stop at `lastMonth` (the current month for the
 * year under way, December for a past year); orientations of other years are ignored.
 */
export function courseOf(orientations: readonly OrientationLike[], annee: number, lastMonth: number): Course {
  const n = Math.min(12, Math.max(1, lastMonth));
  const months = Array.from({ length: n }, (_, i) => String(i + 1).padStart(2, "0"));
  const freed = new Array<number>(n).fill(0);
  const perMonth = new Map<string, number[]>();
  for (const o of orientations) {
    const [y, m] = o.libereLe.split("-");
    const month = Number(m) - 1;
    if (Number(y) !== annee || month < 0 || month >= n) continue;
    freed[month] = (freed[month] ?? 0) + 1;
    if (!o.cible) continue;
    const row = perMonth.get(o.cible.reservataireId) ?? new Array<number>(n).fill(0);
    row[month] = (row[month] ?? 0) + 1;
    perMonth.set(o.cible.reservataireId, row);
  }
  const cumulative = [...perMonth.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([reservataireId, row]) => {
      let total = 0;
      return { reservataireId, values: row.map((v) => (total += v)) };
    });
  return { months, freed, cumulative };
}

/** The last month to show for `annee`, seen from `today` (`YYYY-MM-DD`): 0 for a year not begun. */
export function lastMonthOf(annee: number, today: string): number {
  const [y, m] = today.split("-").map(Number);
  if (y === undefined || m === undefined) return 12;
  return annee < y ? 12 : annee > y ? 0 : m;
}

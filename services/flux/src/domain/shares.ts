import type { ConditionsConvention, Reservataire, Typologie } from "@logis/contracts";

/** Shares are counted in hundredths of a percent (basis points): 10,000 = the whole unit. Integers keep sums exact. */
export const WHOLE = 10_000;
export const toBp = (pourcentage: number): number => Math.round(pourcentage * 100);
/** Units (2 decimals) from basis points of a unit: 13,500 → 1.35. */
export const fromBp = (bp: number): number => Math.round(bp / 100) / 100;
/** Percent from basis points: 2,500 → 25. */
export const pctOf = (bp: number): number => bp / 100;

/** A convention as the caps and the orientation see it on a given day. */
export interface ConventionEnVigueur {
  readonly conventionId: string;
  readonly reservataire: Reservataire;
  /** Set for a commune-level convention: its share applies to the units of that commune only. */
  readonly commune?: string | undefined;
  readonly conditions: ConditionsConvention;
}

export interface Segment {
  readonly typologie: Typologie;
  readonly commune: string;
}

/** This convention's share of one unit's flux: the first matching split line, else its overall share. */
export function shareBp(convention: ConventionEnVigueur, unit: Segment): number {
  if (convention.commune !== undefined && convention.commune !== unit.commune) return 0;
  const line = convention.conditions.ventilation.find(
    (l) =>
      (l.typologies === undefined || l.typologies.includes(unit.typologie)) &&
      (l.communes === undefined || l.communes.includes(unit.commune)),
  );
  return toBp(line ? line.pourcentage : convention.conditions.pourcentage);
}

export const inForceOn = (c: Pick<ConventionEnVigueur, "conditions">, day: string): boolean =>
  c.conditions.validFrom <= day && (c.conditions.validTo === undefined || day <= c.conditions.validTo);

export const periodsOverlap = (a: ConditionsConvention, b: ConditionsConvention): boolean =>
  a.validFrom <= (b.validTo ?? "9999-12-31") && b.validFrom <= (a.validTo ?? "9999-12-31");

/** French number with two decimals at most: 1,35 ; 36. */
export const fr = (n: number): string => {
  // From whole hundredths: printing a fraction (`String(1.35)`) costs several times more, and the
  // orientation's reasons print three numbers per freed unit.
  const cents = Math.round(n * 100);
  const abs = Math.abs(cents);
  const units = `${cents < 0 ? "-" : ""}${Math.floor(abs / 100)}`;
  const rest = abs % 100;
  return rest === 0 ? units : rest % 10 === 0 ? `${units},${rest / 10}` : `${units},${rest < 10 ? "0" : ""}${rest}`;
};

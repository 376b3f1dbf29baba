import { readFileSync } from "node:fs";
import { z } from "zod";

// config/ sits beside src/ and dist/, so the same relative path works from both.
const raw: unknown = JSON.parse(readFileSync(new URL("../../config/legal-rules.json", import.meta.url), "utf8"));

export const LegalRules = z.object({
  validFrom: z.iso.date(),
  sources: z.array(z.string()).min(1),
  validityMonths: z.number().int().positive(),
  renewalOpensMonthsBeforeExpiry: z.number().int().min(0),
  renewalNoticeMonthsBeforeExpiry: z.number().int().positive(),
  cancellationMonthsAfterExpiry: z.number().int().min(0),
  reactivationMonthsAfterExpiry: z.number().int().positive(),
  purgeMonthsAfterRadiation: z.number().int().positive(),
  attestationDeadlineDays: z.number().int().positive(),
});
export type LegalRules = z.infer<typeof LegalRules>;

const versions = z
  .object({ versions: z.array(LegalRules).min(1) })
  .parse(raw)
  .versions.sort((a, b) => a.validFrom.localeCompare(b.validFrom));

/** The rules in force at `at` (legal numbers are data, chosen by date, never constants in code). */
export function rulesAt(at: Date): LegalRules {
  const day = at.toISOString().slice(0, 10);
  const current = versions.filter((v) => v.validFrom <= day).at(-1);
  if (!current) throw new Error(`no legal rules in force on ${day}`);
  return current;
}

/** Calendar months, clamped to the month's last day (31 Jan + 1 month = 28/29 Feb). */
export function addMonths(date: Date, months: number): Date {
  const d = new Date(date);
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + months);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

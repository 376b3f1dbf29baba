import { civilDay } from "@logis/domain";
import { z } from "zod";

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
  /** A CAL's inadmissibility radiates this long after its notification (reversible before). */
  inadmissibilityRadiationMonthsAfterNotification: z.number().int().positive(),
  /** Without an answer to a landlord's letter, the demand is radiated this long after it. */
  noAnswerRadiationMonthsAfterLetter: z.number().int().positive(),
  /** … and stays reactivable this long after that radiation if an answer arrives. */
  noAnswerReactivationMonths: z.number().int().positive(),
  /** The channels the platform sends renewal notices on (the applicant's accepted ones among them). */
  renewalNoticeChannels: z.array(z.enum(["courrier", "email", "sms"])).min(1),
  /** The version of the attestation's content (R441-2-4), recorded with each issue. */
  attestationContentVersion: z.string().min(1),
  /** The only pieces registration may require: identity, plus the residence permit outside the EU/EEA/Switzerland. */
  registrationPieces: z.object({ always: z.array(z.string()).min(1), nonEuEeaSwiss: z.array(z.string()) }),
  fieldSources: z.record(z.string(), z.string()).default({}),
});
export type LegalRules = z.infer<typeof LegalRules>;

/** The file of versioned rules (config/legal-rules.json, read by adapters/files/legal-rules.ts). */
export const LegalRulesFile = z.object({ versions: z.array(LegalRules).min(1) });

/** The rules in force at a date (legal numbers are data, chosen by date, never constants in code). */
export type RulesBook = (at: Date) => LegalRules;

export function rulesBook(file: z.infer<typeof LegalRulesFile>): RulesBook {
  const versions = [...file.versions].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  return (at) => {
    const day = civilDay(at);
    const current = versions.filter((v) => v.validFrom <= day).at(-1);
    if (!current) throw new Error(`no legal rules in force on ${day}`);
    return current;
  };
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

import { Fondement, Pourcentage, ReservataireKind } from "@logis/contracts";
import { AppError, err, ok, type Result } from "@logis/domain";
import { z } from "zod";

/** One legal cap: the reservations of these kinds (and, if given, these counterparts) share at most `plafond` % of the flux. */
export const Plafond = z.object({
  code: z.string().min(1),
  libelle: z.string().min(1),
  reservataires: z.array(ReservataireKind).min(1),
  fondements: z.array(Fondement).min(1).optional(),
  plafond: Pourcentage,
  source: z.string().min(1),
});
export type Plafond = z.infer<typeof Plafond>;

/** A set of legal parameters, in force from `validFrom` to `validTo` (last day, inclusive; null = still in force). */
export const LegalParameterSet = z
  .object({
    id: z.string().min(1),
    validFrom: z.iso.date(),
    validTo: z.iso.date().nullable(),
    sources: z.array(z.string().min(1)).min(1),
    plafonds: z.array(Plafond),
  })
  .refine((s) => s.validTo === null || s.validTo >= s.validFrom, {
    message: "validTo précède validFrom",
    path: ["validTo"],
  });
export type LegalParameterSet = z.infer<typeof LegalParameterSet>;

/** The versioned file: sets never overlap, so at most one is in force on any day. */
export const LegalParameters = z
  .object({ $comment: z.string().optional(), versions: z.array(LegalParameterSet).min(1) })
  .superRefine((file, ctx) => {
    const sorted = [...file.versions].sort((a, b) => a.validFrom.localeCompare(b.validFrom));
    for (let i = 1; i < sorted.length; i++) {
      const previous = sorted[i - 1];
      const current = sorted[i];
      if (previous && current && (previous.validTo === null || previous.validTo >= current.validFrom)) {
        ctx.addIssue({
          code: "custom",
          path: ["versions"],
          message: `les jeux ${previous.id} et ${current.id} se chevauchent : fermez le premier (validTo) avant le début du second`,
        });
      }
    }
  });
export type LegalParameters = z.infer<typeof LegalParameters>;

/** The set in force on `day` (YYYY-MM-DD), or an error naming the day when none is. */
export function legalParametersAt(parameters: LegalParameters, day: string): Result<LegalParameterSet, AppError> {
  const set = parameters.versions.find((v) => v.validFrom <= day && (v.validTo === null || day <= v.validTo));
  if (set) return ok(set);
  return err(
    new AppError(
      "RULE_VIOLATION",
      `Aucun jeu de paramètres légaux du flux n'est en vigueur le ${day} : complétez config/legal-parameters.json`,
      {
        reason: "NO_LEGAL_PARAMETERS",
        context: { day },
      },
    ),
  );
}

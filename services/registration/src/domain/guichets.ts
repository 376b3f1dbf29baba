import { civilDay } from "@logis/domain";
import { z } from "zod";

/**
 * How an applicant reaches the desk that registered the demand (guichet enregistreur): the
 * attestation gives it. Versioned like the legal rules: a desk that moves gets a new entry with its
 * `validFrom`; past entries are never edited.
 */
export const GuichetContact = z.object({
  numero: z.string().regex(/^\d{9}$/, "le numéro de guichet a 9 chiffres"),
  validFrom: z.iso.date(),
  nom: z.string().min(1),
  adresse: z.object({
    lignes: z.array(z.string().min(1)).min(1),
    codePostal: z.string().regex(/^\d{5}$/, "un code postal a 5 chiffres"),
    commune: z.string().min(1),
  }),
  telephone: z.string().regex(/^0\d( \d{2}){4}$/, "un numéro de téléphone écrit 0X XX XX XX XX"),
  courriel: z.email(),
  horaires: z.string().min(1).optional(),
});
export type GuichetContact = z.infer<typeof GuichetContact>;

export const GuichetsFile = z.object({ guichets: z.array(GuichetContact) });

/** The desk's contact details in force on a (Paris) day; undefined for a desk the file does not list. */
export type GuichetDirectory = (numero: string, at: Date) => GuichetContact | undefined;

export function guichetDirectory(file: z.infer<typeof GuichetsFile>): GuichetDirectory {
  const byNumero = new Map<string, GuichetContact[]>();
  for (const g of file.guichets) byNumero.set(g.numero, [...(byNumero.get(g.numero) ?? []), g]);
  for (const versions of byNumero.values()) versions.sort((a, b) => a.validFrom.localeCompare(b.validFrom));
  return (numero, at) => {
    const day = civilDay(at);
    return byNumero
      .get(numero)
      ?.filter((v) => v.validFrom <= day)
      .at(-1);
  };
}

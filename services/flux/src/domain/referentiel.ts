import { z } from "zod";

/** The landlords whose stock the platform manages, and the communes of each EPCI (reference data). */
export const Referentiel = z.object({
  $comment: z.string().optional(),
  version: z.string().min(1),
  bailleurs: z.array(
    z.object({ id: z.string().min(1), nom: z.string().min(1), departements: z.array(z.string().min(2)).min(1) }),
  ),
  epcis: z.array(
    z.object({ siren: z.string().regex(/^\d{9}$/), nom: z.string().min(1), communes: z.array(z.string()).min(1) }),
  ),
});
export type Referentiel = z.infer<typeof Referentiel>;

/** The communes of these EPCIs (what EPCI staff may read). */
export const communesOf = (referentiel: Referentiel, epcis: readonly string[]): Set<string> =>
  new Set(referentiel.epcis.filter((e) => epcis.includes(e.siren)).flatMap((e) => e.communes));

import { CommuneInsee, Departement } from "@logis/contracts";
import { z } from "zod";

/**
 * A territory given as data (départements, EPCIs and their communes): what tests build a Territory from.
 * The running service reads the official division instead (adapters/files/territoires.ts).
 */
export const Territoires = z.object({
  version: z.string().min(1),
  departements: z.array(z.object({ code: Departement, nom: z.string().min(1) })),
  epcis: z.array(
    z.object({
      siren: z.string().regex(/^\d{9}$/, "SIREN attendu (9 chiffres)"),
      nom: z.string().min(1),
      communes: z.array(CommuneInsee).min(1),
    }),
  ),
});
export type Territoires = z.infer<typeof Territoires>;

/** Outside the referential: a commune no EPCI of the referential lists. */
export const HORS_REFERENTIEL = "hors-referentiel";

/** The département of a commune from its INSEE code (2A/2B for Corsica, three digits overseas). */
export const departementOfCommune = (commune: string): string =>
  commune.startsWith("97") ? commune.slice(0, 3) : commune.slice(0, 2);

export interface Territory {
  readonly version: string;
  /** The EPCI (SIREN) of a commune, or HORS_REFERENTIEL. */
  epciOf(commune: string | undefined): string;
  epciName(siren: string): string | undefined;
  departementName(code: string): string | undefined;
  /** The communes of an EPCI (undefined when the EPCI is unknown). */
  communesOf(siren: string): ReadonlySet<string> | undefined;
  /** The départements an EPCI's communes lie in. */
  departementsOfEpci(siren: string): readonly string[];
}

export function territoryOf(t: Territoires): Territory {
  const epciOfCommune = new Map<string, string>();
  const communes = new Map<string, Set<string>>();
  for (const e of t.epcis) {
    communes.set(e.siren, new Set(e.communes));
    for (const c of e.communes) epciOfCommune.set(c, e.siren);
  }
  const epciNames = new Map(t.epcis.map((e) => [e.siren, e.nom]));
  const depNames = new Map(t.departements.map((d) => [d.code, d.nom]));
  return {
    version: t.version,
    epciOf: (commune) => (commune ? (epciOfCommune.get(commune) ?? HORS_REFERENTIEL) : HORS_REFERENTIEL),
    epciName: (siren) => epciNames.get(siren),
    departementName: (code) => depNames.get(code),
    communesOf: (siren) => communes.get(siren),
    departementsOfEpci: (siren) => [...new Set([...(communes.get(siren) ?? [])].map(departementOfCommune))].sort(),
  };
}

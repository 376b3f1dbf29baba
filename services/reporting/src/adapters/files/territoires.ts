import { readFileSync } from "node:fs";
import { territoires as officialDivision } from "@logis/territoires";
import { References } from "../../domain/reference.js";
import { HORS_REFERENTIEL, type Territory } from "../../domain/territory.js";

/**
 * Reporting's territory: every commune, EPCI and département of France from the official division
 * (COG, @logis/territoires, issue 16), the same referential cotation and the CAL use. A former code
 * (merged commune) counts in the EPCI of the commune it joined; a municipal arrondissement in its
 * commune's.
 */
export function officialTerritory(): Territory {
  const cog = officialDivision();
  const communes = new Map<string, ReadonlySet<string>>();
  return {
    version: `COG ${cog.millesime}`,
    epciOf: (commune) =>
      commune === undefined ? HORS_REFERENTIEL : (cog.epciDeCommune(commune)?.code ?? HORS_REFERENTIEL),
    epciName: (siren) => cog.epci(siren)?.nom,
    departementName: (code) => cog.departement(code)?.nom,
    communesOf: (siren) => {
      const known = communes.get(siren);
      if (known) return known;
      const epci = cog.epci(siren);
      if (!epci) return undefined;
      const set = new Set(epci.communes);
      communes.set(siren, set);
      return set;
    },
    departementsOfEpci: (siren) =>
      [
        ...new Set(
          (cog.epci(siren)?.communes ?? []).flatMap((c) => {
            const d = cog.commune(c)?.departement;
            return d === undefined ? [] : [d];
          }),
        ),
      ].sort(),
  };
}

/** Reporting's legal reference data (config/references.json), read once by compose.ts and checked. */
export const loadReferences = (): References =>
  References.parse(JSON.parse(readFileSync(new URL("../../../config/references.json", import.meta.url), "utf8")));

import { readFile } from "node:fs/promises";
import { parseOrThrow } from "@logis/domain";
import { type Territoires, territoires } from "@logis/territoires";
import { Referentiel } from "../domain/referentiel.js";

/** The landlords and EPCI communes of this deployment, read and checked once at start (compose.ts). */
export const defaultReferentielPath = new URL("../../config/referentiel.json", import.meta.url);

/**
 * The file's landlords, and the EPCIs of every département where one of them works with their
 * communes from the official division (COG): EPCI staff read every commune of their EPCI, not a
 * hand-kept excerpt. An EPCI the file lists replaces the official one.
 */
export async function loadReferentiel(
  path: string | URL = defaultReferentielPath,
  official: Territoires = territoires(),
): Promise<Referentiel> {
  const file = parseOrThrow(Referentiel, JSON.parse(await readFile(path, "utf8")));
  const listed = new Set(file.epcis.map((e) => e.siren));
  const departements = [...new Set(file.bailleurs.flatMap((b) => b.departements))];
  const fromCog = [
    ...new Map(
      departements
        .flatMap((d) => official.epcisDuDepartement(d))
        .filter((e) => !listed.has(e.code) && e.communes.length > 0)
        .map((e) => [e.code, { siren: e.code, nom: e.nom, communes: [...e.communes] }]),
    ).values(),
  ];
  return { ...file, epcis: [...file.epcis, ...fromCog] };
}

import { readFile } from "node:fs/promises";
import { parseOrThrow } from "@logis/domain";
import { Referentiel } from "../domain/referentiel.js";

/** The landlords and EPCI communes of this deployment, read and checked once at start (compose.ts). */
export const defaultReferentielPath = new URL("../../config/referentiel.json", import.meta.url);

export async function loadReferentiel(path: string | URL = defaultReferentielPath): Promise<Referentiel> {
  return parseOrThrow(Referentiel, JSON.parse(await readFile(path, "utf8")));
}

import { readFile } from "node:fs/promises";
import { parseOrThrow } from "@logis/domain";
import { LegalParameters } from "../domain/legal-parameters.js";

/** The versioned legal parameters of the flux, read and checked once at start (compose.ts). */
export const defaultLegalParametersPath = new URL("../../config/legal-parameters.json", import.meta.url);

export async function loadLegalParameters(path: string | URL = defaultLegalParametersPath): Promise<LegalParameters> {
  const raw: unknown = JSON.parse(await readFile(path, "utf8"));
  return parseOrThrow(LegalParameters, raw);
}

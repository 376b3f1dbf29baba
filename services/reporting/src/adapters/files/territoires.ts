import { readFileSync } from "node:fs";
import { References } from "../../domain/reference.js";
import { Territoires } from "../../domain/territory.js";

/** Reporting's territory referential (config/territoires.json), read once by compose.ts and checked. */
export const loadTerritoires = (): Territoires =>
  Territoires.parse(JSON.parse(readFileSync(new URL("../../../config/territoires.json", import.meta.url), "utf8")));

/** Reporting's legal reference data (config/references.json), read once by compose.ts and checked. */
export const loadReferences = (): References =>
  References.parse(JSON.parse(readFileSync(new URL("../../../config/references.json", import.meta.url), "utf8")));

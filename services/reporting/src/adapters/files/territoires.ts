import { readFileSync } from "node:fs";
import { Territoires } from "../../domain/territory.js";

/** Reporting's territory referential (config/territoires.json), read once by compose.ts and checked. */
export const loadTerritoires = (): Territoires =>
  Territoires.parse(JSON.parse(readFileSync(new URL("../../../config/territoires.json", import.meta.url), "utf8")));

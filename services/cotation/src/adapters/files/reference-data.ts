import { readdirSync, readFileSync } from "node:fs";
import { territoires as officialDivision } from "@logis/territoires";
import { GridFile } from "../../domain/reference-grids.js";
import { Referentiels, Territoires } from "../../domain/referentiels.js";

// The versioned reference files of config/ (referentiels, reference grids) and the official division, read and
// checked against their domain schemas. Called by compose.ts (and by tests, benches and tools); the
// domain receives the parsed data.

const config = new URL("../../../config/", import.meta.url);
const grids = new URL("grilles/", config);

const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, "utf8"));

/** L441-1 priority publics and proof pieces (config/referentiels.json). */
export const loadReferentiels = (): Referentiels => Referentiels.parse(readJson(new URL("referentiels.json", config)));

/**
 * Every EPCI of France and its communes, from the official division (COG, @logis/territoires; issue
 * 16): any EPCI can publish a grid. A millésime is a version of that package, not a file here.
 */
export const loadTerritoires = (): Territoires => {
  const cog = officialDivision();
  return Territoires.parse({
    version: `COG ${cog.millesime}`,
    validFrom: `${cog.millesime}-01-01`,
    epcis: cog
      .epcis()
      .filter((e) => e.communes.length > 0)
      .map((e) => ({ siren: e.code, nom: e.nom, communes: [...e.communes] })),
  });
};

/** The names of the grids kept as files (config/grilles/*.json), sorted. */
export const referenceGridNames = (): string[] =>
  readdirSync(grids)
    .filter((f) => f.endsWith(".json"))
    .map((f) => f.replace(/\.json$/, ""))
    .sort();

/** One grid kept as a file, by name (`synthetique`, `paris`, …). */
export const loadReferenceGrid = (name: string): GridFile => GridFile.parse(readJson(new URL(`${name}.json`, grids)));

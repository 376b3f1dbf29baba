import { loadReferentiels, loadTerritoires } from "../adapters/files/reference-data.js";
import { factCatalogueOf } from "../domain/facts.js";

// The reference data as compose.ts loads it (through the files adapter), for tests and benches.

export const referentiels = loadReferentiels();
export const territoires = loadTerritoires();
export const catalogue = factCatalogueOf(referentiels);

export { loadReferenceGrid, referenceGridNames } from "../adapters/files/reference-data.js";

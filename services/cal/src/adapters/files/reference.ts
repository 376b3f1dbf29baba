import { readdirSync, readFileSync } from "node:fs";
import { z } from "zod";
import {
  EpcisCommunes,
  type Referentiel,
  ReglesAttribution,
  TablePlafonds,
  ZonesCommunes,
} from "../../domain/reference.js";

// The CAL's versioned reference files (config/): one ceilings table per year (plafonds/<année>.json),
// the zones of communes, the attribution rules. Read and checked once, in compose.ts (and by tests).

const config = new URL("../../../config/", import.meta.url);
const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, "utf8"));

export function loadReferentiel(dir: URL = config): Referentiel {
  const plafondsDir = new URL("plafonds/", dir);
  const plafonds = readdirSync(plafondsDir)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((f) => TablePlafonds.parse(readJson(new URL(f, plafondsDir))));
  return {
    plafonds,
    zones: ZonesCommunes.parse(readJson(new URL("zones.json", dir))),
    regles: z
      .array(ReglesAttribution)
      .min(1)
      .parse(readJson(new URL("regles.json", dir))),
    epcis: EpcisCommunes.parse(readJson(new URL("epcis.json", dir))),
  };
}

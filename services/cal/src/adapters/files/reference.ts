import { readdirSync, readFileSync } from "node:fs";
import { territoires } from "@logis/territoires";
import { z } from "zod";
import {
  EpcisCommunes,
  type Referentiel,
  ReglesAttribution,
  TablePlafonds,
  ZonesCommunes,
  ZonesTendues,
} from "../../domain/reference.js";

// The CAL's versioned reference files (config/): one ceilings table per year (plafonds/<année>.json),
// the zones of communes, the attribution rules; the EPCIs of the official division. Read and checked
// once, in compose.ts (and by tests).

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
    epcis: officialEpcis(),
    zonesTendues: ZonesTendues.parse(readJson(new URL("zones-tendues.json", dir))),
  };
}

/** Every EPCI of France and its communes, from the official division (COG, @logis/territoires). */
function officialEpcis(): EpcisCommunes {
  const cog = territoires();
  return EpcisCommunes.parse({
    id: `cog-${cog.millesime}`,
    validFrom: `${cog.millesime}-01-01`,
    source: `Code officiel géographique ${cog.millesime} (INSEE), publié par Etalab (@etalab/decoupage-administratif)`,
    epcis: cog.epcis().map((e) => ({ siren: e.code, nom: e.nom, communes: [...e.communes] })),
  });
}

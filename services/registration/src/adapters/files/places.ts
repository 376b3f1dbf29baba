import { territoires } from "@logis/territoires";
import type { PlaceNames } from "../../app/context.js";

/** Names of communes and départements from the official division (COG, @logis/territoires). */
export function officialPlaceNames(): PlaceNames {
  const t = territoires();
  return {
    commune: (code) => t.commune(code)?.nom,
    departement: (code) => t.departement(code)?.nom,
  };
}

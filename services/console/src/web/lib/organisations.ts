import directory from "../../../config/organisations.json";
import { todayInParis } from "./format";

// The organisations' names, from the console's versioned directory (config/organisations.json,
// decision 0035): each name has its validity dates, so that a renamed organisation keeps its former
// name on what happened before. Names a service serves itself (a convention's reserver, in flux)
// come first where a page has them; an id the directory does not know is shown as it is.

export type Nature = "bailleur" | "reservataire" | "etat" | "epci" | "guichet";

export interface OrganisationEntry {
  id: string;
  nature: Nature;
  nom: string;
  siren?: string;
  validFrom: string;
  validTo?: string;
}

/** The entry of `id` in force on `on` (a civil day, `YYYY-MM-DD`), or the latest one begun by then. */
export function entryOf(
  entries: readonly OrganisationEntry[],
  id: string,
  on: string = todayInParis(),
): OrganisationEntry | undefined {
  const begun = entries
    .filter((e) => e.id === id && e.validFrom <= on)
    .sort((a, b) => (a.validFrom < b.validFrom ? 1 : -1));
  return begun.find((e) => e.validTo === undefined || on <= e.validTo) ?? begun[0];
}

const entries = directory.organisations as OrganisationEntry[];

/** The organisation's name on `on` (today by default), or its id when the directory does not know it. */
export const organisationName = (id: string, on?: string): string => entryOf(entries, id, on)?.nom ?? id;

/** An EPCI's name from its SIREN ("Metz Métropole (200039865)"), or "EPCI 200039865" when the directory does not know it. */
export function epciName(siren: string, on?: string): string {
  const day = on ?? todayInParis();
  const ids = [...new Set(entries.filter((e) => e.nature === "epci" && e.siren === siren).map((e) => e.id))];
  const entry = ids.length > 0 ? entryOf(entries, ids[0] ?? "", day) : undefined;
  return entry ? `${entry.nom} (${siren})` : `EPCI ${siren}`;
}

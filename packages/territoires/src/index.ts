import { createRequire } from "node:module";

// The official administrative division (Code officiel géographique, INSEE) as Etalab publishes it in
// @etalab/decoupage-administratif: one package version per millésime (6.0.0 = COG 2026), pinned in the
// workspace catalog. A new millésime is a version bump, reviewed like any data change, never code.
// Issue 16: "load the real administrative referential (every commune, its EPCI and département)".

/** The millésime of the COG the pinned package holds. */
export const MILLESIME = 2026;

export interface Commune {
  /** Code INSEE (5 characters: 57463, 2A004, 69381 for a Lyon arrondissement). */
  code: string;
  nom: string;
  departement: string;
  region: string;
  /** SIREN of the commune's EPCI à fiscalité propre (an arrondissement has its commune's). */
  epci: string | undefined;
  codesPostaux: readonly string[];
  population: number | undefined;
  /** A municipal arrondissement (Paris, Lyon, Marseille) belongs to this commune. */
  communeParente: string | undefined;
}

export interface Epci {
  /** SIREN (9 digits). */
  code: string;
  nom: string;
  /** CC, CA, CU, METRO, MET69 (Lyon). */
  type: string;
  /** Its member communes, and the municipal arrondissements of Paris, Lyon and Marseille among them. */
  communes: readonly string[];
}

export interface Departement {
  code: string;
  nom: string;
  region: string;
  chefLieu: string;
}

export interface Territoires {
  readonly millesime: number;
  /** A current commune or municipal arrondissement; a former code (merged commune) gives the commune it joined. */
  commune(code: string): Commune | undefined;
  departement(code: string): Departement | undefined;
  epci(code: string): Epci | undefined;
  /** Every EPCI à fiscalité propre of France. */
  epcis(): readonly Epci[];
  /** The EPCI of a commune (or of an arrondissement's commune). */
  epciDeCommune(code: string): Epci | undefined;
  communesDuDepartement(code: string): readonly Commune[];
  epcisDuDepartement(code: string): readonly Epci[];
  /** "Metz (57)", or the code itself when unknown: how a person reads a commune. */
  libelleCommune(code: string): string;
}

interface RawCommune {
  code: string;
  nom: string;
  type: string;
  departement: string;
  region: string;
  commune?: string;
  codesPostaux?: string[];
  population?: number;
  anciensCodes?: string[];
}
interface RawEpci {
  code: string;
  nom: string;
  type: string;
  membres: { code: string }[];
}
interface RawDepartement {
  code: string;
  nom: string;
  region: string;
  chefLieu: string;
}

let loaded: Territoires | undefined;

/** The referential, loaded on first use (about 12 MB of JSON, read once per process). */
export function territoires(): Territoires {
  loaded ??= load();
  return loaded;
}

function load(): Territoires {
  const require = createRequire(import.meta.url);
  const data = (file: string) => require(`@etalab/decoupage-administratif/data/${file}.json`) as unknown;
  const rawCommunes = data("communes") as RawCommune[];
  const rawEpcis = data("epci") as RawEpci[];
  const rawDepartements = data("departements") as RawDepartement[];

  const epcis = new Map<string, { code: string; nom: string; type: string; communes: string[] }>();
  const epciOf = new Map<string, string>();
  for (const e of rawEpcis) {
    const communes = e.membres.map((m) => m.code);
    epcis.set(e.code, { code: e.code, nom: e.nom, type: e.type, communes });
    for (const c of communes) epciOf.set(c, e.code);
  }
  // A demand names an arrondissement (69383, Lyon 3e): it belongs to its commune's EPCI.
  for (const c of rawCommunes) {
    if (c.type !== "arrondissement-municipal" || !c.commune) continue;
    const epci = epciOf.get(c.commune);
    if (epci) epcis.get(epci)?.communes.push(c.code);
  }
  const communes = new Map<string, Commune>();
  const formerCodes = new Map<string, string>();
  for (const c of rawCommunes) {
    if (c.type !== "commune-actuelle" && c.type !== "arrondissement-municipal") continue;
    communes.set(c.code, {
      code: c.code,
      nom: c.nom,
      departement: c.departement,
      region: c.region,
      epci: epciOf.get(c.commune ?? c.code),
      codesPostaux: c.codesPostaux ?? [],
      population: c.population,
      communeParente: c.commune,
    });
    for (const old of c.anciensCodes ?? []) formerCodes.set(old, c.code);
  }
  const departements = new Map(rawDepartements.map((d) => [d.code, { ...d }]));
  const byDepartement = new Map<string, Commune[]>();
  for (const c of communes.values()) {
    const list = byDepartement.get(c.departement) ?? [];
    list.push(c);
    byDepartement.set(c.departement, list);
  }

  const commune = (code: string) => {
    const current = communes.get(code);
    if (current) return current;
    const merged = formerCodes.get(code);
    return merged === undefined ? undefined : communes.get(merged);
  };
  return {
    millesime: MILLESIME,
    commune,
    departement: (code) => departements.get(code),
    epci: (code) => epcis.get(code),
    epcis: () => [...epcis.values()],
    epciDeCommune: (code) => {
      const epci = commune(code)?.epci;
      return epci === undefined ? undefined : epcis.get(epci);
    },
    communesDuDepartement: (code) => byDepartement.get(code) ?? [],
    epcisDuDepartement: (code) => {
      const found = new Set<string>();
      for (const c of byDepartement.get(code) ?? []) if (c.epci) found.add(c.epci);
      return [...found].flatMap((e) => {
        const epci = epcis.get(e);
        return epci ? [epci] : [];
      });
    },
    libelleCommune: (code) => {
      const c = commune(code);
      return c ? `${c.nom} (${c.departement})` : code;
    },
  };
}

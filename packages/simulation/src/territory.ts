import type { Financement, LogementDeclare } from "@logis/contracts";
import { prng, type Rng } from "@logis/testing";
import { type Menage, menage, weighted } from "./households.js";
import type { Bailleur, Commune, PlafondsPlus, Referentiel, Reservataire } from "./reference.js";

/** Share of the stock renewed at its anniversary (the others lapse: cancelled for non-renewal). */
export const TAUX_RENOUVELLEMENT = 0.82;

/** How big a territory: demands (stock at the start of the year + new during the year) and housing units. */
export const TAILLES = {
  // The tiny year of the tests: Metz Métropole only, so that each freed unit has candidates.
  // Two landlords there: Moselis, which the services know, and Batigère, which flux may not know yet.
  mini: {
    demandes: 80,
    nouvelles: 0.3,
    logements: 220,
    epcis: ["200039865"],
    bailleurs: ["org_demo_bailleur_57", "org_sim_batigere"],
  },
  // The year of up.sh: a few minutes on a 2-core machine (the housing-stock import and the desk
  // registrations weigh most).
  petite: { demandes: 2_000, nouvelles: 0.25, logements: 2_000 },
  grande: { demandes: 20_000, nouvelles: 0.3, logements: 40_000 },
} as const;
export type Taille = keyof typeof TAILLES;

export interface Logement extends LogementDeclare {
  bailleurId: string;
}

export interface Demande extends Menage {
  /** Position in the territory's list: the numéro of an imported demand derives from it. */
  rang: number;
  /** Deposit day (YYYY-MM-DD): before the year for the imported stock, within it for new demands. */
  depotLe: string;
  nouvelle: boolean;
  /** For the stock: its anniversary within the year, whether it was renewed then, and the last renewal the import gives. */
  anniversaire?: string;
  renouvelle?: boolean;
  renouveleLe?: string;
}

/** One landlord's convention with one reserver, as signed in flux (the reserver's terms, the landlord's share). */
export interface ConventionSimulee extends Reservataire {
  bailleurId: string;
  pourcentage: number;
}

export interface Territoire {
  graine: number;
  taille: Taille;
  debut: string;
  fin: string;
  referentiel: Referentiel;
  /** The landlords with stock in the territory's EPCIs. */
  bailleurs: Bailleur[];
  logements: Logement[];
  conventions: ConventionSimulee[];
  demandes: Demande[];
}

const DAY = 86_400_000;
export const addDays = (day: string, n: number) =>
  new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY).toISOString().slice(0, 10);
export const daysBetween = (a: string, b: string) =>
  Math.round((Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY);

const LETTRE: Record<Taille, string> = { mini: "M", petite: "P", grande: "G" };

/** The unit's identifiers: RPLS-shaped (10 characters), distinct per size and seed (seeds modulo 100). */
export const rplsIdOf = (taille: Taille, graine: number, i: number) =>
  `57${LETTRE[taille]}${String(graine % 100).padStart(2, "0")}${String(i).padStart(5, "0")}`;

/** The sequence of an imported demand's numéro: distinct per size and seed (modulo 10), at most 999 999 demands. */
export const sequenceOf = (taille: Taille, graine: number, rang: number) =>
  Object.keys(LETTRE).indexOf(taille) * 10_000_000 + (graine % 10) * 1_000_000 + rang;

/**
 * The synthetic Moselle territory for a seed: the same seed and size give the same territory, unit
 * for unit and household for household (pure: the referential and ceilings are passed in).
 * `debut`/`fin` bound the simulated year (YYYY-MM-DD, `fin` excluded).
 */
export function generateTerritory(input: {
  referentiel: Referentiel;
  plafonds: PlafondsPlus;
  graine: number;
  taille: Taille;
  debut: string;
  fin: string;
}): Territoire {
  const { plafonds, graine, taille, debut, fin } = input;
  const size: {
    demandes: number;
    nouvelles: number;
    logements: number;
    epcis?: readonly string[];
    bailleurs?: readonly string[];
  } = TAILLES[taille];
  const only = size.epcis;
  const referentiel = only
    ? {
        ...input.referentiel,
        epcis: input.referentiel.epcis.filter((e) => only.includes(e.siren)),
        communes: input.referentiel.communes.filter((c) => only.includes(c.epci)),
      }
    : input.referentiel;
  const epcis = new Set(referentiel.epcis.map((e) => e.siren));
  const bailleurs = referentiel.bailleurs.filter(
    (b) => Object.keys(b.parts).some((e) => epcis.has(e)) && (!size.bailleurs || size.bailleurs.includes(b.id)),
  );
  const ids = new Set(bailleurs.map((b) => b.id));
  const conventions = referentiel.conventions.flatMap((c) => {
    const reserver = referentiel.reservataires.find((x) => x.id === c.reservataire) as Reservataire;
    // A commune's or an EPCI's convention only where that collectivity is in the territory.
    const there =
      (reserver.commune === undefined || referentiel.communes.some((x) => x.insee === reserver.commune)) &&
      (reserver.epci === undefined || epcis.has(reserver.epci));
    return ids.has(c.bailleur) && there ? [{ ...reserver, bailleurId: c.bailleur, pourcentage: c.pourcentage }] : [];
  });
  const r = prng(graine);
  const logements = Array.from({ length: size.logements }, (_, i) =>
    logement(r, referentiel, bailleurs, rplsIdOf(taille, graine, i + 1), i + 1),
  );
  const year = Number(debut.slice(0, 4));
  const span = daysBetween(debut, fin);
  const nouvelles = Math.round(size.demandes * size.nouvelles);
  const demandes: Demande[] = [];
  for (let i = 0; i < size.demandes; i++) {
    const m = menage(r, referentiel.communes, plafonds, year);
    if (i < size.demandes - nouvelles) {
      // Seniority of the stock: many recent demands, a long tail (up to eight years).
      const age = Math.min(2_900, Math.round(-Math.log(1 - r.next() * 0.999) * 420) + 1);
      const depotLe = addDays(debut, -age);
      // Its anniversary in the year: renewed then (most households), or left to lapse. The import
      // says it as the last renewal the registration service knows of (SNE dateDernierRenouvellement).
      const anniversaire = addDays(depotLe, Math.ceil(age / 365) * 365);
      const renouvelle = r.chance(TAUX_RENOUVELLEMENT);
      const precedent = addDays(anniversaire, -365);
      const renouveleLe = renouvelle ? anniversaire : precedent > depotLe ? precedent : undefined;
      demandes.push({
        ...m,
        rang: i + 1,
        depotLe,
        nouvelle: false,
        anniversaire,
        renouvelle,
        ...(renouveleLe ? { renouveleLe } : {}),
      });
    } else {
      demandes.push({ ...m, rang: i + 1, depotLe: addDays(debut, r.int(0, span - 1)), nouvelle: true });
    }
  }
  return { graine, taille, debut, fin, referentiel, bailleurs, logements, conventions, demandes };
}

function logement(r: Rng, ref: Referentiel, bailleurs: readonly Bailleur[], rplsId: string, i: number): Logement {
  // Social housing weighs more where there is a QPV; the stock follows the population otherwise.
  const commune = weighted(
    r,
    ref.communes.map((c) => [c, c.population * (c.qpv ? 1.8 : 1)] as const),
  );
  // Its landlord: by each landlord's share of the stock in the commune's EPCI.
  const bailleur = weighted(
    r,
    bailleurs.flatMap((b) => {
      const part = b.parts[commune.epci];
      return part ? [[b, part] as const] : [];
    }),
  );
  const nbPieces = weighted(r, [
    [1, 8],
    [2, 22],
    [3, 38],
    [4, 24],
    [5, 8],
  ] as const);
  // A large share built before 1975 (the Moselle's industrial basins), then later programmes.
  const anneeConstruction = weighted(r, [
    [r.int(1920, 1948), 5],
    [r.int(1949, 1974), 45],
    [r.int(1975, 1989), 20],
    [r.int(1990, 2009), 18],
    [r.int(2010, 2025), 12],
  ] as const);
  const financement: Financement =
    anneeConstruction < 1977
      ? r.chance(0.9)
        ? "PLUS"
        : "PLAI"
      : weighted(r, [
          ["PLAI", 25],
          ["PLUS", 60],
          ["PLS", 15],
        ] as const);
  const surface = Math.round((18 + nbPieces * 16 + r.int(-5, 8)) * 10) / 10;
  const prixM2 = financement === "PLAI" ? 5.1 : financement === "PLUS" ? 5.8 : 8.6;
  const etage = r.int(0, anneeConstruction < 1975 ? 9 : 5);
  return {
    rplsId,
    idBailleur: `SIM-${String(i).padStart(6, "0")}`,
    bailleurId: bailleur.id,
    commune: commune.insee,
    adresse: `${r.int(1, 90)} ${r.pick(["rue des Tilleuls", "rue de Verdun", "allée des Peupliers", "rue Pasteur", "avenue de la Liberté", "rue des Roses", "rue Jean Moulin"])}`,
    codePostal: commune.codePostal,
    qpv: commune.qpv && r.chance(0.45),
    nbPieces,
    surface,
    etage,
    ascenseur: etage >= 4 || (anneeConstruction > 1990 && etage > 1),
    accessibilite:
      etage === 0 && anneeConstruction > 2006 ? (r.chance(0.3) ? "adapte" : "accessible") : "non_accessible",
    anneeConstruction,
    financement,
    loyer: Math.round(surface * prixM2 * 100) / 100,
  };
}

/** The commune of a unit or a wish, from the referential. */
export const communeOf = (t: Territoire, insee: string): Commune | undefined =>
  t.referentiel.communes.find((c) => c.insee === insee);

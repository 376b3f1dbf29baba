import type { DemandEvent, DemandFacts } from "@logis/contracts";
import { civilDay } from "@logis/domain";

// The read model of one demand, as the statistics need it: no name, no number, no contact — dates
// (Paris civil days), where it asks to live, what it asks for, and its movements in and out of the
// stock. It is rebuilt by folding the demand's events in order (`evolveDemandRow`), so replaying the
// topic from the start gives the same rows as the incremental build.

export const MOTIFS_SORTIE = ["RADATT", "RADABA", "RADIRR", "RADCON", "RADREN"] as const;
export type MotifSortie = (typeof MOTIFS_SORTIE)[number];

/** A movement out of the stock (radiation, or cancellation for non-renewal) or back into it (reactivation). */
export type Mouvement = { le: string; type: "sortie"; motif: MotifSortie } | { le: string; type: "retour" };

export interface DemandRow {
  /** The demand's aggregate id (`dem_…`). */
  id: string;
  /** The last aggregate version folded in (the high-water mark). */
  version: number;
  departement: string;
  /** Civil day (Paris) of the first deposit: the demand's seniority (ancienneté) starts there. */
  depotLe: string;
  /** A transfer (mutation): the household already rents in the social stock (current housing HLM). */
  mutation: boolean;
  /** The commune asked for first (SNE: "commune demandée en premier choix"). */
  commune?: string;
  /** The typology asked for first. */
  typologie?: string;
  tailleMenage: number;
  /** The current housing (SNE modeleLogement code: HLM, SH shelter, HOT hotel, SD street…). */
  modeleLogement: string;
  /** A priority household: DALO active, or an L441-1 priority category recognised. */
  prioritaire: boolean;
  /** DALO recognised (statut ACTIF). */
  dalo?: boolean;
  /** The applicant's month of birth (`YYYY-MM`: the age band needs no more). */
  naissance?: string;
  /** The household's monthly resources (applicant and co-holder), in whole euros. */
  ressourcesMensuelles?: number;
  /** Units of consumption (INSEE scale: 1 for the applicant, 0,5 per other person of 14 or more, 0,3 under 14) on the event's day. */
  uc?: number;
  /** For a demand radiated for an attribution (RADATT): the contingent charged and whether the household was DALO. */
  attribution?: { contingent: string; dalo: boolean };
  statut: "active" | "cancelled" | "radiated" | "purged";
  /** In the order they happened. */
  mouvements: Mouvement[];
}

const sum = (ms: readonly { montant: number }[] | undefined) => (ms ?? []).reduce((a, m) => a + m.montant, 0);

/** INSEE's (modified OECD) scale on civil day `on`. */
export function unitesDeConsommation(facts: DemandFacts, on: string): number {
  const ageOn = (birth: string) => {
    const [by, bm, bd] = birth.split("-").map(Number) as [number, number, number];
    const [y, m, d] = on.split("-").map(Number) as [number, number, number];
    return y - by - (m < bm || (m === bm && d < bd) ? 1 : 0);
  };
  const others = [
    ...(facts.cotitulaire ? [facts.cotitulaire.dateNaissance] : []),
    ...facts.personnesACharge.map((p) => p.dateNaissance),
  ];
  return Math.round((1 + others.reduce((a, b) => a + (ageOn(b) >= 14 ? 0.5 : 0.3), 0)) * 10) / 10;
}

const describe = (facts: DemandFacts, on: string) => ({
  dalo: facts.situations.dalo.statut === "ACTIF",
  naissance: facts.demandeur.dateNaissance.slice(0, 7),
  ressourcesMensuelles: Math.round(
    sum(facts.demandeur.ressources?.mensuelles) + sum(facts.cotitulaire?.ressources?.mensuelles),
  ),
  uc: unitesDeConsommation(facts, on),
  mutation: facts.logementActuel.modele === "HLM",
  commune: facts.souhaits.communes[0],
  typologie: facts.souhaits.typologies[0],
  tailleMenage: 1 + (facts.cotitulaire ? 1 : 0) + facts.personnesACharge.length,
  modeleLogement: facts.logementActuel.modele,
  prioritaire: facts.situations.dalo.statut === "ACTIF" || facts.situations.prioritesL441.length > 0,
});

// The Paris civil day of an instant. Paris changes its offset on the hour, so the day is the same for
// every instant of one UTC hour: it is remembered per hour (a replay of millions of events computes
// it a few thousand times instead of once per event).
const days = new Map<string, string>();
const day = (instant: string) => {
  if (!(instant.length >= 20 && instant[13] === ":" && instant.endsWith("Z"))) return civilDay(new Date(instant));
  const hour = instant.slice(0, 13);
  let found = days.get(hour);
  if (found === undefined) {
    found = civilDay(new Date(`${hour}:00:00.000Z`));
    if (days.size >= 200_000) days.clear();
    days.set(hour, found);
  }
  return found;
};

const leave = (row: DemandRow, statut: DemandRow["statut"], motif: MotifSortie, le: string): DemandRow => {
  // Already out of the stock (cancelled, then radiated): the first exit stands, the status follows.
  const out = row.mouvements.at(-1)?.type === "sortie";
  return { ...row, statut, mouvements: out ? row.mouvements : [...row.mouvements, { le, type: "sortie", motif }] };
};

/**
 * The next row after one event, or `undefined` when the event says nothing the read model keeps and
 * there is no row yet (an event of a demand whose registration was never seen). Pure; the caller
 * skips events at or below the row's version.
 */
export function evolveDemandRow(row: DemandRow | undefined, event: DemandEvent): DemandRow | undefined {
  if (event.type === "DemandRegistered") {
    const p = event.payload;
    // After a couple's separation the ex-partner's demand keeps the original deposit date.
    const separation = (p as { separation?: { dateDepotOrigine: string } }).separation;
    return {
      id: event.aggregateId,
      version: event.aggregateVersion,
      departement: p.departement,
      depotLe: day(separation?.dateDepotOrigine ?? p.dateDepot),
      ...describe(p.demande, day(event.occurredAt)),
      statut: "active",
      mouvements: [],
    };
  }
  if (row === undefined) return undefined;
  const next = { ...row, version: event.aggregateVersion };
  switch (event.type) {
    case "DemandUpdated":
      return {
        ...next,
        departement: event.payload.departement,
        ...describe(event.payload.demande, day(event.occurredAt)),
      };
    case "DemandCancelled":
      return leave(next, "cancelled", "RADREN", day(event.payload.cancelledAt));
    case "DemandRadiated": {
      const { motif, date, attribution } = event.payload.radiation;
      const left = leave(next, "radiated", motif, day(date));
      const exit = left.mouvements.at(-1);
      // The attribution is kept when the radiation is the demand's exit (not that of a demand already out).
      if (motif !== "RADATT" || exit?.type !== "sortie" || exit.motif !== "RADATT") return left;
      return {
        ...left,
        attribution: { contingent: attribution?.contingent ?? "AUCUN", dalo: attribution?.dalo ?? false },
      };
    }
    case "DemandReactivated": {
      const back: Mouvement = { le: day(event.payload.reactivatedAt), type: "retour" };
      return { ...next, statut: "active", mouvements: [...next.mouvements, back] };
    }
    case "DemandPurged":
      return { ...next, statut: "purged" };
    default:
      // Renewals, proofs, refusals…: nothing the statistics use yet; the high-water mark moves on.
      return next;
  }
}

/** Whether the demand was in the stock at the end of civil day `on`. */
export function activeOn(row: DemandRow, on: string): boolean {
  if (row.depotLe > on) return false;
  let inStock = true;
  for (const m of row.mouvements) {
    if (m.le > on) break;
    inStock = m.type === "retour";
  }
  return inStock;
}

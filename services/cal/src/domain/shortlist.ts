import type { DemandFacts, ExamenEligibilite, RefusEligibilite } from "@logis/contracts";
import type { IsoDay } from "./calendar.js";
import { examineEligibility, type UnitFacts } from "./eligibility.js";
import type { Referentiel } from "./reference.js";

// The landlord's shortlist of one unit: the best-ranked eligible demands, from cotation's ranking
// (DemandScored) and registration's demand facts. Pure; where it runs at scale is decision 0011.

export interface RankedDemand {
  demandId: string;
  numeroUnique: string;
  /** Rank in the EPCI's ranking (1 = first) and the size of that ranking. */
  rank: number;
  of: number;
  score: number;
  grid: { gridId: string; version: number };
  facts: DemandFacts;
}

export interface ShortlistCandidate {
  demandId: string;
  numeroUnique: string;
  ordre: number;
  dalo: boolean;
  rangCotation: { rank: number; of: number };
  score: number;
  grille: { gridId: string; version: number };
  justification: string;
  eligibilite: ExamenEligibilite;
  accordCollectif: "ACD" | "ACI" | "AUCUN";
  facts: DemandFacts;
}

export interface Shortlist {
  candidates: ShortlistCandidate[];
  /** Better-ranked demands left out, each with the rules that refused it ("why not on this shortlist"). */
  excluded: { demandId: string; numeroUnique: string; rank: number; refus: RefusEligibilite[] }[];
  examined: number;
  /** Set when fewer eligible candidates than wanted were found among every ranked demand. */
  exception?: { code: "INSUFFISANCE_CANDIDATS"; justification: string };
}

const nf = new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 });

/**
 * Walks the ranking (rank, then demand id: a stable order) and keeps the first `wanted` eligible
 * demands; each kept candidate's justification names its rank and the ceiling it meets.
 */
export function shortlist(
  unit: UnitFacts,
  ranked: readonly RankedDemand[],
  referentiel: Referentiel,
  on: IsoDay,
  wanted: number,
): Shortlist {
  const order = [...ranked].sort((a, b) => a.rank - b.rank || (a.demandId < b.demandId ? -1 : 1));
  const candidates: ShortlistCandidate[] = [];
  const excluded: Shortlist["excluded"] = [];
  let examined = 0;
  for (const demand of order) {
    if (candidates.length >= wanted) break;
    examined += 1;
    const eligibilite = examineEligibility(unit, demand.facts, referentiel, on);
    if (!eligibilite.eligible) {
      excluded.push({
        demandId: demand.demandId,
        numeroUnique: demand.numeroUnique,
        rank: demand.rank,
        refus: eligibilite.refus,
      });
      continue;
    }
    const revenu = eligibilite.revenuReference;
    candidates.push({
      demandId: demand.demandId,
      numeroUnique: demand.numeroUnique,
      ordre: candidates.length + 1,
      dalo: demand.facts.situations.dalo.statut === "ACTIF",
      rangCotation: { rank: demand.rank, of: demand.of },
      score: demand.score,
      grille: demand.grid,
      justification:
        `Rang ${demand.rank} sur ${demand.of} (grille ${demand.grid.gridId} v${demand.grid.version}, ${demand.score} points), ` +
        `éligible : revenu ${revenu ? `${revenu.annee} de ${nf.format(revenu.montant)} €` : "?"} pour un plafond de ` +
        `${nf.format(eligibilite.plafond ?? 0)} € (catégorie ${eligibilite.categorieMenage})` +
        (excluded.length > 0 ? `, ${excluded.length} demande(s) mieux classée(s) écartée(s)` : ""),
      eligibilite,
      accordCollectif: demand.facts.situations.accordCollectif,
      facts: demand.facts,
    });
  }
  const result: Shortlist = { candidates, excluded, examined };
  if (candidates.length < wanted) {
    result.exception = {
      code: "INSUFFISANCE_CANDIDATS",
      justification: `${candidates.length} demande(s) éligible(s) sur ${examined} demande(s) classée(s) examinée(s) : moins de ${wanted} candidats possibles`,
    };
  }
  return result;
}

import type { DemandHeader, FactValues } from "../domain/facts.js";
import { catalogue } from "./reference-data.js";

export { prng, type Rng } from "@logis/testing";

import type { Rng } from "@logis/testing";

const pad = (n: number) => String(n).padStart(2, "0");
const codes = (name: string) => catalogue.byName.get(name)?.codes ?? [];

/**
 * A synthetic demand's facts, drawn directly (no form): plausible marginal frequencies, enough
 * variety that every criterion of the reference grids is met by some demands.
 */
export function syntheticFacts(r: Rng, communes: readonly string[]): { header: DemandHeader; facts: FactValues } {
  const occupants = r.int(1, 7);
  const surface = r.chance(0.1) ? 0 : r.int(9, 110);
  const ressources = r.chance(0.08) ? 0 : r.int(300, 4200);
  const loyer = r.chance(0.25) ? 0 : r.int(150, 1200);
  const wished = [r.pick(communes), r.pick(communes), r.pick(communes)];
  const motifs = [...new Set([r.pick(codes("motifs")), ...(r.chance(0.4) ? [r.pick(codes("motifs"))] : [])])];
  return {
    header: {
      dateDepot: `${r.int(2014, 2026)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`,
      communes: [...new Set(wished)],
    },
    facts: {
      dalo: r.chance(0.03) ? "ACTIF" : r.chance(0.02) ? "CADUC" : "NON",
      prioritesL441: r.chance(0.12) ? [r.pick(codes("prioritesL441"))] : [],
      accordCollectif: r.chance(0.04) ? r.pick(["ACD", "ACI"]) : "AUCUN",
      modeleLogement: r.pick(codes("modeleLogement")),
      motifs,
      justificatifs: r.chance(0.2) ? [r.pick(codes("justificatifs")), r.pick(codes("justificatifs"))] : [],
      typologies: [r.pick(["T1", "T2", "T3", "T4", "T5"]), ...(r.chance(0.3) ? [r.pick(["T2", "T3"])] : [])],
      typeContrat: r.pick(codes("typeContrat")),
      handicap: r.chance(0.08),
      violencesFamiliales: r.chance(0.04),
      parentIsole: r.chance(0.15),
      mutation: r.chance(0.3),
      logementAdapteDemande: r.chance(0.05),
      personnes: r.int(1, 7),
      occupants,
      surface,
      surfaceParOccupant: Math.round((surface / occupants) * 100) / 100,
      occupantsAuDelaDesPieces: occupants - r.int(1, 5),
      loyer,
      ressourcesMensuelles: ressources,
      tauxEffort: loyer === 0 ? 0 : ressources === 0 ? 10 : Math.min(10, Math.round((loyer / ressources) * 100) / 100),
      resteAVivreJourUC: Math.round(((ressources - loyer) / 1.5 / 30) * 100) / 100,
      ageDemandeur: r.int(18, 90),
      enfantsMineurs: r.int(0, 4),
      refus12Mois: r.chance(0.05) ? r.int(1, 4) : 0,
      communeTravail: r.chance(0.5) ? r.pick(communes) : r.chance(0.5) ? "75056" : undefined,
    },
  };
}

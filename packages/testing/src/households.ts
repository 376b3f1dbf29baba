import type { DemandFacts } from "@logis/contracts";

/** A household as the registration events carry it; tests change what they need. */
export function household(change: (d: DemandFacts) => void = () => {}): DemandFacts {
  const d: DemandFacts = {
    demandeur: {
      nom: "Martin",
      prenom: "Léa",
      dateNaissance: "1990-05-04",
      situationFamiliale: "C",
      situationProfessionnelle: { typeContrat: "CDI" },
      ressources: { mensuelles: [{ type: "SAL", montant: 1500 }], revenuFiscal: {} },
    },
    personnesACharge: [],
    enfantsEnGarde: [],
    logementActuel: { modele: "LP", loyerMensuel: 400, surface: 40, nombreOccupants: 1, typeLogement: "T2" },
    motifs: [{ code: "09" }],
    souhaits: {
      typologies: ["T2"],
      communes: ["69381"],
      demandeElargie: false,
      categorie: "I",
      logementAdapte: false,
      ascenseurNecessaire: false,
    },
    situations: {
      handicap: false,
      violencesFamiliales: false,
      dalo: { statut: "NON" },
      prioritesL441: [],
      accordCollectif: "AUCUN",
    },
  };
  change(d);
  return d;
}

import { DemandForm, type DemandFormInput } from "@logis/contracts";

/** A complete, valid demand form (a couple with two children, housed by their parents in Lyon). */
export function demandFormInput(overrides: Partial<DemandFormInput> = {}): DemandFormInput {
  return {
    departement: "69",
    demandeur: {
      civilite: "2",
      nom: "Dupont",
      prenom: "Aïcha",
      dateNaissance: "1988-04-12",
      sexe: "F",
      nationalite: "1",
      nir: "288047512345654",
      situationFamiliale: "M",
      situationProfessionnelle: { typeContrat: "CDD", profession: "Aide-soignante", communeTravail: "69383" },
      ressources: { mensuelles: [{ type: "SAL", montant: 1450 }], revenuFiscal: { anneeN2: 2024, montantN2: 16120 } },
    },
    cotitulaire: {
      civilite: "1",
      nom: "Dupont",
      prenom: "Marc",
      dateNaissance: "1985-03-20",
      sexe: "M",
      situationFamiliale: "M",
      situationProfessionnelle: { typeContrat: "CDI" },
      ressources: { mensuelles: [{ type: "SAL", montant: 1720 }], revenuFiscal: {} },
      lienDemandeur: "M",
    },
    personnesACharge: [{ nom: "Dupont", prenom: "Yanis", dateNaissance: "2015-09-03", sexe: "M", lienParente: "E" }],
    contact: {
      adresse: { numero: "12", voie: "rue des Lilas", codePostal: "69008", commune: "69388" },
      telephone: "06 12 34 56 78",
      email: "aicha.dupont@example.org",
    },
    logementActuel: { modele: "CPE", nombreOccupants: 6, surface: 58 },
    motifs: [{ code: "01" }, { code: "13" }],
    souhaits: { typologies: ["T3", "T4"], communes: ["69383", "69388"] },
    situations: {
      handicap: false,
      violencesFamiliales: false,
      dalo: { statut: "NON" },
      prioritesL441: [],
      accordCollectif: "AUCUN",
    },
    sensible: {},
    ...overrides,
  };
}

export const demandForm = (overrides: Partial<DemandFormInput> = {}) => DemandForm.parse(demandFormInput(overrides));

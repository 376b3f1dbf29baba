import type { DemandFacts } from "@logis/contracts";
import { household } from "@logis/testing";
import type { UnitFacts } from "../eligibility.js";

// Test data of the CAL's domain tests (kept in domain/ so that the folder boundary holds).

/** A T3 in Metz (PLUS, 412.50 € a month, second floor with a lift). */
export function metzT3(change: Partial<UnitFacts> = {}): UnitFacts {
  return {
    rplsId: "5700012345",
    idBailleur: "MET-0012",
    commune: "57463",
    adresse: "12 rue Serpenoise",
    codePostal: "57000",
    qpv: false,
    nbPieces: 3,
    surface: 64,
    etage: 2,
    ascenseur: true,
    accessibilite: "accessible",
    anneeConstruction: 1972,
    financement: "PLUS",
    loyer: 412.5,
    typologie: "T3",
    departement: "57",
    ...change,
  };
}

/** A single parent with one child, wishing a T3 in Metz, 24 800 € of 2024 income, 2 100 € a month. */
export function family(change: (d: DemandFacts) => void = () => {}): DemandFacts {
  return household((d) => {
    d.demandeur.ressources = {
      mensuelles: [{ type: "SAL", montant: 2100 }],
      revenuFiscal: { anneeN2: 2024, montantN2: 24800 },
    };
    d.personnesACharge = [{ nom: "Martin", prenom: "Noé", dateNaissance: "2016-03-02", lienParente: "E" }];
    d.souhaits.typologies = ["T3"];
    d.souhaits.communes = ["57463"];
    change(d);
  });
}

import { DemandForm } from "@logis/contracts";
import { describe, expect, it } from "vitest";
import { frDate, isoFromFr } from "../lib/format";
import { issuesByPath } from "../lib/zod-fr";
import { emptyForm, toDemandForm } from "./demand-form";

describe("the registration form", () => {
  it("says in French, field by field, what an empty form lacks", () => {
    const parsed = DemandForm.safeParse(toDemandForm(emptyForm("69")));
    expect(parsed.success).toBe(false);
    const issues = parsed.success ? new Map() : issuesByPath(parsed.error);
    expect(issues.get("demandeur.nom")).toBe("champ obligatoire");
    expect(issues.get("demandeur.situationFamiliale")).toBe("choisissez une valeur de la liste");
    expect(issues.get("motifs")).toBe("au moins un motif");
    expect(issues.get("souhaits.communes")).toBe("au moins une commune souhaitée");
  });

  it("turns what the desk typed into the API's form: French dates and amounts, lists, no empty optional field", () => {
    const state = emptyForm("69");
    Object.assign(state.values, {
      "demandeur.nom": "Martin",
      "demandeur.prenom": "Léa",
      "demandeur.dateNaissance": "4/6/1991",
      "demandeur.situationFamiliale": "C",
      "demandeur.situationProfessionnelle.typeContrat": "CDI",
      "demandeur.ressources.montant": "1 650,50",
      "contact.adresse.voie": "rue Paul Bert",
      "contact.adresse.codePostal": "69003",
      "contact.adresse.commune": "69383",
      "logementActuel.modele": "LP",
      "logementActuel.nombreOccupants": "2",
      "souhaits.communes": "69383; 69388",
    });
    state.motifs = ["02"];
    state.typologies = ["T2"];
    const form = DemandForm.parse(toDemandForm(state));
    expect(form.demandeur.dateNaissance).toBe("1991-06-04");
    expect(form.demandeur.ressources.mensuelles).toEqual([{ type: "SAL", montant: 1650.5 }]);
    expect(form.souhaits.communes).toEqual(["69383", "69388"]);
    expect(form.demandeur.nomNaissance).toBeUndefined();
  });

  it("writes dates dd/mm/yyyy and reads them back", () => {
    expect(frDate("2026-03-15")).toBe("15/03/2026");
    expect(isoFromFr("15/03/2026")).toBe("2026-03-15");
    expect(isoFromFr("2026-03-15")).toBe("2026-03-15");
  });
});

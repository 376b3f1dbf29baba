import { describe, expect, it } from "vitest";
import { loadReferentiel } from "../adapters/files/reference.js";
import { examineEligibility } from "../domain/eligibility.js";
import { inForce } from "../domain/reference.js";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { personnesMaxFor, prefilterFor } from "./candidates.js";

const referentiel = loadReferentiel();
const regles = inForce(referentiel.regles, "2026-03-05");

describe("the prefilter cotation applies for a unit (decision 0011)", () => {
  it("bounds the household by the largest size the typology admits, none when the last line admits it", () => {
    if (!regles) throw new Error("no rules");
    expect(personnesMaxFor(regles, "T1")).toBe(2);
    expect(personnesMaxFor(regles, "T3")).toBe(4);
    expect(personnesMaxFor(regles, "T5")).toBeUndefined();
  });

  it("is never stricter than the eligibility: every household over the bound is refused its typology", () => {
    if (!regles) throw new Error("no rules");
    const unit = metzT3();
    const filter = prefilterFor(unit, regles);
    expect(filter).toMatchObject({ commune: "57463", typologie: "T3", personnesMax: 4, nonAdapte: true });
    for (let children = 0; children <= 6; children++) {
      const facts = family((d) => {
        d.personnesACharge = Array.from({ length: children }, (_, k) => ({
          nom: "Martin",
          prenom: `Enfant ${k}`,
          dateNaissance: "2016-03-02",
          lienParente: "E",
        }));
        d.demandeur.ressources.mensuelles = [{ type: "SAL", montant: 5000 }];
      });
      const refused = examineEligibility(unit, facts, referentiel, "2026-03-05").refus.map((r) => r.regle);
      const persons = 1 + children;
      if (persons > (filter.personnesMax ?? Number.POSITIVE_INFINITY)) expect(refused).toContain("TYPOLOGIE_INADAPTEE");
    }
    expect(filter.effort?.coutMensuel).toBeCloseTo(unit.loyer + 3 * regles.chargesMensuellesParPiece);
  });
});

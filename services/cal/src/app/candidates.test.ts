import { describe, expect, it } from "vitest";
import { loadReferentiel } from "../adapters/files/reference.js";
import { examineEligibility } from "../domain/eligibility.js";
import { inForce } from "../domain/reference.js";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { ceilingsFor, personnesMaxFor, prefilterFor } from "./candidates.js";

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

  it("the income ceilings it sends never leave out a household the eligibility accepts", () => {
    if (!regles) throw new Error("no rules");
    // Cotation's rule (services/cotation/src/engine/classement.ts), restated: a household is left
    // out when its lowest known reference income is above the ceiling of category persons + shared
    // custody children + 2.
    const cotationKeeps = (plafonds: NonNullable<ReturnType<typeof ceilingsFor>>, revenu: number, n: number) => {
      const category = n + 2;
      const sixth = plafonds.categories[5] as number;
      const ceiling =
        category <= 6
          ? (plafonds.categories[category - 1] as number)
          : sixth + (category - 6) * plafonds.parPersonneSupplementaire;
      return revenu <= 0 || revenu <= ceiling;
    };
    let kept = 0;
    let leftOut = 0;
    for (const financement of ["PLAI", "PLUS", "PLS"] as const)
      for (const commune of ["57463", "92012", "91228"]) {
        const unit = metzT3({ financement, commune });
        const plafonds = ceilingsFor(unit, referentiel, "2026-03-05");
        if (!plafonds) throw new Error(`no ceilings for ${financement} ${commune}`);
        expect(prefilterFor(unit, regles, plafonds).plafonds).toBe(plafonds);
        for (let children = 0; children <= 7; children++)
          for (const garde of [0, 2])
            for (const couple of ["none", "young", "old"] as const)
              for (const handicap of [false, true])
                for (const revenu of [9000, 15000, 21000, 26000, 33000, 41000, 52000, 64000, 80000, 120000]) {
                  const facts = family((d) => {
                    d.personnesACharge = Array.from({ length: children }, (_, k) => ({
                      nom: "Martin",
                      prenom: `Enfant ${k}`,
                      dateNaissance: "2016-03-02",
                      lienParente: "E",
                    }));
                    d.enfantsEnGarde = Array.from({ length: garde }, () => ({
                      dateNaissance: "2017-01-01",
                      coParentalite: "G" as const,
                    }));
                    if (couple !== "none")
                      d.cotitulaire = {
                        ...d.demandeur,
                        prenom: "Karim",
                        dateNaissance: couple === "young" ? "2001-01-01" : "1970-01-01",
                        lienDemandeur: "M",
                      };
                    if (couple === "young") d.demandeur.dateNaissance = "2000-06-01";
                    d.situations.handicap = handicap;
                    d.demandeur.ressources.revenuFiscal = {
                      anneeN2: 2024,
                      montantN2: revenu,
                      anneeN1: 2025,
                      montantN1: revenu * 1.05,
                    };
                    if (d.cotitulaire)
                      d.cotitulaire.ressources = {
                        ...d.demandeur.ressources,
                        revenuFiscal: { anneeN2: 2024, montantN2: 0, anneeN1: 2025, montantN1: 0 },
                      };
                  });
                  const verdict = examineEligibility(unit, facts, referentiel, "2026-03-05");
                  const overCeiling = verdict.refus.some((r) => r.regle === "PLAFOND_RESSOURCES");
                  // Cotation's persons: adults, dependants, expected births (not children in shared custody).
                  const persons = 1 + (couple === "none" ? 0 : 1) + children;
                  const keeps = cotationKeeps(plafonds, revenu, persons + garde);
                  if (!overCeiling)
                    expect(
                      keeps,
                      `${financement} ${commune} ${JSON.stringify({ children, garde, couple, handicap, revenu })}`,
                    ).toBe(true);
                  if (keeps) kept++;
                  else leftOut++;
                }
      }
    // The prefilter does cut: the shortlist is not filled with households over every ceiling.
    expect(leftOut).toBeGreaterThan(1000);
    expect(kept).toBeGreaterThan(1000);
  });

  it("no ceilings for a financing without any (PLI): the prefilter keeps every income", () => {
    expect(ceilingsFor(metzT3({ financement: "PLI" }), referentiel, "2026-03-05")).toBeUndefined();
  });
});

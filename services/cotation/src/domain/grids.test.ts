import type { DemandFacts } from "@logis/contracts";
import { household } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { catalogue, loadReferenceGrid, referenceGridNames } from "../testing/reference-data.js";
import { evaluate } from "./evaluate.js";
import { extractFacts, type FactValues } from "./facts.js";
import { validateGrid } from "./validate-grid.js";

const lyon = new Set(["69381", "69382", "69123"]);
const ctx = { epciCommunes: lyon };

const factsOf = (d: DemandFacts, extra: Parameters<typeof extractFacts>[2] = {}, months = 0): FactValues => ({
  ...extractFacts(d, "2026-11-22", extra),
  ancienneteMois: months,
});

describe("the reference grids are expressible and validate", () => {
  it.each(referenceGridNames())("%s validates", (name) => {
    expect(validateGrid(loadReferenceGrid(name).rules, catalogue)).toEqual([]);
  });
});

describe("Rhône / Métropole de Lyon, grille primo-demandeurs (§4.4 A)", () => {
  const { rules } = loadReferenceGrid("rhone-lyon-primo");
  it("reproduces the CSF 69 worked example: expulsion 20 + parent isolé 5 + taux d'effort 10 = 35, no ceiling", () => {
    const d = household((d) => {
      d.motifs = [{ code: "05" }];
      d.personnesACharge = [{ nom: "Martin", prenom: "Lou", dateNaissance: "2018-02-01", lienParente: "E" }];
      d.logementActuel.loyerMensuel = 700;
    });
    const e = evaluate(rules, factsOf(d), ctx);
    expect(e.criteria.map((c) => [c.code, c.points])).toEqual([
      ["MENACE_EXPULSION", 20],
      ["PARENT_ISOLE", 5],
      ["TAUX_EFFORT_ELEVE", 10],
    ]);
    expect(e.score).toBe(35);
  });
  it("a couple with a bearable rent scores nothing", () => {
    const d = household((d) => {
      d.cotitulaire = { ...d.demandeur, prenom: "Paul", lienDemandeur: "M" };
    });
    expect(evaluate(rules, factsOf(d), ctx).score).toBe(0);
  });
});

describe("Ville de Paris (§4.4 B)", () => {
  const { rules } = loadReferenceGrid("paris");
  it("only the higher of 'cesser de cohabiter' (+2) and 'chez ses parents' (+1) counts", () => {
    const d = household((d) => {
      d.logementActuel = { modele: "CPE", nombreOccupants: 3, surface: 60, typeLogement: "T3" };
      d.motifs = [{ code: "12" }];
    });
    const e = evaluate(rules, factsOf(d), ctx);
    expect(e.criteria.map((c) => c.code)).toEqual(["CESSER_COHABITATION"]);
    expect(e.score).toBe(2);
  });
  it("rent burden: above 70 % gives the maximum band, below 33 % nothing", () => {
    const high = household((d) => {
      d.logementActuel.loyerMensuel = 1100;
    });
    const low = household((d) => {
      d.logementActuel.loyerMensuel = 480;
    });
    expect(evaluate(rules, factsOf(high), ctx).criteria).toMatchObject([{ code: "TAUX_EFFORT", points: 3 }]);
    expect(evaluate(rules, factsOf(low), ctx).score).toBe(0);
  });
});

describe("Nice Côte d'Azur penalties (§4.4 D)", () => {
  const { rules } = loadReferenceGrid("nice-penalites");
  const worker = household((d) => {
    d.demandeur.situationProfessionnelle.communeTravail = "69382";
  });
  it("an active household working on the territory gets both bonuses", () => {
    expect(evaluate(rules, factsOf(worker), ctx).score).toBe(20);
  });
  it("repeated refusals cost 20 points each from the second, within a 60-point malus cap, never below 0", () => {
    expect(evaluate(rules, factsOf(worker, { refus12Mois: 1 }), ctx).score).toBe(20);
    const two = evaluate(rules, factsOf(worker, { refus12Mois: 2 }), ctx);
    expect(two.rubriques.find((r) => r.code === "MALUS")).toEqual({ code: "MALUS", points: -40, capped: false });
    expect(two.score).toBe(0);
    const five = evaluate(rules, factsOf(worker, { refus12Mois: 5 }), ctx);
    expect(five.rubriques.find((r) => r.code === "MALUS")).toEqual({ code: "MALUS", points: -60, capped: true });
  });
  it("a violence victim's bonus counts provisionally until the protection order is checked", () => {
    const victim = household((d) => {
      d.situations.violencesFamiliales = true;
    });
    const before = evaluate(rules, factsOf(victim), ctx);
    expect(before.criteria.find((c) => c.code === "VICTIME_VIOLENCES")).toMatchObject({
      points: 30,
      provisional: true,
    });
    const after = evaluate(rules, factsOf(victim, { justificatifs: ["ORDONNANCE_PROTECTION"] }), ctx);
    expect(after.criteria.find((c) => c.code === "VICTIME_VIOLENCES")).toMatchObject({ provisional: false });
  });
});

describe("synthetic reference grid (§4.5)", () => {
  const { rules } = loadReferenceGrid("synthetique");
  it("exclusive rubrics keep their best criterion; seniority is 2 points a month up to 240", () => {
    const d = household((d) => {
      d.situations.dalo = { statut: "ACTIF" };
      d.situations.prioritesL441 = ["PRIO_SANS_LOGEMENT"];
      d.logementActuel = { modele: "HOT", nombreOccupants: 4, surface: 20, typeLogement: "T1" };
      d.motifs = [{ code: "01" }];
    });
    const e = evaluate(rules, factsOf(d, {}, 150), ctx);
    expect(e.criteria.map((c) => [c.code, c.points])).toEqual([
      ["DALO_ACTIF", 300],
      ["STRUCTURE_HEBERGEMENT", 100],
      ["SUROC_FORTE", 50],
      ["ANCIENNETE", 240],
    ]);
    expect(e.score).toBe(690);
  });
  it("an expulsion counts only with its judgement; refusals are a malus; the score never goes below 0", () => {
    const d = household((d) => {
      d.motifs = [{ code: "05" }];
    });
    expect(evaluate(rules, factsOf(d), ctx).criteria.map((c) => c.code)).not.toContain("EXPULSION_JUGEMENT");
    const proven = evaluate(rules, factsOf(d, { justificatifs: ["JUGEMENT_EXPULSION"] }), ctx);
    expect(proven.criteria.map((c) => c.code)).toContain("EXPULSION_JUGEMENT");
    const refused = evaluate(rules, factsOf(d, { refus12Mois: 3 }, 12), ctx);
    expect(refused.rubriques.find((r) => r.code === "MALUS")?.points).toBe(-150);
    expect(refused.score).toBe(0);
  });
  it("work inside the EPCI scores, work outside does not", () => {
    const inside = household((d) => {
      d.demandeur.situationProfessionnelle.communeTravail = "69123";
    });
    const outside = household((d) => {
      d.demandeur.situationProfessionnelle.communeTravail = "75056";
    });
    expect(evaluate(rules, factsOf(inside), ctx).criteria.map((c) => c.code)).toContain("EMPLOI_SUR_EPCI");
    expect(evaluate(rules, factsOf(outside), ctx).criteria.map((c) => c.code)).not.toContain("EMPLOI_SUR_EPCI");
  });
});

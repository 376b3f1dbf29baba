import { household } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { evaluate } from "../domain/evaluate.js";
import { extractFacts, type FactValues } from "../domain/facts.js";
import { catalogue, loadReferenceGrid, referenceGridNames } from "../testing/reference-data.js";
import { prng, syntheticFacts } from "../testing/synthetic.js";
import { explainDemand } from "./explanation.js";

const lyon = new Set(["69381", "69382", "69383", "69123", "69266"]);
const ctx = { epciCommunes: lyon };
const ref = catalogue.referentiels;
const synthetic = loadReferenceGrid("synthetique").rules;
const factsOf = (
  d: Parameters<typeof extractFacts>[0],
  extra: Parameters<typeof extractFacts>[2] = {},
  months = 0,
) => ({
  ...extractFacts(d, "2026-11-22", extra),
  ancienneteMois: months,
});

describe("the explanation owed to the applicant (R441-2-17)", () => {
  it.each(referenceGridNames())(
    "%s: the explained score and retained criteria are the score's, for 2,000 demands",
    (name) => {
      const { rules } = loadReferenceGrid(name);
      const r = prng(11);
      for (let k = 0; k < 2000; k++) {
        const { header, facts } = syntheticFacts(r, [...lyon, "75056"]);
        const all: FactValues = { ...facts, ancienneteMois: Number(header.dateDepot.slice(0, 4)) % 13 };
        const expected = evaluate(rules, all, ctx);
        const explained = explainDemand(rules, all, ctx, ref);
        expect(explained.total.score).toBe(expected.score);
        expect(
          explained.criteres
            .filter((c) => c.statut === "retenu" || c.statut === "retenu_provisoire")
            .map((c) => [c.code, c.points, c.statut === "retenu_provisoire"]),
        ).toEqual(expected.criteria.map((c) => [c.code, c.points, c.provisional]));
      }
    },
  );

  it("names a criterion met but not retained, and why (a better one of the same rubric counted)", () => {
    const d = household((d) => {
      d.logementActuel = { modele: "HOT", nombreOccupants: 3, surface: 18, typeLogement: "T1" };
      d.motifs = [{ code: "03" }];
    });
    const e = explainDemand(synthetic, factsOf(d), ctx, ref);
    expect(e.criteres.find((c) => c.code === "STRUCTURE_HEBERGEMENT")).toMatchObject({ statut: "retenu", points: 100 });
    const indigne = e.criteres.find((c) => c.code === "INDIGNE_NON_DECENT");
    expect(indigne).toMatchObject({ statut: "non_retenu_meilleur", points: 70 });
    expect(indigne?.pourquoi).toContain("« Structure d'hébergement, foyer, hôtel » (100 points)");
  });

  it("says in words what counts provisionally and what waits for a checked piece", () => {
    const d = household((d) => {
      d.motifs = [{ code: "03" }, { code: "06" }];
    });
    const e = explainDemand(synthetic, factsOf(d), ctx, ref);
    expect(e.criteres.find((c) => c.code === "INDIGNE_NON_DECENT")).toMatchObject({
      statut: "retenu_provisoire",
      justificatifsAttendus: ["Arrêté d'insalubrité ou de péril, constat de non-décence"],
    });
    expect(e.criteres.find((c) => c.code === "VIOLENCES")).toMatchObject({
      statut: "en_attente_justificatif",
      justificatifsAttendus: ["Validation par un travailleur social"],
    });
    expect(e.enAttente).toEqual([
      "« Logement indigne ou non décent » compte à titre provisoire (70 points) jusqu'à la vérification de la pièce.",
      "« Violences familiales » n'est pas encore compté : pièce à faire vérifier (Validation par un travailleur social).",
    ]);
    const proven = explainDemand(synthetic, factsOf(d, { justificatifs: ["VALIDATION_TS"] }), ctx, ref);
    expect(proven.criteres.find((c) => c.code === "VIOLENCES")).toMatchObject({ statut: "retenu", points: 150 });
  });

  it("says when a rubric cap or the overall floor changed the score", () => {
    const nice = loadReferenceGrid("nice-penalites").rules;
    const d = household((d) => {
      d.demandeur.situationProfessionnelle.typeContrat = "CHO";
    });
    const e = explainDemand(nice, factsOf(d, { refus12Mois: 4 }), ctx, ref);
    expect(e.rubriques.find((r) => r.code === "MALUS")).toMatchObject({ avantPlafond: -80, points: -60 });
    expect(e.rubriques.find((r) => r.code === "MALUS")?.plafonnement).toBe(
      "La rubrique « Malus » est limitée à 60 points (en valeur absolue) : -80 points ramenés à -60 points.",
    );
    expect(e.total).toMatchObject({ avantBornes: -60, score: 0, plancher: 0 });
    expect(e.total.bornes).toBe("La cotation ne descend pas sous 0 point : -60 points ramenés à 0 point.");
  });

  it("says whether the household belongs to an L441-1 priority category", () => {
    const prio = household((d) => {
      d.situations.prioritesL441 = ["PRIO_EXPULSION"];
    });
    expect(explainDemand(synthetic, factsOf(prio), ctx, ref).prioriteL441).toMatchObject({
      prioritaire: true,
      categories: [{ code: "PRIO_EXPULSION", libelle: "Menacées d'expulsion sans relogement" }],
    });
    expect(explainDemand(synthetic, factsOf(household()), ctx, ref).prioriteL441.prioritaire).toBe(false);
  });
});

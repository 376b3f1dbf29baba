import { GridRules, type GridRulesInput } from "@logis/contracts";
import { describe, expect, it } from "vitest";
import { catalogue } from "../testing/reference-data.js";
import { validateGrid as validate } from "./validate-grid.js";

/** Validation against the reference data as compose.ts loads it. */
const validateGrid = (rules: GridRules) => validate(rules, catalogue);

const grid = (criteres: unknown[], extra: Partial<GridRulesInput> = {}, rubric: object = {}) =>
  GridRules.parse({
    rubriques: [{ code: "RUBRIQUE", libelle: "Rubrique", mode: "sum", criteres, ...rubric }],
    ...extra,
  });
const criterion = (code: string, when: unknown[], points: unknown = { kind: "fixed", points: 10 }) => ({
  code,
  libelle: code,
  when,
  points,
});

describe("a draft grid is refused at save time, naming the criterion and the field", () => {
  it("an unknown fact", () => {
    const issues = validateGrid(grid([criterion("SANS_TOIT", [{ fact: "sansToit", op: "is", value: true }])]));
    expect(issues).toEqual([
      expect.objectContaining({ critere: "SANS_TOIT", path: "rubriques[0].criteres[0].when[0].fact" }),
    ]);
    expect(issues[0]?.message).toContain("sansToit");
  });
  it("an operator that does not suit the fact, and an unknown code", () => {
    const issues = validateGrid(
      grid([
        criterion("CRIT_A", [{ fact: "tauxEffort", op: "is", value: true }]),
        criterion("CRIT_B", [{ fact: "modeleLogement", op: "in", values: ["CHATEAU"] }]),
      ]),
    );
    expect(issues.map((i) => [i.critere, i.path])).toEqual([
      ["CRIT_A", "rubriques[0].criteres[0].when[0].op"],
      ["CRIT_B", "rubriques[0].criteres[1].when[0].values[0]"],
    ]);
  });
  it("impossible ranges: min above max, outside the fact's values, contradictory conditions, overlapping bands", () => {
    const issues = validateGrid(
      grid([
        criterion("INVERSE", [{ fact: "tauxEffort", op: "between", min: 0.5, max: 0.3 }]),
        criterion("HORS_BORNES", [{ fact: "ageDemandeur", op: "gt", value: 150 }]),
        criterion("CONTRADICTOIRE", [
          { fact: "loyer", op: "gt", value: 800 },
          { fact: "loyer", op: "lt", value: 500 },
        ]),
        criterion("TRANCHES", [], {
          kind: "bands",
          fact: "tauxEffort",
          bands: [
            { from: 0.3, to: 0.5, points: 1 },
            { from: 0.4, points: 2 },
          ],
        }),
      ]),
    );
    expect(issues.map((i) => [i.critere, i.path])).toEqual([
      ["INVERSE", "rubriques[0].criteres[0].when[0].min"],
      ["HORS_BORNES", "rubriques[0].criteres[1].when[0].value"],
      ["CONTRADICTOIRE", "rubriques[0].criteres[2].when[1]"],
      ["TRANCHES", "rubriques[0].criteres[3].points.bands[1].from"],
    ]);
  });
  it("unreachable caps: a rubric's, a criterion's and the grid's", () => {
    const rubric = validateGrid(
      grid([criterion("CRIT_A", []), criterion("CRIT_B", [], { kind: "fixed", points: 5 })], {}, { plafond: 20 }),
    );
    expect(rubric).toEqual([expect.objectContaining({ rubrique: "RUBRIQUE", path: "rubriques[0].plafond" })]);
    expect(rubric[0]?.message).toContain("au plus 15 points");
    const perUnit = validateGrid(
      grid([criterion("REFUS", [], { kind: "perUnit", fact: "refus12Mois", pointsPerUnit: -1, cap: 300 })]),
    );
    expect(perUnit).toEqual([
      expect.objectContaining({ critere: "REFUS", path: "rubriques[0].criteres[0].points.cap" }),
    ]);
    const overall = validateGrid(grid([criterion("CRIT_A", [])], { plafond: 11 }));
    expect(overall).toEqual([expect.objectContaining({ path: "plafond" })]);
  });
  it("duplicate codes and unknown proof pieces", () => {
    const issues = validateGrid(
      grid([
        criterion("CRIT_A", []),
        { ...criterion("CRIT_A", []), preuve: { niveau: "justifie", justificatifs: ["PARCHEMIN"] } },
      ]),
    );
    expect(issues.map((i) => i.path)).toEqual([
      "rubriques[0].criteres[1].code",
      "rubriques[0].criteres[1].preuve.justificatifs[0]",
    ]);
  });
  it("a sound grid has no issue", () => {
    expect(validateGrid(grid([criterion("CRIT_A", [{ fact: "handicap", op: "is", value: true }])]))).toEqual([]);
  });
});

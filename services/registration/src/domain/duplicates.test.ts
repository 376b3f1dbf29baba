import { type DemandForm, DemandForm as Schema } from "@logis/contracts";
import { demandForm } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { jaroWinkler, scorePair, searchKeys } from "./duplicates.js";
import { hasTransliteratedLetter, normalizeName } from "./normalize.js";

const withDemandeur = (patch: Partial<DemandForm["demandeur"]>): DemandForm => {
  const f = demandForm();
  return Schema.parse({ ...f, cotitulaire: undefined, demandeur: { ...f.demandeur, nir: undefined, ...patch } });
};

describe("duplicate detection", () => {
  it("compares names without accents, case, spaces or hyphens", () => {
    const a = withDemandeur({ nom: "Lefèvre-Durand", prenom: "Hélène" });
    const b = withDemandeur({ nom: "LEFEVRE DURAND", prenom: "helene" });
    expect(searchKeys(a)).toEqual(searchKeys(b));
    expect(scorePair(a, b)).toEqual({
      score: 0.9,
      reasons: ["mêmes nom, prénom et date de naissance (demandeur / demandeur)"],
    });
  });

  it("compares names as people write them: ligatures and letters without a mark (issue 15)", () => {
    const pairs: [Partial<DemandForm["demandeur"]>, Partial<DemandForm["demandeur"]>][] = [
      [
        { nom: "Cœur", prenom: "Lætitia" },
        { nom: "COEUR", prenom: "Laetitia" },
      ],
      [
        { nom: "Nguyễn", prenom: "Đặng Thị" },
        { nom: "Nguyen", prenom: "Dang Thi" },
      ],
      [
        { nom: "Łukasiewicz", prenom: "Søren" },
        { nom: "Lukasiewicz", prenom: "Soren" },
      ],
      [
        { nom: "Strauß", prenom: "Ĳsbrand" },
        { nom: "Strauss", prenom: "IJsbrand" },
      ],
    ];
    for (const [written, typed] of pairs) {
      const a = withDemandeur(written);
      const b = withDemandeur(typed);
      expect(searchKeys(a)).toEqual(searchKeys(b));
      expect(scorePair(a, b).score).toBe(0.9);
    }
    expect(normalizeName("Lætitia Cœur-d'Œuvre")).toBe("LAETITIACOEURDOEUVRE");
    expect(hasTransliteratedLetter("Lætitia")).toBe(true);
    expect(hasTransliteratedLetter("Hélène")).toBe(false);
  });

  it("scores a NIR match highest, a near name lower, and different birth dates zero", () => {
    const nir = "288047512345654";
    expect(scorePair(withDemandeur({ nir, nom: "Martin" }), withDemandeur({ nir, nom: "Bernard" })).score).toBe(1);
    expect(scorePair(withDemandeur({ nom: "Benali" }), withDemandeur({ nom: "Benalli" })).score).toBe(0.75);
    expect(
      scorePair(withDemandeur({ dateNaissance: "1990-01-01" }), withDemandeur({ dateNaissance: "1990-01-02" })).score,
    ).toBe(0);
  });

  it("gives near names born the same day a shared key, so that registration finds them", () => {
    const shared = (a: DemandForm, b: DemandForm) => searchKeys(a).filter((k) => searchKeys(b).includes(k));
    const benali = withDemandeur({ nom: "Benali", prenom: "Karim", dateNaissance: "1985-03-02" });
    // A typo in the name keeps the first-name block; one in the first name keeps the name block.
    expect(shared(benali, withDemandeur({ nom: "Benalli", prenom: "Karim", dateNaissance: "1985-03-02" }))).toEqual(
      expect.arrayContaining(["nb:BEN|1985-03-02", "pb:KAR|1985-03-02"]),
    );
    expect(shared(benali, withDemandeur({ nom: "Ebnali", prenom: "Karim", dateNaissance: "1985-03-02" }))).toContain(
      "pb:KAR|1985-03-02",
    );
    expect(shared(benali, withDemandeur({ nom: "Benali", prenom: "Kraim", dateNaissance: "1985-03-02" }))).toContain(
      "nb:BEN|1985-03-02",
    );
    // Born another day: nothing in common but nothing stored either (dn: blocks stay out of the table).
    expect(
      shared(benali, withDemandeur({ nom: "Benali", prenom: "Karim", dateNaissance: "1985-03-03" })).filter(
        (k) => !k.startsWith("dn:"),
      ),
    ).toEqual([]);
  });

  it("finds the co-applicant of one demand as the applicant of another", () => {
    const a = demandForm();
    const b = withDemandeur({ nom: "Dupont", prenom: "Marc", dateNaissance: "1985-03-20" });
    expect(scorePair(a, b).reasons[0]).toContain("cotitulaire / demandeur");
  });

  it("jaro-winkler behaves as expected", () => {
    expect(jaroWinkler("MARTHA", "MARHTA")).toBeCloseTo(0.961, 3);
    expect(jaroWinkler("ABC", "XYZ")).toBe(0);
  });
});

import { describe, expect, it } from "vitest";
import { MILLESIME, territoires } from "./index.js";

describe("the official administrative division (COG 2026)", () => {
  const t = territoires();

  it("knows every commune of France with its département and EPCI", () => {
    expect(t.millesime).toBe(MILLESIME);
    expect(t.commune("57463")).toMatchObject({ nom: "Metz", departement: "57", epci: "200039865" });
    expect(t.epciDeCommune("57480")?.nom).toBe("Metz Métropole");
    expect(t.departement("57")?.nom).toBe("Moselle");
    expect(t.departement("2A")?.nom).toBe("Corse-du-Sud");
    expect(t.communesDuDepartement("57").length).toBeGreaterThan(700);
    // Moselle's EPCIs, among them the Thionville and Forbach agglomerations.
    const moselle = t.epcisDuDepartement("57").map((e) => e.nom);
    expect(moselle).toContain("Metz Métropole");
    expect(moselle.length).toBeGreaterThan(15);
  });

  it("a municipal arrondissement belongs to its commune's EPCI; a former code leads to the commune it joined", () => {
    expect(t.commune("69381")).toMatchObject({ nom: "Lyon 1er Arrondissement", communeParente: "69123" });
    expect(t.epciDeCommune("69381")?.code).toBe(t.epciDeCommune("69123")?.code);
    expect(t.epci("200046977")?.communes).toEqual(expect.arrayContaining(["69123", "69381", "69389"]));
    expect(t.epcis().length).toBeGreaterThan(1200);
    // Metz absorbed nothing recently, but its record lists former codes: they resolve to Metz.
    expect(t.commune("57094")?.code).toBe("57463");
    expect(t.commune("99999")).toBeUndefined();
    expect(t.libelleCommune("57463")).toBe("Metz (57)");
    expect(t.libelleCommune("99999")).toBe("99999");
  });
});

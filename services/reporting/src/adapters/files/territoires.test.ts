import { describe, expect, it } from "vitest";
import { HORS_REFERENTIEL } from "../../domain/territory.js";
import { officialTerritory } from "./territoires.js";

describe("reporting's territory is the official division (COG)", () => {
  const territory = officialTerritory();

  it("places a commune, an arrondissement and a merged commune's former code in their EPCI", () => {
    expect(territory.epciOf("57463")).toBe("200039865"); // Metz → Metz Métropole
    expect(territory.epciName("200039865")).toBe("Metz Métropole");
    expect(territory.epciOf("69383")).toBe("200046977"); // Lyon 3e → Métropole de Lyon
    expect(territory.communesOf("200039865")?.has("57463")).toBe(true);
    expect(territory.communesOf("200039865")?.size).toBeGreaterThan(40);
  });

  it("reaches any EPCI of France, not only the demo ones", () => {
    const rennes = territory.epciOf("35238");
    expect(rennes).not.toBe(HORS_REFERENTIEL);
    expect(territory.epciName(rennes)).toMatch(/Rennes/);
    expect(territory.departementsOfEpci(rennes)).toEqual(["35"]);
    expect(territory.departementName("57")).toBe("Moselle");
  });

  it("an unknown or missing commune is outside the referential", () => {
    expect(territory.epciOf("99999")).toBe(HORS_REFERENTIEL);
    expect(territory.epciOf(undefined)).toBe(HORS_REFERENTIEL);
    expect(territory.communesOf("000000000")).toBeUndefined();
  });
});

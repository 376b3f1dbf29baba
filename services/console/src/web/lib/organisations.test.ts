import { describe, expect, it } from "vitest";
import { entryOf, epciName, type OrganisationEntry, organisationName } from "./organisations";

const renamed: OrganisationEntry[] = [
  {
    id: "org_a",
    nature: "bailleur",
    nom: "Office public de l'habitat de Metz",
    validFrom: "2010-01-01",
    validTo: "2018-12-31",
  },
  { id: "org_a", nature: "bailleur", nom: "Moselis", validFrom: "2019-01-01" },
];

describe("the organisations' directory", () => {
  it("names an organisation by the name in force on the day asked", () => {
    expect(entryOf(renamed, "org_a", "2017-06-01")?.nom).toBe("Office public de l'habitat de Metz");
    expect(entryOf(renamed, "org_a", "2018-12-31")?.nom).toBe("Office public de l'habitat de Metz");
    expect(entryOf(renamed, "org_a", "2019-01-01")?.nom).toBe("Moselis");
  });

  it("knows no organisation before its first name, nor an id it does not list", () => {
    expect(entryOf(renamed, "org_a", "2009-12-31")).toBeUndefined();
    expect(entryOf(renamed, "org_b", "2020-01-01")).toBeUndefined();
  });

  it("reads the console's directory: landlords, reservers and the State by name, an unknown id as it is", () => {
    expect(organisationName("org_demo_bailleur_57")).toBe("Moselis");
    expect(organisationName("org_demo_action_logement")).toBe("Action Logement Services");
    expect(organisationName("org_demo_ddets_57")).toBe("DDETS de la Moselle");
    expect(organisationName("org_sim_batigere")).toBe("Batigère"); // a landlord of the simulated year, no demo user
    expect(organisationName("org_inconnue")).toBe("org_inconnue");
  });

  it("names an EPCI from its SIREN, with the SIREN beside it, and says 'EPCI' for one it does not list", () => {
    expect(epciName("200039865")).toBe("Metz Métropole (200039865)");
    expect(epciName("245701362")).toBe("CA Portes de France-Thionville (245701362)");
    expect(epciName("999999999")).toBe("EPCI 999999999");
  });
});

import { writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { communesOf } from "../domain/referentiel.js";
import { loadReferentiel } from "./referentiel-file.js";

describe("flux's referential", () => {
  it("lists the Moselle landlords of the year simulation beside the demo ones", async () => {
    const referentiel = await loadReferentiel();
    expect(referentiel.bailleurs.map((b) => b.id)).toEqual(
      expect.arrayContaining([
        "org_demo_bailleur_57",
        "org_sim_metz_habitat_territoire",
        "org_sim_batigere",
        "org_sim_vivest",
        "org_sim_sem_nord_lorraine",
      ]),
    );
  });

  it("gives EPCI staff every commune of their EPCI from the official division, not a hand-kept excerpt", async () => {
    const referentiel = await loadReferentiel();
    const metzMetropole = communesOf(referentiel, ["200039865"]);
    expect(metzMetropole.has("57463")).toBe(true); // Metz
    expect(metzMetropole.has("57480")).toBe(true); // Montigny-lès-Metz
    expect(metzMetropole.size).toBeGreaterThan(40);
    expect(metzMetropole.has("57672")).toBe(false); // Thionville: another EPCI
    expect(communesOf(referentiel, ["200046977"]).has("69381")).toBe(true); // Lyon 1er, Métropole de Lyon
    // Only the départements where a listed landlord works.
    expect(referentiel.epcis.some((e) => e.communes.some((c) => c.startsWith("35")))).toBe(false);
  });

  it("lets a deployment replace an official EPCI by listing it", async () => {
    const path = join(tmpdir(), `referentiel-${process.pid}.json`);
    await writeFile(
      path,
      JSON.stringify({
        version: "2026-11-30",
        bailleurs: [{ id: "org_b", nom: "Bailleur", departements: ["57"] }],
        epcis: [{ siren: "200039865", nom: "Metz Métropole (périmètre local)", communes: ["57463"] }],
      }),
    );
    const referentiel = await loadReferentiel(path);
    expect([...communesOf(referentiel, ["200039865"])]).toEqual(["57463"]);
    expect(referentiel.epcis.filter((e) => e.siren === "200039865")).toHaveLength(1);
  });
});

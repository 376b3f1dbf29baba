import { describe, expect, it } from "vitest";
import { loadReferentiel } from "../adapters/files/reference.js";
import { type RankedDemand, shortlist } from "./shortlist.js";
import { family, metzT3 } from "./testing/fixtures.js";

const referentiel = loadReferentiel();
const on = "2026-11-20";
const grid = { gridId: "grd_200039865_unique", version: 2 };
const ranked = (n: number, change: Parameters<typeof family>[0] = () => {}): RankedDemand => ({
  demandId: `dem_${String(n).padStart(3, "0")}`,
  numeroUnique: `5711260000000${String(n).padStart(3, "0")}KX`,
  rank: n,
  of: 240,
  score: 100 - n,
  grid,
  facts: family(change),
});
const rich = (d: Parameters<NonNullable<Parameters<typeof family>[0]>>[0]) => {
  d.demandeur.ressources.revenuFiscal = { anneeN2: 2024, montantN2: 45000 };
};
const elsewhere = (d: Parameters<NonNullable<Parameters<typeof family>[0]>>[0]) => {
  d.souhaits.communes = ["57672"];
};

describe("the shortlist of a unit: the best-ranked eligible demands", () => {
  it("walks the ranking in order and keeps the first three eligible, saying who was left out and why", () => {
    const stock = [ranked(5), ranked(2, rich), ranked(1), ranked(4), ranked(3, elsewhere), ranked(6)];
    const list = shortlist(metzT3(), stock, referentiel, on, 3);
    expect(list.candidates.map((c) => [c.ordre, c.demandId, c.rangCotation.rank])).toEqual([
      [1, "dem_001", 1],
      [2, "dem_004", 4],
      [3, "dem_005", 5],
    ]);
    expect(list.excluded.map((e) => [e.demandId, e.refus.map((r) => r.regle)])).toEqual([
      ["dem_002", ["PLAFOND_RESSOURCES"]],
      ["dem_003", ["COMMUNE_NON_SOUHAITEE"]],
    ]);
    expect(list.examined).toBe(5);
    expect(list.exception).toBeUndefined();
    expect(list.candidates[1]?.justification).toMatch(
      /^Rang 4 sur 240 \(grille grd_200039865_unique v2, 96 points\), éligible : revenu 2024 de 24\s800 € pour un plafond de 37\s584 € \(catégorie 3\), 2 demande\(s\) mieux classée\(s\) écartée\(s\)$/,
    );
  });

  it("ties on rank are broken by demand id, so the list is the same whatever the input order", () => {
    const a = { ...ranked(1), demandId: "dem_b" };
    const b = { ...ranked(1), demandId: "dem_a" };
    expect(shortlist(metzT3(), [a, b], referentiel, on, 1).candidates[0]?.demandId).toBe("dem_a");
    expect(shortlist(metzT3(), [b, a], referentiel, on, 1).candidates[0]?.demandId).toBe("dem_a");
  });

  it("fewer than three eligible among the whole ranking: the exception is stated with the counts", () => {
    const list = shortlist(metzT3(), [ranked(1), ranked(2, rich), ranked(3)], referentiel, on, 3);
    expect(list.candidates).toHaveLength(2);
    expect(list.exception).toEqual({
      code: "INSUFFISANCE_CANDIDATS",
      justification:
        "2 demande(s) éligible(s) sur 3 demande(s) classée(s) examinée(s) : moins de 3 candidats possibles",
    });
  });

  it("keeps the DALO status and the collective agreement for the attribution data", () => {
    const dalo = ranked(1, (d) => {
      d.situations.dalo = { statut: "ACTIF", dateDecision: "2026-05-01" };
      d.situations.accordCollectif = "ACD";
    });
    expect(shortlist(metzT3(), [dalo], referentiel, on, 3).candidates[0]).toMatchObject({
      dalo: true,
      accordCollectif: "ACD",
    });
  });
});

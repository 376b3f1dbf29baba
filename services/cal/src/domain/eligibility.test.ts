import { describe, expect, it } from "vitest";
import { loadReferentiel } from "../adapters/files/reference.js";
import { ceilingOf, examineEligibility, householdOf, referenceIncome } from "./eligibility.js";
import { inForce, zoneOf } from "./reference.js";
import { family, metzT3 } from "./testing/fixtures.js";

const ref = loadReferentiel();
const on = "2026-11-20";
const rules = (on: string) => {
  const r = inForce(ref.regles, on);
  if (!r) throw new Error("no rules");
  return r;
};

describe("household category (persons, dependants, shared custody, young couple, handicap)", () => {
  const cat = (change: Parameters<typeof family>[0]) => householdOf(family(change), on, 55).categorie;
  const couple = (birth: string) => (d: Parameters<NonNullable<Parameters<typeof family>[0]>>[0]) => {
    d.personnesACharge = [];
    d.cotitulaire = { ...d.demandeur, prenom: "Karim", dateNaissance: birth, lienDemandeur: "M" };
  };

  it("one person alone is category 1, with a handicap category 2", () => {
    expect(cat((d) => (d.personnesACharge = []))).toBe(1);
    expect(
      cat((d) => {
        d.personnesACharge = [];
        d.situations.handicap = true;
      }),
    ).toBe(2);
  });

  it("one person with one dependant is category 3 (not 2)", () => {
    expect(cat(() => {})).toBe(3);
  });

  it("a couple without dependant is 2, a young couple (ages summing to 55 or less) is 3", () => {
    expect(cat(couple("1960-01-01"))).toBe(2);
    const young = (d: Parameters<NonNullable<Parameters<typeof family>[0]>>[0]) => {
      couple("2000-01-01")(d);
      d.demandeur.dateNaissance = "1999-06-01";
    };
    expect(cat(young)).toBe(3);
  });

  it("a child in shared custody counts, a visiting-rights child does not; an expected child counts", () => {
    expect(cat((d) => d.enfantsEnGarde.push({ dateNaissance: "2018-01-01", coParentalite: "G" }))).toBe(4);
    expect(cat((d) => d.enfantsEnGarde.push({ dateNaissance: "2018-01-01", coParentalite: "D" }))).toBe(3);
    expect(cat((d) => (d.naissanceAttendue = { nombre: 1, dateNaissancePrevue: "2027-02-01" }))).toBe(4);
  });

  it("beyond six: the sixth category plus one amount per extra person", () => {
    const table = inForce(ref.plafonds, on);
    if (!table) throw new Error("no table");
    expect(ceilingOf(table, "PLUS", "autres", 6)).toBe(60156);
    expect(ceilingOf(table, "PLUS", "autres", 8)).toBe(60156 + 2 * 6710);
    expect(ceilingOf(table, "PLS", "autres", 1)).toBe(Math.round(23403 * 1.3));
  });
});

describe("reference income: N-2, or N-1 when at least 10 % lower", () => {
  const withIncome = (n2: number, n1?: number) =>
    family((d) => {
      d.demandeur.ressources.revenuFiscal = { anneeN2: 2024, montantN2: n2, anneeN1: 2025, montantN1: n1 };
    });
  it("keeps N-2 when N-1 is less than 10 % lower", () => {
    expect(referenceIncome(withIncome(30000, 27500), 2026, 0.1)).toEqual({ annee: 2024, montant: 30000 });
  });
  it("takes N-1 when it is at least 10 % lower", () => {
    expect(referenceIncome(withIncome(30000, 27000), 2026, 0.1)).toEqual({ annee: 2025, montant: 27000 });
  });
});

describe("eligibility of a household for a unit: each refusal names its rule and figures", () => {
  it("a household under the PLUS ceiling, suited and wishing the unit, is eligible", () => {
    const verdict = examineEligibility(metzT3(), family(), ref, on);
    expect(verdict).toMatchObject({
      eligible: true,
      categorieMenage: 3,
      plafond: 37584,
      tablePlafonds: "plafonds-2026",
    });
  });

  it("above the PLUS ceiling: refused with the income, the ceiling, the zone and the category", () => {
    const rich = family((d) => (d.demandeur.ressources.revenuFiscal = { anneeN2: 2024, montantN2: 41000 }));
    const verdict = examineEligibility(metzT3(), rich, ref, on);
    expect(verdict.eligible).toBe(false);
    expect(verdict.refus[0]).toMatchObject({
      regle: "PLAFOND_RESSOURCES",
      chiffres: { revenu: 41000, plafond: 37584, zone: "autres", categorie: 3, depassement: 3416 },
    });
    expect(verdict.refus[0]?.message).toMatch(
      /41\s000 €.*plafond PLUS 2026 \(autres régions, catégorie 3\).*37\s584 €/,
    );
    // The same household fits a PLS unit (PLUS × 1.30).
    expect(examineEligibility(metzT3({ financement: "PLS" }), rich, ref, on).eligible).toBe(true);
  });

  it("PLAI: the household above the PLAI ceiling is refused with the PLAI figures, in 2025 and in 2026", () => {
    const plai = metzT3({ financement: "PLAI" });
    const verdict2025 = examineEligibility(plai, family(), ref, "2025-06-02");
    expect(verdict2025.refus.map((r) => r.regle)).toEqual(["PLAFOND_RESSOURCES"]);
    expect(verdict2025.plafond).toBe(22356);
    const verdict2026 = examineEligibility(plai, family(), ref, on);
    expect(verdict2026.refus.map((r) => r.regle)).toEqual(["PLAFOND_RESSOURCES"]);
    expect(verdict2026).toMatchObject({ plafond: 22550, tablePlafonds: "plafonds-2026" });
    const modest = family((d) => (d.demandeur.ressources.revenuFiscal = { anneeN2: 2024, montantN2: 21000 }));
    expect(examineEligibility(plai, modest, ref, on).refus.map((r) => r.regle)).not.toContain("PLAFOND_RESSOURCES");
  });

  it("every year's table has a ceiling for each financing, zone and category (no unit refused for a gap)", () => {
    for (const table of ref.plafonds) {
      for (const financement of ["PLAI", "PLUS", "PLS"] as const) {
        for (const zone of ["paris_limitrophes", "ile_de_france", "autres"] as const) {
          for (let categorie = 1; categorie <= 8; categorie++) {
            const ceiling = ceilingOf(table, financement, zone, categorie);
            expect(ceiling, `${table.id} ${financement} ${zone} ${categorie}`).toBeGreaterThan(0);
          }
        }
      }
      // PLAI < PLUS < PLS in every zone, and a larger household never has a lower ceiling.
      for (const zone of ["paris_limitrophes", "ile_de_france", "autres"] as const) {
        for (let categorie = 1; categorie <= 7; categorie++) {
          const plai = ceilingOf(table, "PLAI", zone, categorie) ?? 0;
          expect(plai).toBeLessThan(ceilingOf(table, "PLUS", zone, categorie) ?? 0);
          expect(ceilingOf(table, "PLUS", zone, categorie) ?? 0).toBeLessThan(
            ceilingOf(table, "PLS", zone, categorie) ?? 0,
          );
          expect(ceilingOf(table, "PLAI", zone, categorie + 1) ?? 0).toBeGreaterThanOrEqual(plai);
        }
      }
    }
  });

  it("a year without a table says so (no ceiling in force) rather than guessing", () => {
    const plai = metzT3({ financement: "PLAI" });
    expect(examineEligibility(plai, family(), ref, "2027-01-04").refus[0]?.regle).toBe("REFERENTIEL_MANQUANT");
  });

  it("the zone of a commune: Paris and its limitrophe communes, Île-de-France, the other regions", () => {
    expect(Object.keys(ref.zones.communes)).toHaveLength(29);
    expect(zoneOf(ref.zones, "92012")).toBe("paris_limitrophes");
    expect(zoneOf(ref.zones, "75056")).toBe("paris_limitrophes");
    expect(zoneOf(ref.zones, "92002")).toBe("ile_de_france");
    expect(zoneOf(ref.zones, "57463")).toBe("autres");
  });

  it("typology against household size, wished typology and wished communes", () => {
    const verdict = examineEligibility(metzT3({ typologie: "T5", nbPieces: 5, loyer: 500 }), family(), ref, on);
    expect(verdict.refus.map((r) => r.regle)).toEqual(["TYPOLOGIE_INADAPTEE", "TYPOLOGIE_NON_SOUHAITEE"]);
    expect(verdict.refus[0]?.chiffres).toMatchObject({ typologie: "T5", personnes: 2, admises: "T1,T2,T3" });
    const elsewhere = examineEligibility(metzT3({ commune: "57672" }), family(), ref, on);
    expect(elsewhere.refus).toEqual([expect.objectContaining({ regle: "COMMUNE_NON_SOUHAITEE" })]);
    const wide = family((d) => (d.souhaits.demandeElargie = true));
    expect(examineEligibility(metzT3({ commune: "57672" }), wide, ref, on).eligible).toBe(true);
  });

  it("adapted housing needs: an adapted unit, a lift above the ground floor", () => {
    const needs = family((d) => {
      d.souhaits.logementAdapte = true;
      d.souhaits.ascenseurNecessaire = true;
    });
    const verdict = examineEligibility(metzT3({ ascenseur: false }), needs, ref, on);
    expect(verdict.refus.map((r) => r.regle)).toEqual(["LOGEMENT_NON_ADAPTE", "ASCENSEUR_NECESSAIRE"]);
    expect(examineEligibility(metzT3({ accessibilite: "adapte" }), needs, ref, on).eligible).toBe(true);
  });

  it("rent burden and remaining income thresholds come from the rules, with the figures", () => {
    const poor = family((d) => (d.demandeur.ressources.mensuelles = [{ type: "RSA", montant: 900 }]));
    const verdict = examineEligibility(metzT3(), poor, ref, on);
    expect(verdict.refus.map((r) => r.regle)).toEqual(["TAUX_EFFORT", "RESTE_A_VIVRE"]);
    expect(verdict.refus[0]?.chiffres).toMatchObject({ loyer: 412.5, charges: 105, ressources: 900, max: 0.35 });
    expect(verdict.refus[0]?.message).toMatch(/Taux d.effort de 57,5 %/);
    const lenient = { ...ref, regles: [{ ...rules(on), tauxEffortMax: null, resteAVivreMinParUCJour: null }] };
    expect(examineEligibility(metzT3(), poor, lenient, on).eligible).toBe(true);
  });

  it("missing N-2 income is a refusal of its own (a piece to ask for)", () => {
    const unknown = family((d) => (d.demandeur.ressources.revenuFiscal = {}));
    expect(examineEligibility(metzT3(), unknown, ref, on).refus[0]).toMatchObject({ regle: "REVENU_FISCAL_MANQUANT" });
  });
});

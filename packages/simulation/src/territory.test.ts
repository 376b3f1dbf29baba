import { DemandForm, LogementDeclare } from "@logis/contracts";
import { describe, expect, it } from "vitest";
import { plafondPlus } from "./households.js";
import { demandsCsv, numeroUniqueOf, unitsCsv } from "./interchange.js";
import { designate, planYear, TAUX } from "./plan.js";
import { loadPlafonds, loadReferentiel } from "./reference.js";
import { generateTerritory } from "./territory.js";

const referentiel = loadReferentiel();
const plafonds = loadPlafonds("2026-01-01");
const territory = (graine: number, taille: "mini" | "petite" = "petite") =>
  generateTerritory({ referentiel, plafonds, graine, taille, debut: "2025-11-29", fin: "2026-11-29" });

describe("the synthetic Moselle territory", () => {
  const t = territory(57);

  it("is the same for the same seed, and another for another seed", () => {
    const again = territory(57);
    expect(again.demandes.map((d) => d.form)).toEqual(t.demandes.map((d) => d.form));
    expect(again.logements).toEqual(t.logements);
    expect(territory(58).demandes.map((d) => d.form)).not.toEqual(t.demandes.map((d) => d.form));
  });

  it("uses the real INSEE codes and SIREN of its referential, which the services know for Metz", () => {
    const communes = new Set(referentiel.communes.map((c) => c.insee));
    expect(communes.has("57463")).toBe(true); // Metz
    expect(communes.has("57672")).toBe(true); // Thionville
    expect(referentiel.epcis.map((e) => e.siren)).toContain("200039865"); // Metz Métropole
    for (const c of referentiel.communes) expect(referentiel.epcis.some((e) => e.siren === c.epci)).toBe(true);
    for (const l of t.logements) expect(communes.has(l.commune)).toBe(true);
    for (const d of t.demandes) for (const c of d.form.souhaits.communes) expect(communes.has(c)).toBe(true);
  });

  it("draws valid forms and RPLS-shaped units, as the services' contracts parse them", () => {
    for (const d of t.demandes) {
      const parsed = DemandForm.safeParse(d.form);
      expect(parsed.success, JSON.stringify(parsed.error?.issues[0])).toBe(true);
    }
    for (const l of t.logements) expect(LogementDeclare.safeParse(l).success).toBe(true);
    expect(new Set(t.logements.map((l) => l.rplsId)).size).toBe(t.logements.length);
  }, 60_000);

  it("keeps household sizes, incomes, priorities and transfers within realistic bounds", () => {
    const n = t.demandes.length;
    const share = (f: (d: (typeof t.demandes)[number]) => boolean) => t.demandes.filter(f).length / n;
    expect(share((d) => d.personnes === 1)).toBeGreaterThan(0.33);
    expect(share((d) => d.personnes === 1)).toBeLessThan(0.5);
    expect(share((d) => d.personnes >= 5)).toBeLessThan(0.15);
    expect(share((d) => d.mutation)).toBeGreaterThan(0.24);
    expect(share((d) => d.mutation)).toBeLessThan(0.36);
    expect(share((d) => d.priorite === "dalo")).toBeGreaterThan(0.01);
    expect(share((d) => d.priorite === "dalo")).toBeLessThan(0.06);
    expect(share((d) => d.priorite !== undefined)).toBeLessThan(0.25);
    // Most households under the PLUS ceiling, about half under the PLAI level, a few above.
    expect(share((d) => d.ratioPlafond <= 1)).toBeGreaterThan(0.9);
    expect(share((d) => d.ratioPlafond <= 0.6)).toBeGreaterThan(0.45);
    for (const d of t.demandes) {
      expect(d.revenuFiscal).toBe(Math.round(plafondPlus(plafonds, d.personnes) * d.ratioPlafond));
      expect(d.form.demandeur.ressources?.revenuFiscal?.montantN2).toBe(d.revenuFiscal);
    }
  });

  it("places the stock before the year and the new demands within it", () => {
    const stock = t.demandes.filter((d) => !d.nouvelle);
    const nouvelles = t.demandes.filter((d) => d.nouvelle);
    expect(nouvelles.length).toBe(500);
    for (const d of stock) expect(d.depotLe < t.debut).toBe(true);
    for (const d of nouvelles) expect(d.depotLe >= t.debut && d.depotLe < t.fin).toBe(true);
    for (const d of stock) {
      expect(d.anniversaire !== undefined && d.anniversaire >= t.debut && d.anniversaire < t.fin).toBe(true);
      if (d.renouvelle) expect(d.renouveleLe).toBe(d.anniversaire);
      else if (d.renouveleLe) expect(d.renouveleLe < t.debut && d.renouveleLe > d.depotLe).toBe(true);
    }
    const renewed = stock.filter((d) => d.renouvelle).length / stock.length;
    expect(renewed).toBeGreaterThan(0.75);
    expect(renewed).toBeLessThan(0.89);
  });

  it("builds much of the stock before 1975 and finances it PLAI, PLUS or PLS", () => {
    const old = t.logements.filter((l) => l.anneeConstruction < 1975).length / t.logements.length;
    expect(old).toBeGreaterThan(0.4);
    expect(new Set(t.logements.map((l) => l.financement))).toEqual(new Set(["PLAI", "PLUS", "PLS"]));
    expect(t.logements.some((l) => l.qpv)).toBe(true);
  });
});

describe("the landlords and their conventions", () => {
  const t = territory(57);
  const legal = (bailleurId: string, types: string[], fondement?: string) =>
    t.conventions
      .filter((c) => c.bailleurId === bailleurId && types.includes(c.type) && (!fondement || c.fondement === fondement))
      .reduce((s, c) => s + c.pourcentage, 0);

  it("spreads the stock over several landlords of the real kinds, each by its share in the EPCI", () => {
    expect(new Set(t.bailleurs.map((b) => b.type))).toEqual(new Set(["OPH", "ESH", "SEM"]));
    const epciOf = new Map(referentiel.communes.map((c) => [c.insee, c.epci]));
    for (const b of t.bailleurs) expect(t.logements.some((l) => l.bailleurId === b.id)).toBe(true);
    for (const l of t.logements) {
      const b = t.bailleurs.find((x) => x.id === l.bailleurId);
      expect(b?.parts[epciOf.get(l.commune) ?? ""], `${l.rplsId} de ${l.bailleurId}`).toBeGreaterThan(0);
    }
    // In Metz Métropole, Metz Habitat Territoire (45 of 100 shares) holds far more than Vivest (10).
    const metz = t.logements.filter((l) => epciOf.get(l.commune) === "200039865");
    const count = (id: string) => metz.filter((l) => l.bailleurId === id).length;
    expect(count("org_sim_metz_habitat_territoire")).toBeGreaterThan(3 * count("org_sim_vivest"));
    // Vivest has nothing in Sarrebourg; the SEM nothing in Forbach.
    expect(t.logements.some((l) => l.bailleurId === "org_sim_vivest" && epciOf.get(l.commune) === "200068146")).toBe(
      false,
    );
  });

  it("gives each landlord its conventions with the State, Action Logement and collectivities, within the legal caps", () => {
    for (const b of t.bailleurs) {
      const kinds = new Set(t.conventions.filter((c) => c.bailleurId === b.id).map((c) => c.type));
      expect(kinds).toContain("prefet_prioritaires");
      expect(kinds).toContain("prefet_agents");
      expect(kinds).toContain("action_logement");
      expect(legal(b.id, ["prefet_prioritaires", "prefet_agents"])).toBeLessThanOrEqual(30);
      expect(legal(b.id, ["prefet_agents"])).toBeLessThanOrEqual(5);
      expect(legal(b.id, ["commune", "epci"], "garantie_emprunt")).toBeLessThanOrEqual(20);
      // Something stays the landlord's own.
      expect(t.conventions.filter((c) => c.bailleurId === b.id).reduce((s, c) => s + c.pourcentage, 0)).toBeLessThan(
        100,
      );
    }
    expect(t.conventions.some((c) => c.type === "epci" && c.epci === "200039865")).toBe(true);
  });

  it("keeps a collectivity's convention out of a territory without it (Metz Métropole alone: no Ville de Thionville)", () => {
    const mini = territory(3, "mini");
    expect(mini.conventions.some((c) => c.id === "org_ville_thionville")).toBe(false);
    expect(mini.conventions.some((c) => c.id === "org_ville_metz")).toBe(true);
    for (const l of mini.logements) expect(mini.bailleurs.some((b) => b.id === l.bailleurId)).toBe(true);
  });
});

describe("the year's plan", () => {
  const t = territory(57);
  const plan = planYear(t);

  it("frees about one unit in ten, in the year, in order", () => {
    const rate = plan.liberations.length / t.logements.length;
    expect(rate).toBeGreaterThan(TAUX.rotation - 0.02);
    expect(rate).toBeLessThan(TAUX.rotation + 0.02);
    for (const l of plan.liberations) expect(l.libereLe >= t.debut && l.libereLe < t.fin).toBe(true);
    expect(plan.liberations.map((l) => l.libereLe)).toEqual(plan.liberations.map((l) => l.libereLe).sort());
    expect(plan.mois).toHaveLength(12);
    expect(plan.mois[0]?.debut).toBe(t.debut);
    expect(plan.mois.at(-1)?.fin).toBe(t.fin);
  });

  it("lets the préfet's contingent designate its priority publics first, DALO before the others", () => {
    const l = plan.liberations[0]?.logement;
    if (!l) throw new Error("no freed unit");
    const epciOf = (insee: string) => referentiel.communes.find((c) => c.insee === insee)?.epci;
    const pool = t.demandes.filter((d) => d.form.souhaits.communes.includes(l.commune));
    const { candidats, publicPropre } = designate("prefet_prioritaires", l, pool, epciOf, "2026-06-01");
    if (publicPropre) {
      for (const c of candidats) expect(c.priorite).toBeDefined();
      const order = { dalo: 0, sortie_hebergement: 1, critere_dalo: 2, situation_particuliere: 3 };
      const ranks = candidats.map((c) => order[c.priorite as keyof typeof order]);
      expect(ranks).toEqual([...ranks].sort());
    }
    const bailleur = designate("bailleur", l, pool, epciOf, "2026-06-01").candidats;
    expect(bailleur.length).toBeGreaterThan(0);
    for (const c of bailleur) expect(c.form.souhaits.communes.includes(l.commune)).toBe(true);
  });
});

describe("the exchange files", () => {
  it("gives numéros uniques with the registration's check key, starting with the département", () => {
    const n = numeroUniqueOf("57", "2024-03-15", 12);
    expect(n).toMatch(/^0570324800000012[A-Z]{2}$/);
    expect(numeroUniqueOf("57", "2024-03-15", 13)).not.toBe(n);
  });

  it("writes the stock and the housing stock as `;` CSV with one line per record", () => {
    const t = territory(3, "mini");
    const stock = t.demandes
      .filter((d) => !d.nouvelle)
      .map((demande) => ({ demande, numero: numeroUniqueOf("57", demande.depotLe, demande.rang) }));
    const csv = demandsCsv(stock).trimEnd().split("\n");
    expect(csv).toHaveLength(stock.length + 1);
    expect(csv[0]?.split(";")).toContain("dateCreationDemande");
    const units = unitsCsv(t.logements).trimEnd().split("\n");
    expect(units).toHaveLength(t.logements.length + 1);
    expect(units[1]?.split(";")[5]).toMatch(/^(oui|non)$/);
  });
});

import { describe, expect, it } from "vitest";
import { type LeaseFact, QuotaParameters, quotas, suivi } from "./quotas.js";

const lease = (over: Partial<LeaseFact>): LeaseFact => ({
  signeLe: "2026-03-01",
  epci: "200046977",
  reservataireId: "org_demo_action_logement",
  contingent: "COLACT",
  enQpv: false,
  premierQuartile: false,
  relogeRenouvellementUrbain: false,
  dalo: false,
  prioritaire: false,
  ...over,
});
const times = (n: number, over: Partial<LeaseFact>) => Array.from({ length: n }, () => lease(over));
const halfYear = { du: "2026-01-01", au: "2026-06-30" };

describe("the legal attribution quotas of an EPCI (§3.2)", () => {
  const leases = [
    ...times(6, {}),
    lease({ premierQuartile: true }),
    lease({ relogeRenouvellementUrbain: true, reservataireId: "org_demo_bailleur_69", contingent: "AUCUN" }),
    ...times(3, { enQpv: true, premierQuartile: true }),
    lease({ enQpv: true, reservataireId: "org_demo_bailleur_69", contingent: "AUCUN", dalo: true }),
    lease({ contingent: "PPRIOR", reservataireId: "org_demo_ddets_69", prioritaire: true, enQpv: true }),
    lease({ epci: "200071082", premierQuartile: true }),
    lease({ signeLe: "2026-07-01" }),
  ];
  const q = quotas(leases, "200046977", halfYear, QuotaParameters.parse({}));

  it("first-quartile households (or NPNRU rehousing) among leases outside QPV: at least 25 %", () => {
    expect(q.q1HorsQpv).toEqual({ numerateur: 2, denominateur: 8, taux: 25, cible: 25, etat: "atteint" });
  });

  it("other quartiles among leases in QPV: the CIL's objective, 50 % by default; behind but reachable", () => {
    expect(q.autresQuartilesEnQpv).toEqual({ numerateur: 2, denominateur: 5, taux: 40, cible: 50, etat: "en-retard" });
  });

  it("DALO or priority households per reserver, the landlord's own units included, the State's contingent excepted", () => {
    expect(q.prioritairesParReservataire).toEqual([
      {
        reservataireId: "org_demo_action_logement",
        numerateur: 0,
        denominateur: 10,
        taux: 0,
        cible: 25,
        etat: "en-retard",
      },
      { reservataireId: "org_demo_bailleur_69", numerateur: 1, denominateur: 2, taux: 50, cible: 25, etat: "atteint" },
    ]);
  });

  it("a target the rest of the year cannot reach any more, and a year without lease", () => {
    const december = { du: "2026-01-01", au: "2026-12-20" };
    expect(suivi(0, 10, 0.25, december, "2026-12-31").etat).toBe("hors-d-atteinte");
    expect(suivi(0, 0, 0.25, december, "2026-12-31")).toEqual({
      numerateur: 0,
      denominateur: 0,
      cible: 25,
      etat: "sans-objet",
    });
  });
});

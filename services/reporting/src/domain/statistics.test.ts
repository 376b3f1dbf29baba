import { describe, expect, it } from "vitest";
import { cancelled, radiated, reactivated, registered, renewed } from "../testing/demand-events.js";
import { activeOn, type DemandRow, evolveDemandRow } from "./demand-row.js";
import { daysBetween, percentile, statistics, wholeYears } from "./statistics.js";
import { territoryOf } from "./territory.js";

const territory = territoryOf({
  version: "test",
  departements: [
    { code: "57", nom: "Moselle" },
    { code: "69", nom: "Rhône" },
  ],
  epcis: [
    { siren: "200046977", nom: "Métropole de Lyon", communes: ["69383", "69266"] },
    { siren: "200071082", nom: "Ouest Rhodanien", communes: ["69248"] },
    { siren: "200039865", nom: "Metz Métropole", communes: ["57463"] },
  ],
});

/** Given events (in any interleaving of demands), the rows the read model folds them into. */
function given(...events: Parameters<typeof evolveDemandRow>[1][]): DemandRow[] {
  const rows = new Map<string, DemandRow>();
  for (const e of events) {
    const current = rows.get(e.aggregateId);
    if (current && current.version >= e.aggregateVersion) continue;
    const next = evolveDemandRow(current, e);
    if (next) rows.set(e.aggregateId, next);
  }
  return [...rows.values()];
}

// Six demands: three active first demands, one active transfer, one attributed, one lapsed, one back.
const territoryYear = () =>
  given(
    registered({ id: "dem_A", depot: "2026-03-15T09:30:00.000Z", commune: "69383", typologie: "T3" }),
    registered({ id: "dem_B", depot: "2024-06-01T10:00:00.000Z", commune: "69266", typologie: "T2", mutation: true }),
    // 23:30 UTC on 31 December is 00:30 on 1 January in Paris: a new demand of 2026.
    registered({ id: "dem_C", depot: "2025-12-31T23:30:00.000Z", commune: "69248", typologie: "T4" }),
    registered({ id: "dem_D", depot: "2025-05-10T08:00:00.000Z", commune: "69383", typologie: "T3" }),
    registered({
      id: "dem_E",
      depot: "2026-02-01T08:00:00.000Z",
      departement: "57",
      commune: "57463",
      typologie: "T2",
    }),
    registered({ id: "dem_F", depot: "2015-01-10T08:00:00.000Z", commune: "69383", typologie: "T1" }),
    renewed("dem_A", 2, "2026-06-01T08:00:00.000Z"),
    radiated("dem_D", 2, "RADATT", "2026-09-01T08:00:00.000Z"),
    cancelled("dem_E", 2, "2026-10-01T08:00:00.000Z"),
    cancelled("dem_F", 2, "2026-04-01T08:00:00.000Z"),
    reactivated("dem_F", 3, "2026-04-15T08:00:00.000Z"),
  );
const year2026 = { du: "2026-01-01", au: "2026-11-29" };

describe("the demands read model (fold of a demand's events)", () => {
  it("keeps the Paris day of the deposit, the first wished commune and typology, and transfers", () => {
    const [c] = given(
      registered({ id: "dem_C", depot: "2025-12-31T23:30:00.000Z", commune: "69248", typologie: "T4" }),
    );
    expect(c).toMatchObject({ id: "dem_C", version: 1, depotLe: "2026-01-01", commune: "69248", typologie: "T4" });
    expect(c?.mutation).toBe(false);
    expect(c?.tailleMenage).toBe(3);
  });

  it("is in the stock from its deposit day, out when radiated or cancelled, back when reactivated", () => {
    const rows = territoryYear();
    const f = rows.find((r) => r.id === "dem_F") as DemandRow;
    expect([
      activeOn(f, "2015-01-09"),
      activeOn(f, "2026-03-31"),
      activeOn(f, "2026-04-01"),
      activeOn(f, "2026-04-15"),
    ]).toEqual([false, true, false, true]);
    expect(f.statut).toBe("active");
  });

  it("skips an event already folded in (the high-water mark) and events of an unseen demand", () => {
    const twice = given(
      registered({ id: "dem_X", depot: "2026-01-05T08:00:00.000Z" }),
      radiated("dem_X", 2, "RADABA", "2026-02-01T08:00:00.000Z"),
      radiated("dem_X", 2, "RADABA", "2026-02-01T08:00:00.000Z"),
      radiated("dem_Y", 2, "RADABA", "2026-02-01T08:00:00.000Z"),
    );
    expect(twice).toHaveLength(1);
    expect(twice[0]?.mouvements).toEqual([{ le: "2026-02-01", type: "sortie", motif: "RADABA" }]);
  });

  it("counts one exit when a cancelled demand is then radiated", () => {
    const [row] = given(
      registered({ id: "dem_Z", depot: "2026-01-05T08:00:00.000Z" }),
      cancelled("dem_Z", 2, "2026-03-01T08:00:00.000Z"),
      radiated("dem_Z", 3, "RADABA", "2026-04-01T08:00:00.000Z"),
    );
    expect(row?.statut).toBe("radiated");
    expect(row?.mouvements).toEqual([{ le: "2026-03-01", type: "sortie", motif: "RADREN" }]);
  });
});

describe("statistics of the demand stock over a period", () => {
  it("active stock at the period's end: first demands and transfers; new demands; radiations by reason", () => {
    const s = statistics(territoryYear(), year2026, territory);
    expect(s.ensemble).toMatchObject({ actives: 4, primo: 3, mutation: 1, nouvelles: 3, radiations: 3 });
    expect(s.ensemble.radiationsParMotif).toEqual({ RADATT: 1, RADABA: 0, RADIRR: 0, RADCON: 0, RADREN: 2 });
  });

  it("waiting time of the active demands: median and 90th percentile as a spreadsheet's CENTILE", () => {
    // Active on 29/11/2026: 259, 332, 911 and 4341 days old.
    expect(statistics(territoryYear(), year2026, territory).ensemble.attente).toEqual({
      demandes: 4,
      medianeJours: 621.5,
      p90Jours: 3312,
      medianeMois: 20.4,
      p90Mois: 108.8,
    });
  });

  it("the SNE-style table of the stock by seniority band", () => {
    const table = statistics(territoryYear(), year2026, territory).anciennete;
    expect(table.map((l) => [l.code, l.actives, l.primo, l.mutation, l.part])).toEqual([
      ["0-1", 2, 2, 0, 50],
      ["1-2", 0, 0, 0, 0],
      ["2-3", 1, 0, 1, 25],
      ["3-4", 0, 0, 0, 0],
      ["4-5", 0, 0, 0, 0],
      ["5-10", 0, 0, 0, 0],
      ["10+", 1, 1, 0, 25],
    ]);
  });

  it("by département, EPCI (first wished commune), commune and typology", () => {
    const s = statistics(territoryYear(), year2026, territory);
    expect(s.parDepartement.map((v) => [v.cle, v.libelle, v.actives, v.nouvelles, v.radiations])).toEqual([
      ["57", "Moselle", 0, 1, 1],
      ["69", "Rhône", 4, 2, 2],
    ]);
    expect(s.parEpci.map((v) => [v.cle, v.libelle, v.actives, v.mutation, v.nouvelles, v.radiations])).toEqual([
      ["200039865", "Metz Métropole", 0, 0, 1, 1],
      ["200046977", "Métropole de Lyon", 3, 1, 1, 2],
      ["200071082", "Ouest Rhodanien", 1, 0, 1, 0],
    ]);
    expect(s.parCommune.map((v) => [v.cle, v.actives])).toEqual([
      ["57463", 0],
      ["69248", 1],
      ["69266", 1],
      ["69383", 2],
    ]);
    expect(s.parTypologie.map((v) => [v.cle, v.actives])).toEqual([
      ["T1", 1],
      ["T2", 1],
      ["T3", 1],
      ["T4", 1],
    ]);
  });

  it("attributions by contingent, DALO, 'Logement d'abord', tension, waiting time of satisfied demands, priority share", () => {
    const rows = [
      ...territoryYear(),
      ...given(
        registered({ id: "dem_G", depot: "2025-11-29T08:00:00.000Z", logement: "SH", dalo: true }),
        radiated("dem_G", 2, "RADATT", "2026-05-29T08:00:00.000Z", { contingent: "PPRIOR", dalo: true }),
        registered({ id: "dem_H", depot: "2026-01-10T08:00:00.000Z", dalo: true }),
      ),
    ];
    const e = statistics(rows, year2026, territory).ensemble;
    // D (Action Logement, 479 days) and G (préfet, from a shelter, DALO, 181 days).
    expect(e.attributions).toEqual({
      total: 2,
      parContingent: { COLTER: 0, COLACT: 1, PPRIOR: 1, PFONCT: 0, AUTRES: 0, AUCUN: 0 },
      dalo: 1,
      logementDAbord: { menages: 1, personnesEstimees: 2.2 },
      attente: { demandes: 2, medianeJours: 330, p90Jours: 449.2, medianeMois: 10.8, p90Mois: 14.8 },
    });
    // Five active demands (A, B, C, F, H), one priority household (H): 20 %; 5 / 2 attributions.
    expect(e).toMatchObject({ actives: 5, prioritaires: 1, partPrioritaires: 20, tension: 2.5 });
  });

  it("by decile of the demand's last cotation in its EPCI, the others 'non cotée'", () => {
    const deciles = new Map([
      ["dem_A", 1],
      ["dem_B", 1],
      ["dem_D", 3],
    ]);
    const s = statistics(territoryYear(), year2026, territory, (r) => deciles.get(r.id));
    expect(s.parDecile.map((v) => [v.cle, v.libelle, v.actives, v.radiations])).toEqual([
      ["01", "1er décile de cotation", 2, 0],
      ["03", "3e décile de cotation", 0, 1],
      ["non-cotee", "Non cotée", 2, 2],
    ]);
  });

  it("a period in the past sees the stock as it was then", () => {
    const s = statistics(territoryYear(), { du: "2026-04-01", au: "2026-04-10" }, territory);
    // F cancelled on 1 April (not yet back), E and D still in, C, B, A in.
    expect(s.ensemble).toMatchObject({ actives: 5, nouvelles: 0, radiations: 1 });
  });

  it("the share of active demands past the département's abnormally long delay (per typology)", () => {
    // 24 months in the Rhône, 36 for a T1 (test data): B (June 2024, T2) is past it, F (2015, T1) too.
    const delaiOf = (r: DemandRow) => (r.departement !== "69" ? undefined : r.typologie === "T1" ? 36 : 24);
    const s = statistics(territoryYear(), year2026, territory, undefined, delaiOf);
    expect(s.ensemble.depassementDelai).toEqual({ demandes: 2, part: 50 });
    expect(s.parTypologie.map((v) => [v.cle, v.depassementDelai.demandes])).toEqual([
      ["T1", 1],
      ["T2", 1],
      ["T3", 0],
      ["T4", 0],
    ]);
    // A demand exactly at its delay's end is not past it yet.
    const [exact] = given(registered({ id: "dem_Q", depot: "2024-11-29T10:00:00.000Z" }));
    const at = statistics(exact ? [exact] : [], year2026, territory, undefined, () => 24);
    expect(at.ensemble.depassementDelai).toEqual({ demandes: 0, part: 0 });
    expect(statistics(territoryYear(), year2026, territory).ensemble.depassementDelai).toEqual({ demandes: 0 });
  });

  it("SNE-style tables of the active stock: applicant's age, household size, monthly resources", () => {
    // The fixture's household: an applicant born in April 1988, two children, 1 598,52 € a month.
    const s = statistics(territoryYear(), year2026, territory);
    const counts = (t: typeof s.ageDemandeur) => t.filter((l) => l.actives > 0).map((l) => [l.code, l.actives, l.part]);
    expect(counts(s.ageDemandeur)).toEqual([["30-39", 4, 100]]);
    expect(counts(s.tailleMenage)).toEqual([["3", 4, 100]]);
    expect(counts(s.ressources)).toEqual([["1500-1999", 4, 100]]);
    expect(s.ageDemandeur.map((l) => l.code)).toEqual(["-25", "25-29", "30-39", "40-49", "50-64", "65+"]);
    const [row] = territoryYear();
    expect(row).toMatchObject({ naissance: "1988-04", ressourcesMensuelles: 1599, uc: 1.6, dalo: false });
  });

  it("an empty territory has no waiting time", () => {
    expect(statistics([], year2026, territory).ensemble.attente).toEqual({ demandes: 0 });
  });
});

describe("civil-day arithmetic", () => {
  it("days, whole years (29 February), percentiles", () => {
    expect(daysBetween("2026-03-28", "2026-03-30")).toBe(2); // across the change to summer time
    expect(wholeYears("2024-02-29", "2025-02-28")).toBe(0);
    expect(wholeYears("2024-02-29", "2025-03-01")).toBe(1);
    expect(percentile([10], 0.9)).toBe(10);
    expect(percentile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 0.9)).toBeCloseTo(9.1);
  });
});

import { describe, expect, it } from "vitest";
import { registered } from "../testing/demand-events.js";
import { leaseSigned, proposed } from "../testing/flux-cal-events.js";
import { type AttributionRow, evolveAttributionRow } from "./attribution-row.js";
import { attributionStatistics, leaseFactOf, signed } from "./attributions.js";
import { evolveDemandRow } from "./demand-row.js";
import { referenceOf } from "./reference.js";
import { territoryOf } from "./territory.js";
import type { UnitRow } from "./unit-row.js";

const territory = territoryOf({
  version: "test",
  departements: [{ code: "57", nom: "Moselle" }],
  epcis: [{ siren: "200039865", nom: "Metz Métropole", communes: ["57463"] }],
});
const reference = referenceOf({
  version: "test",
  delaisAnormaux: [],
  seuilsPremierQuartile: [{ epci: "200039865", annee: 2026, seuil: 9300 }],
  quotas: [
    {
      validFrom: "2017-01-27",
      validTo: null,
      q1HorsQpvMin: 0.25,
      autresQuartilesEnQpvMin: 0.5,
      prioritairesMin: 0.25,
      parEpci: { "200039865": { autresQuartilesEnQpvMin: 0.6 } },
    },
  ],
});
const prefet = { reservataireId: "org_prefet_57", codeSne: "PPRIOR", type: "prefet_prioritaires" };

const lease = (n: number, demandId: string, opts: { dalo?: boolean; revenu?: number; personnes?: number } = {}) => {
  const att = `att_57000000${n}0_2026-03-01`;
  const rplsId = `57000000${n}0`;
  let row: AttributionRow | undefined;
  for (const e of [
    proposed(att, 1, { rplsId, commune: "57463", libereLe: "2026-03-01" }, prefet, [
      {
        demandId,
        dalo: opts.dalo ?? false,
        personnes: opts.personnes ?? 1,
        ...(opts.revenu ? { revenu: opts.revenu } : {}),
      },
    ]),
    leaseSigned(att, 2, {
      rplsId,
      demandId,
      libereLe: "2026-03-01",
      bailSigneLe: `2026-04-0${n}`,
      reservataireId: prefet.reservataireId,
      contingent: "PPRIOR",
      dalo: opts.dalo ?? false,
    }),
  ])
    row = evolveAttributionRow(row, e);
  if (!row || !signed(row)) throw new Error("unsigned");
  return row;
};
const unit = (rplsId: string, qpv: boolean): UnitRow => ({
  id: `uni_${rplsId}`,
  version: 1,
  rplsId,
  bailleurId: "org_b",
  commune: "57463",
  departement: "57",
  qpv,
  typologie: "T3",
  financement: "PLUS",
  anneeConstruction: 1972,
  liberations: 1,
  locations: 0,
});

describe("signed leases joined across CAL, flux and registration", () => {
  it("first quartile: the demand's resources per unit of consumption under the EPCI's threshold of the year", () => {
    // The fixture household: 1 598,52 € a month (19 182 € a year), 1,6 units: 11 989 € per unit, above 9 300.
    const demand = evolveDemandRow(
      undefined,
      registered({ id: "dem_q", depot: "2026-01-10T08:00:00.000Z", logement: "SH" }),
    );
    const a = lease(1, "dem_q");
    const withDemand = leaseFactOf(
      { attribution: a, unit: unit(a.rplsId, false), ...(demand ? { demand } : {}) },
      territory,
      reference,
    );
    expect(withDemand).toMatchObject({
      epci: "200039865",
      premierQuartile: false,
      quartileConnu: true,
      sansDomicile: true,
    });
    // Without the demand's row: the CAL's reference income (8 000 € for 2 persons, 1,5 units: 5 333 €).
    const b = lease(2, "dem_r", { revenu: 8000, personnes: 2 });
    expect(leaseFactOf({ attribution: b }, territory, reference)).toMatchObject({
      premierQuartile: true,
      quartileConnu: true,
      qpvConnu: false,
      enQpv: false,
    });
    // Neither: unknown, not counted in the first quartile.
    expect(leaseFactOf({ attribution: lease(3, "dem_s") }, territory, reference)).toMatchObject({
      premierQuartile: false,
      quartileConnu: false,
    });
  });

  it("attributions by reserver and contingent, in and outside QPV, with the offers and the CAL's decisions", () => {
    const rows = [lease(1, "dem_a", { revenu: 5000 }), lease(2, "dem_b", { dalo: true }), lease(3, "dem_c")];
    const units = new Map([
      [rows[0]?.rplsId, unit(rows[0]?.rplsId ?? "", false)],
      [rows[1]?.rplsId, unit(rows[1]?.rplsId ?? "", true)],
    ]);
    const leases = rows.map((attribution) => {
      const u = units.get(attribution.rplsId);
      return { attribution, fact: leaseFactOf({ attribution, ...(u ? { unit: u } : {}) }, territory, reference) };
    });
    const s = attributionStatistics(
      leases,
      [
        {
          id: "ses_1",
          version: 3,
          date: "2026-03-20",
          annulee: false,
          decisions: { ATTRIBUTION: 2, NON_ATTRIBUTION: 1 },
          examensOccupation: 0,
        },
        {
          id: "ses_2",
          version: 2,
          date: "2025-12-20",
          annulee: false,
          decisions: { ATTRIBUTION: 5 },
          examensOccupation: 0,
        },
      ],
      { du: "2026-01-01", au: "2026-04-02" },
      { contingent: (c) => (c === "PPRIOR" ? "Préfecture" : c), epci: (e) => e },
    );
    // The third lease (4 April) is after the period.
    expect(s.ensemble).toEqual({
      attributions: 2,
      dalo: 1,
      prioritaires: 1,
      partPrioritaires: 50,
      horsQpv: 1,
      premierQuartileHorsQpv: 1,
      enQpv: 1,
      logementDAbord: 0,
    });
    expect(s.parContingent.map((l) => [l.cle, l.libelle, l.attributions])).toEqual([["PPRIOR", "Préfecture", 2]]);
    expect(s.parReservataire.map((l) => [l.cle, l.attributions, l.dalo])).toEqual([["org_prefet_57", 2, 1]]);
    expect(s.decisions).toEqual({ ATTRIBUTION: 2, NON_ATTRIBUTION: 1 });
    expect(s.inconnus).toEqual({ qpv: 0, quartile: 1 });
  });

  it("the quota rates in force, with an EPCI's own CIL objective for other quartiles in QPV", () => {
    expect(reference.quotaParameters("200039865", "2026-06-01")).toEqual({
      q1HorsQpvMin: 0.25,
      autresQuartilesEnQpvMin: 0.6,
      prioritairesMin: 0.25,
    });
    expect(reference.quotaParameters("200046977", "2026-06-01").autresQuartilesEnQpvMin).toBe(0.5);
  });
});

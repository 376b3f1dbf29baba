import { deciderSpec } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { type Avertissement, avertissements, type QuotaAlertEvent, quotaAlert } from "./quota-alert.js";
import { type LeaseFact, QuotaParameters, quotas } from "./quotas.js";

const lease = (over: Partial<LeaseFact>): LeaseFact => ({
  signeLe: "2026-03-01",
  epci: "200046977",
  reservataireId: "org_al",
  contingent: "COLACT",
  enQpv: false,
  premierQuartile: false,
  relogeRenouvellementUrbain: false,
  dalo: false,
  prioritaire: false,
  ...over,
});
const times = (n: number, over: Partial<LeaseFact> = {}) => Array.from({ length: n }, () => lease(over));
const firstHalf = { du: "2026-01-01", au: "2026-07-01" };

describe("warnings when a legal quota goes off track, projected over the rest of the year", () => {
  it("names the rate, its target, and what the leases still expected this year must bring", () => {
    // 1 January – 1 July (182 days): 20 leases outside QPV, 2 to first-quartile households (10 %), all
    // on Action Logement's flux, one of them DALO (5 %). About 20 more leases expected by 31 December.
    const leases = [...times(2, { premierQuartile: true }), lease({ dalo: true }), ...times(17)];
    const q = quotas(leases, "200046977", firstHalf, QuotaParameters.parse({}));
    const w = avertissements(q, firstHalf, "Métropole de Lyon");
    expect(w.map((a) => [a.id, a.etat, a.taux, a.cible, a.attributionsRestantes, a.requises])).toEqual([
      // (2 + x) / (20 + 20) ≥ 25 % needs 8 of the 20 still expected: reachable, late.
      ["alt:200046977:2026:q1HorsQpv", "en-retard", 10, 25, 20, 8],
      // (1 + x) / 40 ≥ 25 % needs 9.
      ["alt:200046977:2026:prioritaires:org_al", "en-retard", 5, 25, 20, 9],
    ]);
    expect(w[0]?.message).toBe(
      "Métropole de Lyon — Attributions hors QPV aux ménages du premier quartile (ou relogés au titre du renouvellement urbain) : 10 % pour un objectif de 25 % ; en retard : 8 des 20 attributions attendues d'ici au 31/12/2026 devront y contribuer.",
    );
    // In December, too late: out of reach.
    const december = { du: "2026-01-01", au: "2026-12-20" };
    const late = avertissements(quotas(leases, "200046977", december, QuotaParameters.parse({})), december, "Lyon");
    expect(late[0]).toMatchObject({ etat: "hors-d-atteinte", attributionsRestantes: 1 });
    expect(late[0]?.message).toContain("objectif hors d'atteinte cette année au rythme actuel");
  });
});

const warning = (etat: Avertissement["etat"], taux = 10): Avertissement => ({
  id: "alt:200046977:2026:q1HorsQpv",
  epci: "200046977",
  annee: 2026,
  indicateur: "q1HorsQpv",
  etat,
  taux,
  cible: 25,
  numerateur: 2,
  denominateur: 20,
  attributionsRestantes: 20,
  requises: 8,
  message: "…",
});
const now = { now: new Date("2026-07-01T02:00:00Z") };
const offTrack = (etat: Avertissement["etat"]): QuotaAlertEvent => ({
  type: "QuotaOffTrack",
  constateLe: "2026-06-01T02:00:00.000Z",
  ...warning(etat),
});
const met = {
  type: "Check" as const,
  atteint: {
    id: "alt:200046977:2026:q1HorsQpv",
    epci: "200046977",
    annee: 2026,
    indicateur: "q1HorsQpv" as const,
    taux: 26,
    cible: 25,
  },
};

describe("the alert of one quota (decider)", () => {
  const spec = deciderSpec(quotaAlert);

  it("raises QuotaOffTrack once when the rate goes off track, again only when it gets worse", () => {
    const first = spec.given().when({ type: "Check", avertissement: warning("en-retard") }, now);
    expect(first.events?.map((e) => [e.type, "etat" in e ? e.etat : undefined])).toEqual([
      ["QuotaOffTrack", "en-retard"],
    ]);
    expect(first.state).toEqual({ etat: "en-retard", taux: 10, version: 1 });
    expect(
      spec.given(offTrack("en-retard")).when({ type: "Check", avertissement: warning("en-retard", 9) }, now).events,
    ).toEqual([]);
    const worse = spec
      .given(offTrack("en-retard"))
      .when({ type: "Check", avertissement: warning("hors-d-atteinte") }, now);
    expect(worse.events?.map((e) => e.type)).toEqual(["QuotaOffTrack"]);
    expect(
      spec.given(offTrack("hors-d-atteinte")).when({ type: "Check", avertissement: warning("en-retard") }, now).events,
    ).toEqual([]);
  });

  it("raises QuotaBackOnTrack when a rate that was off track is met again, and nothing for a rate always met", () => {
    const back = spec.given(offTrack("en-retard")).when(met, now);
    expect(back.events).toEqual([{ type: "QuotaBackOnTrack", constateLe: "2026-07-01T02:00:00.000Z", ...met.atteint }]);
    expect(back.state).toMatchObject({ etat: "atteint", version: 2 });
    expect(spec.given().when(met, now).events).toEqual([]);
    expect(spec.given(offTrack("en-retard"), back.events?.[0] as QuotaAlertEvent).when(met, now).events).toEqual([]);
  });
});

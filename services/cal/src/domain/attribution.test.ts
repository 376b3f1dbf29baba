import type { DemandFacts } from "@logis/contracts";
import { deciderSpec } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { loadReferentiel } from "../adapters/files/reference.js";
import { type AttributionCommand, type AttributionContext, type AttributionEvent, attribution } from "./attribution.js";
import { family, metzT3 } from "./testing/fixtures.js";

const referentiel = loadReferentiel();
const spec = deciderSpec(attribution);
const ctx = (today: string): AttributionContext => ({
  now: new Date(`${today}T09:00:00.000Z`),
  today,
  by: "usr_demo_bailleur",
  referentiel,
});
const candidate = (n: number, facts: DemandFacts = family()) => ({
  demandId: `dem_${n}`,
  numeroUnique: `57112600000000${40 + n}KX`,
  facts,
  justification: `Rang ${n} de la cotation`,
});
const propose = (
  change: Partial<Extract<AttributionCommand, { type: "ProposeCandidates" }>> = {},
): AttributionCommand => ({
  type: "ProposeCandidates",
  id: "att_5700012345_2026-11-02",
  bailleurId: "org_demo_bailleur",
  unit: metzT3(),
  libereLe: "2026-11-02",
  cible: { reservataireId: "org_demo_prefet", conventionId: "cnv_1", codeSne: "PPRIOR" },
  source: "bailleur",
  candidats: [candidate(1), candidate(2), candidate(3)],
  ...change,
});
const proposed = () => {
  const { events } = spec.given().when(propose(), ctx("2026-11-10"));
  if (!events) throw new Error("not proposed");
  return events;
};
const ranked = (): AttributionEvent[] => {
  const decided = spec.given(...proposed()).when(
    {
      type: "ApplyDecisions",
      sessionId: "ses_1",
      decisions: [
        { demandId: "dem_1", type: "ATTRIBUTION_RANG", rang: 1 },
        { demandId: "dem_2", type: "ATTRIBUTION_RANG", rang: 2 },
        { demandId: "dem_3", type: "ATTRIBUTION_RANG", rang: 3 },
      ],
    },
    ctx("2026-11-20"),
  );
  return [...proposed(), ...(decided.events ?? [])];
};

describe("candidates of a unit: at least three eligible, or a legal exception", () => {
  it("three eligible candidates are proposed, each with its eligibility snapshot and justification", () => {
    const { events, state } = spec.given().when(propose(), ctx("2026-11-10"));
    expect(events?.[0]).toMatchObject({ type: "CandidatesProposed", source: "bailleur" });
    expect(state?.candidats.map((c) => [c.ordre, c.eligibilite.eligible, c.justification])).toEqual([
      [1, true, "Rang 1 de la cotation"],
      [2, true, "Rang 2 de la cotation"],
      [3, true, "Rang 3 de la cotation"],
    ]);
  });

  it("two candidates without an exception are refused (R441-3)", () => {
    const { error } = spec.given().when(propose({ candidats: [candidate(1), candidate(2)] }), ctx("2026-11-10"));
    expect(error).toMatchObject({ code: "RULE_VIOLATION", reason: "THREE_CANDIDATES_RULE" });
    expect(error?.message).toMatch(/au moins 3 candidats/);
  });

  it("not enough eligible candidates: fewer are examined, with the justification recorded", () => {
    const exception = {
      code: "INSUFFISANCE_CANDIDATS" as const,
      justification: "1 éligible sur 240 demandes classées",
    };
    const { events } = spec.given().when(propose({ candidats: [candidate(1)], exception }), ctx("2026-11-10"));
    expect(events?.[0]).toMatchObject({ exception });
  });

  it("a DALO household designated by the préfet may be examined alone; not a non-DALO one", () => {
    const dalo = family((d) => (d.situations.dalo = { statut: "ACTIF", dateDecision: "2026-06-01" }));
    const exception = { code: "DALO_DESIGNE" as const, justification: "Désignation préfectorale du 5 novembre 2026" };
    const alone = propose({ source: "prefet_dalo", candidats: [candidate(1, dalo)], exception });
    expect(spec.given().when(alone, ctx("2026-11-10")).events?.[0]).toMatchObject({
      candidats: [expect.objectContaining({ dalo: true })],
    });
    const notDalo = propose({ source: "prefet_dalo", candidats: [candidate(1)], exception });
    expect(spec.given().when(notDalo, ctx("2026-11-10")).error).toMatchObject({ reason: "EXCEPTION_NOT_APPLICABLE" });
  });

  it("an adapted PLAI unit may have fewer candidates; another unit may not claim it", () => {
    const exception = { code: "PLAI_ADAPTE" as const, justification: "PLAI adapté, accompagnement social" };
    const plai = metzT3({ financement: "PLAI", plaiAdapte: true });
    const plaiFamily = family((d) => (d.demandeur.ressources.revenuFiscal = { anneeN2: 2023, montantN2: 15000 }));
    const ok = spec
      .given()
      .when(propose({ unit: plai, candidats: [candidate(1, plaiFamily)], exception }), ctx("2025-06-02"));
    expect(ok.error).toBeUndefined();
    const refused = spec.given().when(propose({ candidats: [candidate(1)], exception }), ctx("2026-11-10"));
    expect(refused.error).toMatchObject({ reason: "EXCEPTION_NOT_APPLICABLE" });
  });

  it("a household whose tax notice is missing may be proposed (to be attributed under a suspensive condition)", () => {
    const missing = family((d) => (d.demandeur.ressources.revenuFiscal = {}));
    const { events } = spec
      .given()
      .when(propose({ candidats: [candidate(1), candidate(2), candidate(3, missing)] }), ctx("2026-11-10"));
    expect(events?.[0]).toMatchObject({
      candidats: [{}, {}, { eligibilite: { eligible: false, refus: [{ regle: "REVENU_FISCAL_MANQUANT" }] } }],
    });
  });

  it("an ineligible candidate is refused, naming the rule and its figures", () => {
    const rich = family((d) => (d.demandeur.ressources.revenuFiscal = { anneeN2: 2024, montantN2: 41000 }));
    const { error } = spec
      .given()
      .when(propose({ candidats: [candidate(1), candidate(2), candidate(3, rich)] }), ctx("2026-11-10"));
    expect(error).toMatchObject({ reason: "CANDIDATE_INELIGIBLE", context: { demandId: "dem_3" } });
    expect(error?.message).toMatch(/plafond PLUS 2026/);
  });
});

describe("offers and the cascade", () => {
  it("ranked decisions offer the unit to rank 1 with a deadline of ten days carried past the weekend", () => {
    const { state } = spec.given(...proposed()).when(
      {
        type: "ApplyDecisions",
        sessionId: "ses_1",
        decisions: [
          { demandId: "dem_2", type: "ATTRIBUTION_RANG", rang: 1 },
          { demandId: "dem_1", type: "NON_ATTRIBUTION" },
        ],
      },
      ctx("2026-11-20"),
    );
    // Notified Friday 20 November: day 10 is Monday 30 November.
    expect(state?.offres).toEqual([
      expect.objectContaining({ demandId: "dem_2", rang: 1, notifieeLe: "2026-11-20", repondreAvant: "2026-11-30" }),
    ]);
  });

  it("an answer delay under ten days is refused", () => {
    const { error } = spec.given(...proposed()).when(
      {
        type: "ApplyDecisions",
        sessionId: "ses_1",
        decisions: [{ demandId: "dem_1", type: "ATTRIBUTION" }],
        delaiReponseJours: 7,
      },
      ctx("2026-11-20"),
    );
    expect(error).toMatchObject({ reason: "OFFER_DEADLINE_TOO_SHORT", field: "delaiReponseJours" });
  });

  it("a refusal offers the unit to the next ranked candidate at once", () => {
    const { events, state } = spec
      .given(...ranked())
      .when({ type: "AnswerOffer", demandId: "dem_1", reponse: "refusee", motifRefus: "Trop loin" }, ctx("2026-11-24"));
    expect(events?.map((e) => e.type)).toEqual(["OfferAnswered", "OfferMade"]);
    expect(events?.[1]).toMatchObject({
      demandId: "dem_2",
      rang: 2,
      notifieeLe: "2026-11-24",
      repondreAvant: "2026-12-04",
    });
    expect(state?.offres.map((o) => o.statut)).toEqual(["refusee", "en_attente"]);
  });

  it("silence is a refusal: after the deadline the offer lapses and passes to the next", () => {
    expect(spec.given(...ranked()).when({ type: "LapseOffers" }, ctx("2026-11-30")).events).toEqual([]);
    const { events } = spec.given(...ranked()).when({ type: "LapseOffers" }, ctx("2026-12-01"));
    expect(events).toMatchObject([
      { type: "OfferLapsed", demandId: "dem_1", cause: "silence", echueLe: "2026-12-01" },
      { type: "OfferMade", demandId: "dem_2", rang: 2 },
    ]);
    const late = spec
      .given(...ranked())
      .when({ type: "AnswerOffer", demandId: "dem_1", reponse: "acceptee" }, ctx("2026-12-01"));
    expect(late.error).toMatchObject({ reason: "OFFER_DEADLINE_PASSED" });
  });

  it("when every ranked candidate refused, the unit goes back to be proposed again", () => {
    let events = ranked();
    for (const [demandId, day] of [
      ["dem_1", "2026-11-21"],
      ["dem_2", "2026-11-22"],
      ["dem_3", "2026-11-23"],
    ] as const) {
      events = [
        ...events,
        ...(spec.given(...events).when({ type: "AnswerOffer", demandId, reponse: "refusee" }, ctx(day)).events ?? []),
      ];
    }
    expect(events.at(-1)).toMatchObject({ type: "CascadeExhausted" });
    const again = spec
      .given(...events)
      .when(propose({ candidats: [candidate(4), candidate(5), candidate(6)] }), ctx("2026-11-25"));
    expect(again.state?.statut).toBe("proposee");
  });

  it("a lapsed suspensive condition passes the unit to the next ranked candidate", () => {
    const decided = spec.given(...proposed()).when(
      {
        type: "ApplyDecisions",
        sessionId: "ses_1",
        decisions: [
          {
            demandId: "dem_1",
            type: "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE",
            rang: 1,
            condition: { piece: "AVIS_IMPOSITION", avant: "2026-12-04" },
          },
          { demandId: "dem_2", type: "ATTRIBUTION_RANG", rang: 2 },
        ],
      },
      ctx("2026-11-20"),
    );
    const given = [...proposed(), ...(decided.events ?? [])];
    const accepted = spec
      .given(...given)
      .when({ type: "AnswerOffer", demandId: "dem_1", reponse: "acceptee" }, ctx("2026-11-23"));
    const after = [...given, ...(accepted.events ?? [])];
    const unsigned = spec
      .given(...after)
      .when({ type: "SignLease", demandId: "dem_1", signeLe: "2026-11-27" }, ctx("2026-11-27"));
    expect(unsigned.error).toMatchObject({ reason: "SUSPENSIVE_CONDITION_PENDING" });
    const { events } = spec.given(...after).when({ type: "LapseOffers" }, ctx("2026-12-05"));
    expect(events).toMatchObject([
      { type: "OfferLapsed", demandId: "dem_1", cause: "condition_non_levee" },
      { type: "OfferMade", demandId: "dem_2", rang: 2 },
    ]);
  });

  it("the piece supplied in time lifts the condition; the lease records the R441-2-9 data; a second lease is refused", () => {
    const decided = spec.given(...proposed()).when(
      {
        type: "ApplyDecisions",
        sessionId: "ses_1",
        decisions: [
          {
            demandId: "dem_1",
            type: "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE",
            rang: 1,
            condition: { piece: "AVIS_IMPOSITION", avant: "2026-12-04" },
          },
        ],
      },
      ctx("2026-11-20"),
    );
    let events = [...proposed(), ...(decided.events ?? [])];
    for (const [command, day] of [
      [{ type: "AnswerOffer", demandId: "dem_1", reponse: "acceptee" }, "2026-11-23"],
      [{ type: "SupplyPiece", demandId: "dem_1", piece: "AVIS_IMPOSITION" }, "2026-11-25"],
    ] as const) {
      events = [...events, ...(spec.given(...events).when(command, ctx(day)).events ?? [])];
    }
    const { events: lease } = spec
      .given(...events)
      .when({ type: "SignLease", demandId: "dem_1", signeLe: "2026-12-01" }, ctx("2026-12-01"));
    expect(lease?.[0]).toMatchObject({
      type: "LeaseSigned",
      bailSigneLe: "2026-12-01",
      attribution: {
        rplsId: "5700012345",
        contingent: "PPRIOR",
        dalo: false,
        accordCollectif: "AUCUN",
        bailleur: "org_demo_bailleur",
      },
    });
    const again = spec
      .given(...events, ...(lease ?? []))
      .when({ type: "SignLease", demandId: "dem_1", signeLe: "2026-12-02" }, ctx("2026-12-02"));
    expect(again.error).toMatchObject({ code: "CONFLICT", reason: "LEASE_ALREADY_SIGNED" });
  });
});

describe("a vacancy opened from flux's orientation", () => {
  const open: AttributionCommand = {
    type: "OpenVacancy",
    id: "att_5700012345_2026-11-02",
    bailleurId: "org_demo_bailleur",
    unit: metzT3(),
    libereLe: "2026-11-02",
    cible: { reservataireId: "org_demo_prefet", conventionId: "cnv_1", codeSne: "PPRIOR" },
    designationAvant: "2026-12-02",
    fluxVersion: 4,
  };
  const opened = () => spec.given().when(open, ctx("2026-11-03")).events ?? [];

  it("opens once, waiting for candidates; a second orientation of the same freeing changes nothing", () => {
    const { state } = spec.given().when(open, ctx("2026-11-03"));
    expect(state).toMatchObject({ statut: "a_designer", designationAvant: "2026-12-02", candidats: [], fluxVu: 4 });
    expect(spec.given(...opened()).when(open, ctx("2026-11-04")).events).toEqual([]);
  });

  it("an override moves it to another reserver once; an older or repeated ledger version does nothing", () => {
    const reorient = (fluxVersion: number): AttributionCommand => ({
      type: "ReorientVacancy",
      cible: { reservataireId: "org_demo_action_logement", conventionId: "cnv_2", codeSne: "COLACT" },
      motif: "Public d'Action Logement",
      fluxVersion,
    });
    const moved = spec.given(...opened()).when(reorient(5), ctx("2026-11-04"));
    expect(moved.state?.cible.reservataireId).toBe("org_demo_action_logement");
    expect(spec.given(...opened(), ...(moved.events ?? [])).when(reorient(5), ctx("2026-11-04")).events).toEqual([]);
    expect(spec.given(...opened()).when(reorient(3), ctx("2026-11-04")).events).toEqual([]);
  });

  it("flux saw the designation deadline pass: the landlord may propose; candidates already designated stay", () => {
    const expire: AttributionCommand = { type: "ExpireDesignation", fluxVersion: 6 };
    expect(spec.given(...opened()).when(expire, ctx("2026-12-03")).state?.designationExpiree).toBe(true);
    const designated = spec.given(...opened()).when(propose(), ctx("2026-11-10")).events ?? [];
    expect(spec.given(...opened(), ...designated).when(expire, ctx("2026-12-03")).events).toEqual([]);
  });

  it("candidates are proposed on the opened vacancy; the unit facts are kept for eligibility", () => {
    const { state } = spec.given(...opened()).when(propose(), ctx("2026-11-10"));
    expect(state).toMatchObject({ statut: "proposee", designationAvant: "2026-12-02" });
    expect(state?.unite?.rplsId).toBe("5700012345");
  });
});

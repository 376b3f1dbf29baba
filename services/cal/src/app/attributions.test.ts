import { demoUsers } from "@logis/auth";
import { manualClock } from "@logis/domain";
import { memoryAggregates } from "@logis/outbox";
import { describe, expect, it } from "vitest";
import { loadReferentiel } from "../adapters/files/reference.js";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { attributionUseCases, parisDay } from "./attributions.js";
import type { AttributionDoc } from "./ports.js";

const caller = { principal: demoUsers.bailleur, correlationId: "cor_test", requestId: "req_test" };
const candidate = (n: number) => ({
  demandId: `dem_${n}`,
  numeroUnique: `57112600000000${40 + n}KX`,
  facts: family(),
  justification: `Rang ${n}`,
});

describe("attribution use cases on the memory store", () => {
  it("proposal, decisions and a refusal: public events numbered 1, 2, 3, 4, internal ones kept in the state", async () => {
    const attributions = memoryAggregates<AttributionDoc>();
    const uc = attributionUseCases({
      attributions,
      clock: manualClock("2026-11-20T08:00:00.000Z"),
      referentiel: loadReferentiel(),
    });
    const id = "att_5700012345_2026-11-02";
    await uc.handle(caller, id, {
      type: "ProposeCandidates",
      id,
      bailleurId: "org_demo_bailleur",
      unit: metzT3(),
      libereLe: "2026-11-02",
      cible: { reservataireId: "org_demo_prefet", conventionId: null, codeSne: "PPRIOR" },
      source: "bailleur",
      candidats: [candidate(1), candidate(2), candidate(3)],
    });
    await uc.handle(caller, id, {
      type: "ApplyDecisions",
      sessionId: "ses_1",
      decisions: [
        { demandId: "dem_1", type: "ATTRIBUTION_RANG", rang: 1 },
        { demandId: "dem_2", type: "ATTRIBUTION_RANG", rang: 2 },
      ],
    });
    await uc.handle(caller, id, { type: "AnswerOffer", demandId: "dem_1", reponse: "refusee" });
    expect(attributions.published.map((e) => [e.type, e.aggregateVersion])).toEqual([
      ["CandidatesProposed", 1],
      ["OfferMade", 2],
      ["OfferAnswered", 3],
      ["OfferMade", 4],
    ]);
    expect((await uc.get(id))?.statut).toBe("offre_en_cours");
  });

  it("a refused command writes and publishes nothing", async () => {
    const attributions = memoryAggregates<AttributionDoc>();
    const uc = attributionUseCases({
      attributions,
      clock: manualClock("2026-11-20T08:00:00.000Z"),
      referentiel: loadReferentiel(),
    });
    await expect(uc.handle(caller, "att_x", { type: "LapseOffers" })).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(attributions.published).toEqual([]);
  });

  it("the lapse pass: silence past the deadline passes the unit to the next ranked candidate", async () => {
    const attributions = memoryAggregates<AttributionDoc>();
    const clock = manualClock("2026-11-20T08:00:00.000Z");
    const reader = {
      withOffersUnderWay: async () => [...attributions.docs.keys()],
      openOf: async () => undefined,
      waitingOf: async () => new Map(),
    };
    const uc = attributionUseCases({ attributions, clock, referentiel: loadReferentiel(), reader });
    const id = "att_5700012345_2026-11-02";
    await uc.handle(caller, id, {
      type: "ProposeCandidates",
      id,
      bailleurId: "org_demo_bailleur",
      unit: metzT3(),
      libereLe: "2026-11-02",
      cible: { reservataireId: "org_demo_prefet", conventionId: null, codeSne: "PPRIOR" },
      source: "bailleur",
      candidats: [candidate(1), candidate(2), candidate(3)],
    });
    await uc.handle(caller, id, {
      type: "ApplyDecisions",
      sessionId: "ses_1",
      decisions: [
        { demandId: "dem_1", type: "ATTRIBUTION_RANG", rang: 1 },
        { demandId: "dem_2", type: "ATTRIBUTION_RANG", rang: 2 },
      ],
    });
    clock.set(new Date("2026-11-30T20:00:00.000Z"));
    expect(await uc.lapseDue()).toBe(0);
    clock.set(new Date("2026-11-30T23:30:00.000Z"));
    expect(await uc.lapseDue()).toBe(1);
    expect(attributions.published.slice(-2).map((e) => [e.type, (e.payload as { demandId: string }).demandId])).toEqual(
      [
        ["OfferLapsed", "dem_1"],
        ["OfferMade", "dem_2"],
      ],
    );
  });

  it("today is the calendar day in Paris", () => {
    expect(parisDay(new Date("2026-11-19T23:30:00.000Z"))).toBe("2026-11-20");
  });
});

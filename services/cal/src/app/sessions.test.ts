import { demoUsers } from "@logis/auth";
import { manualClock } from "@logis/domain";
import { memoryAggregates } from "@logis/outbox";
import { describe, expect, it } from "vitest";
import { loadReferentiel } from "../adapters/files/reference.js";
import type { Commission } from "../domain/commission.js";
import { metzCommission } from "../domain/testing/commission.js";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { attributionUseCases } from "./attributions.js";
import type { AttributionDoc, SessionDoc } from "./ports.js";
import { sessionUseCases } from "./sessions.js";

const caller = { principal: demoUsers.bailleur, correlationId: "cor_test", requestId: "req_test" };
const yes = (...ids: string[]) => ids.map((membreId) => ({ membreId, vote: "pour" as const }));

describe("a session from scheduling to minutes, on the memory stores", () => {
  it("schedules, plans an attribution, decides, closes: offers follow and the minutes come from the journal", async () => {
    const clock = manualClock("2026-11-19T09:00:00.000Z");
    const attributions = memoryAggregates<AttributionDoc>();
    const sessions = memoryAggregates<SessionDoc>();
    const commissions = memoryAggregates<Commission>();
    const att = attributionUseCases({ attributions, clock, referentiel: loadReferentiel() });
    const uc = sessionUseCases({ commissions, sessions, attributions, attributionUseCases: att, clock });
    const { _id, revision: _r, ...fields } = metzCommission;
    await uc.changeCommission(caller, _id, { type: "Constitute", id: _id, ...fields });
    const id = "att_5700012345_2026-11-02";
    await att.handle(caller, id, {
      type: "ProposeCandidates",
      id,
      bailleurId: "org_demo_bailleur",
      unit: metzT3(),
      libereLe: "2026-11-02",
      cible: { reservataireId: "org_demo_prefet", conventionId: null, codeSne: "PPRIOR" },
      source: "bailleur",
      candidats: [1, 2, 3].map((n) => ({
        demandId: `dem_${n}`,
        numeroUnique: `57112600000000${40 + n}KX`,
        facts: family(),
        justification: `Rang ${n}`,
      })),
    });
    await uc.schedule(caller, "ses_1", { commissionId: _id, date: "2026-11-19", mode: "presentiel" });
    await uc.planAttribution(caller, "ses_1", id);
    await uc.changeSession(caller, "ses_1", { type: "RecordAttendance", presents: ["m1", "m2", "m3", "m4", "m6"] });
    const vote = yes("m1", "m2", "m3", "m4", "m6");
    await uc.changeSession(caller, "ses_1", {
      type: "RecordDecision",
      attributionId: id,
      demandId: "dem_2",
      decision: "ATTRIBUTION_RANG",
      rang: 1,
      bulletins: vote,
    });
    await uc.changeSession(caller, "ses_1", {
      type: "RecordDecision",
      attributionId: id,
      demandId: "dem_1",
      decision: "ATTRIBUTION_RANG",
      rang: 2,
      bulletins: vote,
    });
    await expect(
      uc.changeSession(caller, "ses_1", {
        type: "RecordDecision",
        attributionId: id,
        demandId: "dem_3",
        decision: "NON_ATTRIBUTION",
        motifs: [{ code: "ABSENCE_LIEN_COMMUNE" }],
        bulletins: vote,
      }),
    ).rejects.toMatchObject({ reason: "UNLAWFUL_REASON" });
    await uc.changeSession(caller, "ses_1", {
      type: "RecordDecision",
      attributionId: id,
      demandId: "dem_3",
      decision: "NON_ATTRIBUTION",
      motifs: [{ code: "CANDIDAT_MIEUX_CLASSE_ATTRIBUTAIRE" }],
      bulletins: vote,
    });
    await uc.close(caller, "ses_1");
    await uc.close(caller, "ses_1").catch(() => undefined);

    expect(sessions.published.map((e) => [e.type, e.aggregateVersion])).toEqual([
      ["SessionScheduled", 1],
      ["DecisionRecorded", 2],
      ["DecisionRecorded", 3],
      ["DecisionRecorded", 4],
    ]);
    expect(attributions.published.map((e) => e.type)).toEqual(["CandidatesProposed", "OfferMade"]);
    expect(attributions.published[1]?.payload).toMatchObject({
      demandId: "dem_2",
      rang: 1,
      repondreAvant: "2026-11-30",
    });
    const pv = await uc.minutes("ses_1");
    expect(pv.logements[0]?.candidats.map((c) => c.decision)).toEqual([
      "Attribution par rang",
      "Attribution par rang",
      "Non-attribution",
    ]);
  });
});

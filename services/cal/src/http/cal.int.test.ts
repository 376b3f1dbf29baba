import { demoUsers } from "@logis/auth";
import { topics } from "@logis/contracts";
import { eventually, readTopic, testKafka } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metzCommission } from "../domain/testing/commission.js";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { calHarness } from "../testing/harness.js";

// A session over HTTP on the real engines: commission, session, agenda, decisions (one refused,
// nothing recorded), close, the offer on its topic, the minutes.

let h: Awaited<ReturnType<typeof calHarness>>;
beforeAll(async () => {
  h = await calHarness("2026-11-19T09:00:00.000Z");
});
afterAll(async () => {
  await h?.close();
});

const att = "att_5700012345_2026-11-02";
const vote = ["m1", "m2", "m3", "m4", "m6"].map((membreId) => ({ membreId, vote: "pour" }));

describe("the CAL over HTTP", () => {
  it("runs a session from its commission to its minutes; the offer leaves on cal.attribution.v1", async () => {
    const { _id, revision: _r, ...fields } = metzCommission;
    const mine = { id: _id, ...fields, bailleurId: "org_demo_bailleur_57" };
    expect((await h.call("bailleur57", "POST", "/v1/commissions", mine)).status).toBe(201);
    expect((await h.call("reservataire", "POST", "/v1/commissions", { id: "com_x", ...fields })).status).toBe(403);
    const days = await h.call(
      "bailleur57",
      "GET",
      `/v1/commissions/${_id}/jours-de-seance?du=2026-05-01&au=2026-05-31`,
    );
    expect(days.body).toEqual({ jours: ["2026-05-15", "2026-05-28"] });

    const caller = { principal: demoUsers.bailleur57, correlationId: "cor_int", requestId: "req_int" };
    await h.uc.attributions.handle(caller, att, {
      type: "ProposeCandidates",
      id: att,
      bailleurId: "org_demo_bailleur_57",
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

    const scheduled = await h.call("bailleur57", "POST", "/v1/seances", {
      id: "ses_1",
      commissionId: _id,
      date: "2026-11-19",
      mode: "presentiel",
    });
    expect(scheduled.status).toBe(201);
    expect((await h.call("bailleur57", "POST", "/v1/seances/ses_1/ordre-du-jour", { attributionId: att })).status).toBe(
      200,
    );
    expect(
      (await h.call("bailleur57", "POST", "/v1/seances/ses_1/presences", { presents: ["m1", "m2", "m3", "m4", "m6"] }))
        .status,
    ).toBe(200);

    const stranger = await h.call("bailleur57", "POST", "/v1/seances/ses_1/decisions", {
      attributionId: att,
      demandId: "dem_9",
      decision: "ATTRIBUTION",
      bulletins: vote,
    });
    expect(stranger.status).toBe(422);
    expect(stranger.body.error).toMatchObject({ code: "RULE_VIOLATION", reason: "NOT_ON_AGENDA" });
    expect((await h.call("bailleur57", "GET", "/v1/seances/ses_1")).body.decisions).toEqual([]);

    for (const [demandId, rang] of [
      ["dem_1", 1],
      ["dem_2", 2],
      ["dem_3", 3],
    ] as const) {
      const decided = await h.call("bailleur57", "POST", "/v1/seances/ses_1/decisions", {
        attributionId: att,
        demandId,
        decision: "ATTRIBUTION_RANG",
        rang,
        bulletins: vote,
      });
      expect(decided.status).toBe(201);
    }
    expect((await h.call("bailleur57", "POST", "/v1/seances/ses_1/cloture")).status).toBe(200);

    const attribution = await h.call("bailleur57", "GET", `/v1/attributions/${att}`);
    expect(attribution.body.offres).toEqual([
      expect.objectContaining({
        demandId: "dem_1",
        notifieeLe: "2026-11-19",
        repondreAvant: "2026-11-30",
        statut: "en_attente",
      }),
    ]);
    const minutes = await h.call("bailleur57", "GET", "/v1/seances/ses_1/proces-verbal");
    expect(minutes.body).toMatchObject({ titre: "Procès-verbal de la CAL du 2026-11-19", statut: "close" });

    await eventually(async () => {
      const sent = (await readTopic(testKafka(), h.platform.topic(topics.calAttribution))).map(
        (m) => JSON.parse(String(m.value)).type,
      );
      expect(sent).toEqual(["CandidatesProposed", "OfferMade"]);
    });
  });

  it("convenes the next session: the préfet's representative gets the agenda and the previous minutes", async () => {
    const scheduled = await h.call("bailleur57", "POST", "/v1/seances", {
      id: "ses_2",
      commissionId: metzCommission._id,
      date: "2026-12-03",
      mode: "distanciel",
    });
    expect(scheduled.status).toBe(201);
    // Only the landlord's staff sends it; the préfecture reads it.
    expect((await h.call("prefecture57", "POST", "/v1/seances/ses_2/convocation")).status).toBe(403);
    const convened = await h.call("bailleur57", "POST", "/v1/seances/ses_2/convocation");
    expect(convened.status, JSON.stringify(convened.body)).toBe(200);
    expect(convened.body.convocation).toMatchObject({
      destinataires: ["prefet"],
      seancePrecedente: { sessionId: "ses_1", date: "2026-11-19" },
    });

    const page = await h.call("prefecture57", "GET", "/v1/seances/ses_2/convocation");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html/);
    const html = String(page.body);
    expect(html).toContain("Convocation à la séance du 03/12/2026");
    expect(html).toContain("Destinataire(s) : DDETS 57");
    expect(html).toContain("Procès-verbal de la séance précédente (19/11/2026)");
    expect(html).toContain("5700012345");
    expect(html).not.toMatch(/24\s?800|revenu/i);
    // Out of reach: the answer of something that does not exist.
    expect((await h.call("reservataire57", "GET", "/v1/seances/ses_2/convocation")).status).toBe(404);
    expect((await h.call("bailleur", "GET", "/v1/seances/ses_2/convocation")).status).toBe(404);

    await eventually(async () => {
      const sent = (await readTopic(testKafka(), h.platform.topic(topics.calSession))).map((m) =>
        JSON.parse(String(m.value)),
      );
      const convocation = sent.find((e) => e.type === "SessionConvened");
      expect(convocation).toMatchObject({
        aggregateId: "ses_2",
        payload: {
          date: "2026-12-03",
          mode: "distanciel",
          destinataires: [{ membreId: "prefet", nom: "DDETS 57" }],
          seancePrecedente: { sessionId: "ses_1", date: "2026-11-19" },
        },
      });
    });
  });
});

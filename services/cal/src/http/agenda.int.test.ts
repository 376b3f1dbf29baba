import { demoUsers } from "@logis/auth";
import { topics } from "@logis/contracts";
import { eventually, readTopic, testKafka } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metzCommission } from "../domain/testing/commission.js";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { calHarness } from "../testing/harness.js";

// The agenda of a session not yet held, on the real engines: an item removed with its reason goes
// to a next session (never back to the one that removed it); the items' order is set as a whole;
// the CALEOL's opinion on an occupancy examination is recorded in a held session with quorum and
// leaves through the outbox. Only the landlord's commission secretary changes an agenda.

let h: Awaited<ReturnType<typeof calHarness>>;
const caller = { principal: demoUsers.bailleur57, correlationId: "cor_agenda", requestId: "req_agenda" };
const { _id: _i, revision: _r, ...fields } = metzCommission;
const vote = ["m1", "m2", "m3", "m4", "m6"].map((membreId) => ({ membreId, vote: "pour" }));

async function proposed(rplsId: string, loyer: number) {
  const id = `att_${rplsId}_2026-11-02`;
  await h.uc.attributions.handle(caller, id, {
    type: "ProposeCandidates",
    id,
    bailleurId: "org_demo_bailleur_57",
    unit: metzT3({ rplsId, loyer }),
    libereLe: "2026-11-02",
    cible: { reservataireId: "org_demo_bailleur_57", conventionId: null, codeSne: "AUCUN" },
    source: "bailleur",
    candidats: [1, 2, 3].map((n) => ({
      demandId: `dem_${rplsId}_${n}`,
      numeroUnique: `0571126${rplsId.slice(-5)}${n}000AA`,
      facts: family(),
      justification: `Rang ${n}`,
    })),
  });
  return id;
}
const keysOf = (session: { agenda: { attributionId?: string; bailId?: string }[] }) =>
  session.agenda.map((i) => i.attributionId ?? i.bailId);

let dear: string;
let middle: string;
let cheap: string;
beforeAll(async () => {
  h = await calHarness("2026-11-19T09:00:00.000Z");
  const made = await h.call("bailleur57", "POST", "/v1/commissions", {
    id: "com_metz",
    ...fields,
    bailleurId: "org_demo_bailleur_57",
    capacite: 2,
  });
  expect(made.status, JSON.stringify(made.body)).toBe(201);
  cheap = await proposed("5700060001", 380);
  dear = await proposed("5700060002", 560);
  middle = await proposed("5700060003", 470);
  const plan = await h.call("bailleur57", "POST", "/v1/commissions/com_metz/planification");
  expect(plan.status, JSON.stringify(plan.body)).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

describe("removing an item from a session not yet held", () => {
  it("takes it off with its reason and plans it on a next session; a retry changes nothing", async () => {
    const first = await h.call("bailleur57", "GET", "/v1/seances/ses_metz_2026-11-26");
    expect(keysOf(first.body)).toEqual([dear, middle]);

    const res = await h.call("bailleur57", "POST", `/v1/seances/ses_metz_2026-11-26/ordre-du-jour/${dear}/retrait`, {
      motif: "DOSSIER_INCOMPLET",
      commentaire: "Avis d'imposition attendus",
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(keysOf(res.body)).toEqual([middle]);
    expect(res.body.retraits).toEqual([
      {
        cle: dear,
        nature: "ATTRIBUTION",
        rplsId: "5700060002",
        motif: "DOSSIER_INCOMPLET",
        commentaire: "Avis d'imposition attendus",
        le: "2026-11-19T09:00:00.000Z",
        par: demoUsers.bailleur57.userId,
      },
    ]);
    // The next session with room: 10/12 (with the cheapest vacancy), not the one it left.
    expect(res.body.replanification).toEqual({ sessionId: "ses_metz_2026-12-10", date: "2026-12-10" });
    const next = await h.call("bailleur57", "GET", "/v1/seances/ses_metz_2026-12-10");
    expect(keysOf(next.body)).toEqual([cheap, dear]);

    const again = await h.call("bailleur57", "POST", `/v1/seances/ses_metz_2026-11-26/ordre-du-jour/${dear}/retrait`, {
      motif: "DOSSIER_INCOMPLET",
    });
    expect(again.status, JSON.stringify(again.body)).toBe(200);
    expect(again.body.replanification).toEqual({ sessionId: "ses_metz_2026-12-10", date: "2026-12-10" });
    expect(again.body.revision).toBe(res.body.revision);

    // Planning again leaves it where it went.
    const plan = await h.call("bailleur57", "POST", "/v1/commissions/com_metz/planification");
    expect(plan.body).toMatchObject({ placements: [], nonPlaces: [] });
    expect(keysOf((await h.call("bailleur57", "GET", "/v1/seances/ses_metz_2026-11-26")).body)).toEqual([middle]);
  });

  it("bad input: 4xx naming the field and the rule, nothing written", async () => {
    const path = `/v1/seances/ses_metz_2026-11-26/ordre-du-jour`;
    const before = (await h.call("bailleur57", "GET", "/v1/seances/ses_metz_2026-11-26")).body.revision;
    const unknown = await h.call("bailleur57", "POST", `${path}/att_5700069999_2026-11-02/retrait`, {
      motif: "DOSSIER_INCOMPLET",
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ reason: "NOT_ON_AGENDA", field: "itemId" });
    const other = await h.call("bailleur57", "POST", `${path}/${middle}/retrait`, { motif: "AUTRE" });
    expect(other.status).toBe(422);
    expect(other.body.error).toMatchObject({ reason: "REASON_REQUIRED", field: "commentaire" });
    const code = await h.call("bailleur57", "POST", `${path}/${middle}/retrait`, { motif: "PAS_ENVIE" });
    expect(code.status).toBe(400);
    expect(code.body.error.field).toBe("motif");
    expect((await h.call("bailleur57", "GET", "/v1/seances/ses_metz_2026-11-26")).body.revision).toBe(before);
  });

  it("only the landlord's commission secretary: the préfecture and a reserver read, never change", async () => {
    const path = `/v1/seances/ses_metz_2026-11-26/ordre-du-jour/${middle}/retrait`;
    expect((await h.call("prefecture57", "POST", path, { motif: "DOSSIER_INCOMPLET" })).status).toBe(403);
    expect((await h.call("reservataire57", "POST", path, { motif: "DOSSIER_INCOMPLET" })).status).toBe(403);
    const reorder = { ordre: [middle] };
    expect((await h.call("prefecture57", "PUT", "/v1/seances/ses_metz_2026-11-26/ordre-du-jour", reorder)).status).toBe(
      403,
    );
    // Another landlord's secretary: as if the session did not exist.
    expect((await h.call("bailleur", "POST", path, { motif: "DOSSIER_INCOMPLET" })).status).toBe(404);
    expect(keysOf((await h.call("bailleur57", "GET", "/v1/seances/ses_metz_2026-11-26")).body)).toEqual([middle]);
  });
});

describe("the order of the items", () => {
  it("is set as a whole over REST and tRPC; a list that is not a permutation is refused naming 'ordre'", async () => {
    const put = await h.call("bailleur57", "PUT", "/v1/seances/ses_metz_2026-12-10/ordre-du-jour", {
      ordre: [dear, cheap],
    });
    expect(put.status, JSON.stringify(put.body)).toBe(200);
    expect(keysOf(put.body)).toEqual([dear, cheap]);
    const trpc = await h.call("bailleur57", "POST", "/trpc/reorderAgenda", {
      id: "ses_metz_2026-12-10",
      ordre: [cheap, dear],
    });
    expect(trpc.status, JSON.stringify(trpc.body)).toBe(200);
    expect(keysOf(trpc.body.result.data)).toEqual([cheap, dear]);

    const wrong = await h.call("bailleur57", "PUT", "/v1/seances/ses_metz_2026-12-10/ordre-du-jour", {
      ordre: [cheap, cheap],
    });
    expect(wrong.status).toBe(422);
    expect(wrong.body.error).toMatchObject({ reason: "NOT_A_PERMUTATION", field: "ordre" });
    expect(wrong.body.error.message).toMatch(/en double : .*manquants : /);
    const empty = await h.call("bailleur57", "PUT", "/v1/seances/ses_metz_2026-12-10/ordre-du-jour", { ordre: [] });
    expect(empty.status).toBe(400);
    expect(empty.body.error.field).toBe("ordre");
    expect(keysOf((await h.call("bailleur57", "GET", "/v1/seances/ses_metz_2026-12-10")).body)).toEqual([cheap, dear]);
  });
});

describe("the CALEOL's opinion on an occupancy examination", () => {
  it("recorded in a held session with quorum, from the legal list, leaves as OccupancyExamined", async () => {
    const made = await h.call("bailleur57", "POST", "/v1/commissions", {
      ...fields,
      id: "com_eol",
      typeCommission: "CALEOL",
      bailleurId: "org_demo_bailleur_57",
    });
    expect(made.status).toBe(201);
    for (const [id, date] of [
      ["ses_eol_1", "2026-11-26"],
      ["ses_eol_2", "2026-12-10"],
    ])
      expect(
        (await h.call("bailleur57", "POST", "/v1/seances", { id, commissionId: "com_eol", date, mode: "presentiel" }))
          .status,
      ).toBe(201);
    const items = ["bail_a", "bail_b"].map((bailId, n) => ({
      kind: "EXAMEN_OCCUPATION" as const,
      bailId,
      rplsId: `570007000${n}`,
      situation: "SOUS_OCCUPATION" as const,
    }));
    await h.uc.sessions.changeSession(caller, "ses_eol_1", { type: "PlanItems", items });

    // One examination removed before the session: it goes to the next CALEOL session.
    const removed = await h.call("bailleur57", "POST", "/v1/seances/ses_eol_1/ordre-du-jour/bail_b/retrait", {
      motif: "SITUATION_LOCATAIRE_A_ACTUALISER",
    });
    expect(removed.status, JSON.stringify(removed.body)).toBe(200);
    expect(removed.body.replanification).toEqual({ sessionId: "ses_eol_2", date: "2026-12-10" });
    expect(keysOf((await h.call("bailleur57", "GET", "/v1/seances/ses_eol_2")).body)).toEqual(["bail_b"]);

    const path = "/v1/seances/ses_eol_1/avis-occupation";
    const opinion = {
      bailId: "bail_a",
      code: "SITUATION_CONSTATEE_OFFRE_ADAPTEE",
      caracteristiquesLogementAdapte: "T2 dans le même quartier",
      commentaire: "Le locataire souhaite rester à Metz",
      bulletins: vote,
    };
    const early = await h.call("bailleur57", "POST", path, opinion);
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ reason: "SESSION_NOT_OPEN" });
    expect(
      (
        await h.call("bailleur57", "POST", "/v1/seances/ses_eol_1/presences", {
          presents: ["m1", "m2", "m3", "m4", "m6"],
        })
      ).status,
    ).toBe(200);
    const noCharacteristics = await h.call("bailleur57", "POST", path, {
      ...opinion,
      caracteristiquesLogementAdapte: undefined,
    });
    expect(noCharacteristics.status).toBe(422);
    expect(noCharacteristics.body.error).toMatchObject({ field: "caracteristiquesLogementAdapte" });
    const badCode = await h.call("bailleur57", "POST", path, { ...opinion, code: "EXPULSION" });
    expect(badCode.status).toBe(400);
    expect(badCode.body.error.field).toBe("code");
    expect((await h.call("prefecture57", "POST", path, opinion)).status).toBe(403);

    const res = await h.call("bailleur57", "POST", path, opinion);
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.examens).toEqual([
      expect.objectContaining({
        bailId: "bail_a",
        code: "SITUATION_CONSTATEE_OFFRE_ADAPTEE",
        avis: expect.stringMatching(/^Situation constatée : un logement adapté/),
        caracteristiquesLogementAdapte: "T2 dans le même quartier",
        commentaire: "Le locataire souhaite rester à Metz",
        accessionSocialeConseillee: false,
      }),
    ]);
    const twice = await h.call("bailleur57", "POST", path, opinion);
    expect(twice.status).toBe(409);

    // The tenant is notified when the session closes: an event, and the letter to print.
    const letter = "/v1/seances/ses_eol_1/avis-occupation/bail_a/lettre";
    const before = await h.call("bailleur57", "GET", letter);
    expect(before.status).toBe(404);
    expect(before.body.error).toMatchObject({ reason: "OPINION_NOT_NOTIFIED" });
    expect((await h.call("bailleur57", "POST", "/v1/seances/ses_eol_1/cloture")).status).toBe(200);
    const page = await fetch(`${h.base}${letter}`, {
      headers: { authorization: `Bearer ${await h.token("bailleur57")}` },
    });
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const text = await page.text();
    expect(text).toContain("Au locataire du logement n° RPLS 5700070000 (bail bail_a)");
    expect(text).toContain("réunie le 26/11/2026");
    expect(text).toContain("Situation constatée : un logement adapté");
    expect(text).toContain("T2 dans le même quartier");

    await eventually(async () => {
      const sent = (await readTopic(testKafka(), h.platform.topic(topics.calSession))).map((m) =>
        JSON.parse(String(m.value)),
      );
      const examined = sent.filter((e) => e.type === "OccupancyExamined");
      expect(examined).toHaveLength(1);
      expect(examined[0]).toMatchObject({
        aggregateId: "ses_eol_1",
        payload: { bailId: "bail_a", code: "SITUATION_CONSTATEE_OFFRE_ADAPTEE", situation: "SOUS_OCCUPATION" },
      });
      expect(sent.filter((e) => e.type === "OccupancyOpinionNotified").map((e) => e.payload)).toEqual([
        expect.objectContaining({
          bailId: "bail_a",
          code: "SITUATION_CONSTATEE_OFFRE_ADAPTEE",
          seanceLe: "2026-11-26",
          lettre: "/v1/seances/ses_eol_1/avis-occupation/bail_a/lettre",
        }),
      ]);
    }, 30_000);
  });
});

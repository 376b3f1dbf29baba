import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metzCommission } from "../domain/testing/commission.js";
import { calHarness } from "../testing/harness.js";

// The convocations' inbox on the real engines: the préfet's representative finds there the convened
// sessions of its département with their agenda and the links to read, and acknowledges receipt
// once; the landlord's staff see who acknowledged; a reserver and another département see nothing.

let h: Awaited<ReturnType<typeof calHarness>>;
beforeAll(async () => {
  h = await calHarness("2026-11-19T09:00:00.000Z");
  const { _id, revision: _r, ...fields } = metzCommission;
  const made = await h.call("bailleur57", "POST", "/v1/commissions", {
    id: _id,
    ...fields,
    bailleurId: "org_demo_bailleur_57",
  });
  expect(made.status).toBe(201);
  for (const [id, date] of [
    ["ses_a", "2026-11-26"],
    ["ses_b", "2026-12-10"],
  ])
    expect(
      (await h.call("bailleur57", "POST", "/v1/seances", { id, commissionId: _id, date, mode: "presentiel" })).status,
    ).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

describe("the convocations' inbox", () => {
  it("lists the convened sessions for the préfecture, with links; receipt acknowledged once", async () => {
    const early = await h.call("prefecture57", "POST", "/v1/seances/ses_a/convocation/accuse-reception");
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ reason: "NO_CONVOCATION", field: "id" });
    expect((await h.call("prefecture57", "GET", "/v1/convocations")).body.convocations).toEqual([]);

    expect((await h.call("bailleur57", "POST", "/v1/seances/ses_a/convocation")).status).toBe(200);
    const inbox = await h.call("prefecture57", "GET", "/v1/convocations");
    expect(inbox.status, JSON.stringify(inbox.body)).toBe(200);
    expect(inbox.body).toEqual({
      convocations: [
        {
          sessionId: "ses_a",
          commissionId: "com_metz",
          bailleurId: "org_demo_bailleur_57",
          departement: "57",
          date: "2026-11-26",
          mode: "presentiel",
          statut: "programmee",
          convoqueeLe: "2026-11-19T09:00:00.000Z",
          ordreDuJour: [],
          liens: { convocation: "/v1/seances/ses_a/convocation", procesVerbalPrecedent: null },
          accuse: null,
          accuses: [],
        },
      ],
      suivant: null,
    });
    // The link opens the printable convocation for the préfecture.
    const page = await fetch(`${h.base}${inbox.body.convocations[0].liens.convocation}`, {
      headers: { authorization: `Bearer ${await h.token("prefecture57")}` },
    });
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Convocation");

    const ack = await h.call("prefecture57", "POST", "/v1/seances/ses_a/convocation/accuse-reception");
    expect(ack.status, JSON.stringify(ack.body)).toBe(200);
    expect(ack.body.convocation.accuses).toEqual([
      {
        organisationId: "org_demo_ddets_57",
        userId: expect.any(String),
        le: "2026-11-19T09:00:00.000Z",
      },
    ]);
    const twice = await h.call("prefecture57", "POST", "/v1/seances/ses_a/convocation/accuse-reception");
    expect(twice.body.revision).toBe(ack.body.revision);
    expect((await h.call("prefecture57", "GET", "/v1/convocations")).body.convocations[0].accuse).toEqual({
      le: "2026-11-19T09:00:00.000Z",
      par: expect.any(String),
    });
    // The landlord's staff see who acknowledged; they do not acknowledge for the préfet.
    const landlord = await h.call("bailleur57", "GET", "/v1/convocations");
    expect(landlord.body.convocations[0]).toMatchObject({
      accuse: null,
      accuses: [{ organisationId: "org_demo_ddets_57", le: "2026-11-19T09:00:00.000Z" }],
    });
    const notRecipient = await h.call("bailleur57", "POST", "/v1/seances/ses_a/convocation/accuse-reception");
    expect(notRecipient.status).toBe(403);
    expect(notRecipient.body.error).toMatchObject({ reason: "NOT_A_RECIPIENT" });
    // A reserver, another département's préfecture: nothing in their inbox, the session unknown.
    expect((await h.call("reservataire57", "GET", "/v1/convocations")).body.convocations).toEqual([]);
    expect((await h.call("prefecture", "GET", "/v1/convocations")).body.convocations).toEqual([]);
    expect((await h.call("prefecture", "POST", "/v1/seances/ses_a/convocation/accuse-reception")).status).toBe(404);
  });

  it("a page at a time from a day; bad input names the field", async () => {
    expect((await h.call("bailleur57", "POST", "/v1/seances/ses_b/convocation")).status).toBe(200);
    const first = await h.call("prefecture57", "GET", "/v1/convocations?limite=1");
    expect(first.body.convocations.map((c: { sessionId: string }) => c.sessionId)).toEqual(["ses_a"]);
    const next = await h.call(
      "prefecture57",
      "GET",
      `/v1/convocations?limite=1&apres=${encodeURIComponent(first.body.suivant)}`,
    );
    expect(next.body.convocations.map((c: { sessionId: string }) => c.sessionId)).toEqual(["ses_b"]);
    expect(next.body.suivant).toBeNull();
    const fromDay = await h.call("prefecture57", "GET", "/v1/convocations?depuis=2026-12-01");
    expect(fromDay.body.convocations.map((c: { sessionId: string }) => c.sessionId)).toEqual(["ses_b"]);
    const bad = await h.call("prefecture57", "GET", "/v1/convocations?depuis=01/12/2026");
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("query.depuis");
  });
});

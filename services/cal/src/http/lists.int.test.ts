import { demoUsers } from "@logis/auth";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metzCommission } from "../domain/testing/commission.js";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { calHarness } from "../testing/harness.js";

// The lists of commissions and sessions, on the real engines, per the access rules: the landlord's
// staff its own, the préfecture every one of its département, a reserver the commissions of its
// département and only the sessions where its units pass (with its own items only); filters on
// period and status, pagination by cursor, bad input named.

let h: Awaited<ReturnType<typeof calHarness>>;
const attAL = "att_5700012345_2026-11-02";
const attVille = "att_5700067890_2026-11-03";
const { _id: _i, revision: _r, ...fields } = metzCommission;

const propose = async (id: string, rplsId: string, reservataireId: string) => {
  const caller = { principal: demoUsers.bailleur57, correlationId: "cor_lists", requestId: "req_lists" };
  await h.uc.attributions.handle(caller, id, {
    type: "ProposeCandidates",
    id,
    bailleurId: "org_demo_bailleur_57",
    unit: metzT3({ rplsId }),
    libereLe: id.slice(-10),
    cible: { reservataireId, conventionId: `cnv_${reservataireId}`, codeSne: "COLACT" },
    source: "reservataire",
    candidats: [1, 2, 3].map((n) => ({
      demandId: `dem_${rplsId}_${n}`,
      numeroUnique: `05711260000000${40 + n}AA`,
      facts: family(),
      justification: `Désigné ${n}`,
    })),
  });
};

beforeAll(async () => {
  h = await calHarness("2026-11-19T09:00:00.000Z");
  const constitute = async (who: "bailleur57" | "bailleur", body: Record<string, unknown>) =>
    expect((await h.call(who, "POST", "/v1/commissions", { ...fields, ...body })).status).toBe(201);
  await constitute("bailleur57", { id: "com_metz", bailleurId: "org_demo_bailleur_57" });
  await constitute("bailleur57", { id: "com_thion", bailleurId: "org_demo_bailleur_57", typeCommission: "CALEOL" });
  await constitute("bailleur", { id: "com_lyon", bailleurId: "org_demo_bailleur_69", departement: "69" });
  await propose(attAL, "5700012345", "org_demo_action_logement");
  await propose(attVille, "5700067890", "org_demo_ville_metz");
  const schedule = async (who: "bailleur57" | "bailleur", id: string, commissionId: string, date: string) =>
    expect((await h.call(who, "POST", "/v1/seances", { id, commissionId, date, mode: "presentiel" })).status).toBe(201);
  await schedule("bailleur57", "ses_a", "com_metz", "2026-11-26");
  await schedule("bailleur57", "ses_b", "com_metz", "2026-12-10");
  await schedule("bailleur57", "ses_c", "com_metz", "2027-01-07");
  await schedule("bailleur", "ses_lyon", "com_lyon", "2026-11-26");
  for (const [ses, att] of [
    ["ses_a", attAL],
    ["ses_b", attVille],
  ])
    expect(
      (await h.call("bailleur57", "POST", `/v1/seances/${ses}/ordre-du-jour`, { attributionId: att })).status,
    ).toBe(200);
  // A cancelled session stays listed (its agenda is re-planned on the next ones).
  expect((await h.call("bailleur", "POST", "/v1/seances/ses_lyon/annulation", { motif: "Grève" })).status).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

const ids = (body: { seances?: { id: string }[]; commissions?: { id: string }[] }) =>
  (body.seances ?? body.commissions ?? []).map((x) => x.id);

describe("commissions.list (listCommissions)", () => {
  it("the landlord's staff lists its own; the préfecture and the reserver those of their département", async () => {
    expect(ids((await h.call("bailleur57", "GET", "/v1/commissions")).body)).toEqual(["com_metz", "com_thion"]);
    expect(ids((await h.call("bailleur", "GET", "/v1/commissions")).body)).toEqual(["com_lyon"]);
    expect(ids((await h.call("prefecture57", "GET", "/v1/commissions")).body)).toEqual(["com_metz", "com_thion"]);
    expect(ids((await h.call("reservataire57", "GET", "/v1/commissions")).body)).toEqual(["com_metz", "com_thion"]);
    expect(ids((await h.call("guichet", "GET", "/v1/commissions")).body)).toEqual([]);
    const one = (await h.call("bailleur57", "GET", "/v1/commissions?typeCommission=CALEOL")).body;
    expect(one.commissions).toEqual([
      expect.objectContaining({ id: "com_thion", typeCommission: "CALEOL", departement: "57", membres: 9, epci: null }),
    ]);
  });

  it("a page at a time: suivant is the cursor of the next page, null on the last", async () => {
    const first = (await h.call("prefecture57", "GET", "/v1/commissions?limite=1")).body;
    expect(first).toMatchObject({ commissions: [{ id: "com_metz" }], suivant: "com_metz" });
    const second = (await h.call("prefecture57", "GET", "/v1/commissions?limite=1&apres=com_metz")).body;
    expect(second).toMatchObject({ commissions: [{ id: "com_thion" }], suivant: null });
  });
});

describe("sessions.list (listSessions)", () => {
  it("the landlord's staff lists a commission's sessions by date, with their agenda", async () => {
    const res = await h.call("bailleur57", "GET", "/v1/seances?commissionId=com_metz");
    expect(res.status).toBe(200);
    expect(ids(res.body)).toEqual(["ses_a", "ses_b", "ses_c"]);
    expect(res.body.seances[0]).toEqual({
      id: "ses_a",
      commissionId: "com_metz",
      bailleurId: "org_demo_bailleur_57",
      departement: "57",
      date: "2026-11-26",
      mode: "presentiel",
      statut: "programmee",
      capacite: 3,
      ordreDuJour: [
        {
          nature: "ATTRIBUTION",
          attributionId: attAL,
          rplsId: "5700012345",
          reservataireId: "org_demo_action_logement",
          candidats: 3,
        },
      ],
      decisions: 0,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/revenu|numeroUnique|eligibilite/);
  });

  it("a period and a status filter", async () => {
    expect(ids((await h.call("bailleur57", "GET", "/v1/seances?du=2026-12-01&au=2026-12-31")).body)).toEqual(["ses_b"]);
    expect(ids((await h.call("bailleur", "GET", "/v1/seances?statut=annulee")).body)).toEqual(["ses_lyon"]);
    expect(ids((await h.call("bailleur57", "GET", "/v1/seances?statut=annulee")).body)).toEqual([]);
    expect(ids((await h.call("bailleur57", "GET", "/v1/seances?du=2026-11-26&au=2026-11-26")).body)).toEqual(["ses_a"]);
  });

  it("the préfecture every session of its département (not another's); the other landlord only its own", async () => {
    expect(ids((await h.call("prefecture57", "GET", "/v1/seances?departement=57")).body)).toEqual([
      "ses_a",
      "ses_b",
      "ses_c",
    ]);
    expect(ids((await h.call("prefecture57", "GET", "/v1/seances")).body)).toEqual(["ses_a", "ses_b", "ses_c"]);
    const lyon = ids((await h.call("bailleur", "GET", "/v1/seances")).body);
    expect(lyon).toContain("ses_lyon");
    expect(lyon.filter((id) => !id.startsWith("ses_lyon"))).toEqual([]);
    expect(ids((await h.call("bailleur", "GET", "/v1/seances?commissionId=com_metz")).body)).toEqual([]);
  });

  it("a reserver only the sessions where its units pass, with its own items only", async () => {
    const res = await h.call("reservataire57", "GET", "/v1/seances?commissionId=com_metz");
    expect(ids(res.body)).toEqual(["ses_a"]);
    expect(res.body.seances[0].ordreDuJour).toEqual([expect.objectContaining({ attributionId: attAL })]);
    // Another reserver's session is not listed (ses_b holds Ville de Metz's unit).
    expect(JSON.stringify(res.body)).not.toContain(attVille);
  });

  it("a page at a time, by date then id", async () => {
    const first = (await h.call("bailleur57", "GET", "/v1/seances?commissionId=com_metz&limite=2")).body;
    expect(ids(first)).toEqual(["ses_a", "ses_b"]);
    expect(first.suivant).toBe("2026-12-10~ses_b");
    const next = await h.call(
      "bailleur57",
      "GET",
      `/v1/seances?commissionId=com_metz&limite=2&apres=${encodeURIComponent(first.suivant)}`,
    );
    expect(ids(next.body)).toEqual(["ses_c"]);
    expect(next.body.suivant).toBeNull();
  });

  it("the same list over tRPC", async () => {
    const input = encodeURIComponent(JSON.stringify({ commissionId: "com_metz", statut: "programmee" }));
    const res = await h.call("bailleur57", "GET", `/trpc/listSessions?input=${input}`);
    expect(res.status).toBe(200);
    expect(res.body.result.data.seances.map((s: { id: string }) => s.id)).toEqual(["ses_a", "ses_b", "ses_c"]);
  });

  it("bad input: a 400 naming the field and the rule, in French", async () => {
    const bad = async (query: string, field: string, message: RegExp) => {
      const res = await h.call("bailleur57", "GET", `/v1/seances?${query}`);
      expect(res.status, query).toBe(400);
      expect(JSON.stringify(res.body), query).toContain(field);
      expect(JSON.stringify(res.body), query).toMatch(message);
    };
    await bad("limite=0", "limite", /au moins 1/);
    await bad("limite=500", "limite", /au plus 200/);
    await bad("du=2026-12-31&au=2026-12-01", "au", /du doit précéder au/);
    await bad("du=31/12/2026", "du", /date attendue/);
    await bad("apres=ses_a", "apres", /suivant/);
    await bad("statut=finie", "statut", /statut attendu/);
    expect((await h.call("bailleur57", "GET", "/v1/commissions?typeCommission=X")).status).toBe(400);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metzCommission } from "../domain/testing/commission.js";
import { calHarness } from "../testing/harness.js";

// The occupancy examination on the real engines (CALEOL, L442-5-2): the landlord sends its leases'
// occupancy; those due (third anniversary in the coming weeks), in a tense-market commune, in one of
// the five situations, go onto the next CALEOL session as examination items; sending them again
// changes nothing; a CAL does not examine occupancy; bad input names the field.

let h: Awaited<ReturnType<typeof calHarness>>;
const { _id: _i, revision: _r, ...fields } = metzCommission;
beforeAll(async () => {
  h = await calHarness("2026-11-19T09:00:00.000Z");
  for (const [id, type] of [
    ["com_eol_lyon", "CALEOL"],
    ["com_cal_lyon", "CAL"],
  ] as const) {
    const made = await h.call("bailleur", "POST", "/v1/commissions", {
      ...fields,
      id,
      typeCommission: type,
      bailleurId: "org_demo_bailleur_69",
      departement: "69",
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
  }
  const scheduled = await h.call("bailleur", "POST", "/v1/seances", {
    id: "ses_eol_1",
    commissionId: "com_eol_lyon",
    date: "2026-12-03",
    mode: "presentiel",
  });
  expect(scheduled.status).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

/** A lease of four persons in 20 m² (over-occupied), signed three years before 10/12/2026. */
const lease = (bailId: string, change: Record<string, unknown> = {}) => ({
  bailId,
  rplsId: "6900040001",
  commune: "69266",
  signeLe: "2023-12-10",
  personnes: 4,
  nbPieces: 1,
  surface: 20,
  logementAdapte: false,
  handicapOccupant: false,
  besoinLogementAdapte: false,
  revenu: 20000,
  plafond: 45374,
  ...change,
});

describe("leases examined every three years in tense-market communes", () => {
  it("puts the due leases with a situation on the next CALEOL session, once", async () => {
    const baux = [
      lease("bail_due"),
      lease("bail_metz", { commune: "57463", rplsId: "5700040002" }),
      lease("bail_recent", { signeLe: "2024-12-10", rplsId: "6900040003" }),
      lease("bail_fine", { personnes: 2, nbPieces: 3, surface: 60, rplsId: "6900040004" }),
    ];
    const res = await h.call("bailleur", "POST", "/v1/commissions/com_eol_lyon/examens-occupation", { baux });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({
      inscrits: [
        {
          bailId: "bail_due",
          sessionId: "ses_eol_1",
          date: "2026-12-03",
          echeance: "2026-12-10",
          situations: ["SUR_OCCUPATION"],
        },
      ],
      dejaInscrits: [],
      nonPlaces: [],
      nonConcernes: 3,
    });
    const session = await h.call("bailleur", "GET", "/v1/seances/ses_eol_1");
    expect(session.body.agenda).toEqual([
      { kind: "EXAMEN_OCCUPATION", bailId: "bail_due", rplsId: "6900040001", situation: "SUR_OCCUPATION" },
    ]);

    const again = await h.call("bailleur", "POST", "/v1/commissions/com_eol_lyon/examens-occupation", { baux });
    expect(again.body).toMatchObject({ inscrits: [], dejaInscrits: ["bail_due"] });
    expect((await h.call("bailleur", "GET", "/v1/seances/ses_eol_1")).body.agenda).toHaveLength(1);
  });

  it("the scheduler's daily pass places the kept leases that become due, without a new send", async () => {
    // Signed on 15/02/2024: its third anniversary (15/02/2027) is beyond the eight weeks from 19/11/2026.
    const later = lease("bail_later", { rplsId: "6900040005", signeLe: "2024-02-15" });
    const sent = await h.call("bailleur", "POST", "/v1/commissions/com_eol_lyon/examens-occupation", {
      baux: [later],
    });
    expect(sent.body).toMatchObject({ inscrits: [], nonConcernes: 1 });
    expect(await h.uc.occupancy.scheduleAllDue()).toBe(0);

    h.clock.set("2027-01-05T08:00:00.000Z");
    const scheduled = await h.call("bailleur", "POST", "/v1/seances", {
      id: "ses_eol_2",
      commissionId: "com_eol_lyon",
      date: "2027-01-21",
      mode: "presentiel",
    });
    expect(scheduled.status).toBe(201);
    expect(await h.uc.occupancy.scheduleAllDue()).toBe(1);
    expect((await h.call("bailleur", "GET", "/v1/seances/ses_eol_2")).body.agenda).toEqual([
      { kind: "EXAMEN_OCCUPATION", bailId: "bail_later", rplsId: "6900040005", situation: "SUR_OCCUPATION" },
    ]);
    // The next day's pass finds it on the agenda already.
    h.clock.set("2027-01-06T08:00:00.000Z");
    expect(await h.uc.occupancy.scheduleAllDue()).toBe(0);
    h.clock.set("2026-11-19T09:00:00.000Z");
  });

  it("a CAL does not examine occupancy; another landlord's CALEOL is unknown; bad input names the field", async () => {
    const cal = await h.call("bailleur", "POST", "/v1/commissions/com_cal_lyon/examens-occupation", {
      baux: [lease("bail_x")],
    });
    expect(cal.status).toBe(422);
    expect(cal.body.error).toMatchObject({ reason: "NOT_A_CALEOL" });
    const other = await h.call("bailleur57", "POST", "/v1/commissions/com_eol_lyon/examens-occupation", {
      baux: [lease("bail_x")],
    });
    expect(other.status).toBe(404);
    const bad = await h.call("bailleur", "POST", "/v1/commissions/com_eol_lyon/examens-occupation", {
      baux: [lease("bail_x", { surface: -3 })],
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toContain("surface");
  });
});

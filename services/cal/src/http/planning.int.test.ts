import { demoUsers } from "@logis/auth";
import { topics } from "@logis/contracts";
import { eventually, readTopic, testKafka } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metzCommission } from "../domain/testing/commission.js";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { calHarness } from "../testing/harness.js";

// Scheduling from stored data on the real engines: the commission's next sessions come from its
// calendar, the vacancies whose candidates are known are placed by capacity (the costliest vacancy
// first), a cancelled session's agenda goes to the next sessions with room; events leave through
// the outbox; planning again changes nothing.

let h: Awaited<ReturnType<typeof calHarness>>;
beforeAll(async () => {
  h = await calHarness("2026-11-19T09:00:00.000Z");
});
afterAll(async () => {
  await h?.close();
});

const caller = { principal: demoUsers.bailleur57, correlationId: "cor_plan", requestId: "req_plan" };
/** A vacancy of the Moselle landlord with its three candidates, at this monthly rent. */
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

const agendas = async () => {
  const res = await h.call("bailleur57", "GET", "/v1/commissions/com_metz/jours-de-seance?du=2026-11-20&au=2027-01-14");
  const out: Record<string, string[]> = {};
  for (const day of res.body.jours as string[]) {
    const s = await h.call("bailleur57", "GET", `/v1/seances/ses_metz_${day}`);
    out[day] =
      s.status === 200 ? [s.body.statut, ...s.body.agenda.map((i: { attributionId: string }) => i.attributionId)] : [];
  }
  return out;
};

describe("sessions planned from the commission's calendar and the vacancies waiting", () => {
  it("schedules the next sessions, places vacancies by capacity and cost, re-plans a cancelled session", async () => {
    const { _id, revision: _r, ...fields } = metzCommission;
    const made = await h.call("bailleur57", "POST", "/v1/commissions", {
      id: _id,
      ...fields,
      bailleurId: "org_demo_bailleur_57",
      capacite: 2,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const cheap = await proposed("5700020001", 380);
    const dear = await proposed("5700020002", 560);
    const middle = await proposed("5700020003", 470);

    const plan = await h.call("bailleur57", "POST", "/v1/commissions/com_metz/planification");
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect(plan.body.seancesProgrammees).toEqual([
      "ses_metz_2026-11-26",
      "ses_metz_2026-12-10",
      "ses_metz_2026-12-24",
      "ses_metz_2027-01-07",
    ]);
    expect(await agendas()).toEqual({
      "2026-11-26": ["programmee", dear, middle],
      "2026-12-10": ["programmee", cheap],
      "2026-12-24": ["programmee"],
      "2027-01-07": ["programmee"],
    });

    const cancelled = await h.call("bailleur57", "POST", "/v1/seances/ses_metz_2026-11-26/annulation", {
      motif: "Salle indisponible",
    });
    expect(cancelled.status, JSON.stringify(cancelled.body)).toBe(200);
    expect(cancelled.body.replanification.placements).toEqual([
      { attributionId: dear, sessionId: "ses_metz_2026-12-10", date: "2026-12-10" },
      { attributionId: middle, sessionId: "ses_metz_2026-12-24", date: "2026-12-24" },
    ]);
    expect(await agendas()).toEqual({
      "2026-11-26": ["annulee", dear, middle],
      "2026-12-10": ["programmee", cheap, dear],
      "2026-12-24": ["programmee", middle],
      "2027-01-07": ["programmee"],
    });

    const again = await h.call("bailleur57", "POST", "/v1/commissions/com_metz/planification");
    expect(again.body).toMatchObject({ seancesProgrammees: [], placements: [], nonPlaces: [] });

    await eventually(async () => {
      const sent = (await readTopic(testKafka(), h.platform.topic(topics.calSession))).map((m) =>
        JSON.parse(String(m.value)),
      );
      // One partition per session: order holds within a session, not across them.
      expect(sent.map((e) => [e.type, e.aggregateId]).sort()).toEqual([
        ["SessionCancelled", "ses_metz_2026-11-26"],
        ["SessionScheduled", "ses_metz_2026-11-26"],
        ["SessionScheduled", "ses_metz_2026-12-10"],
        ["SessionScheduled", "ses_metz_2026-12-24"],
        ["SessionScheduled", "ses_metz_2027-01-07"],
      ]);
      expect(sent.find((e) => e.type === "SessionCancelled")?.payload.aReplanifier).toEqual([dear, middle]);
    }, 30_000);
  });
});

describe("a DALO candidate's rehousing deadline comes before the cost of vacancy", () => {
  let d: Awaited<ReturnType<typeof calHarness>>;
  beforeAll(async () => {
    d = await calHarness("2026-11-19T09:00:00.000Z");
  });
  afterAll(async () => {
    await d?.close();
  });
  const lyon = { principal: demoUsers.bailleur, correlationId: "cor_dalo", requestId: "req_dalo" };
  /** A vacancy in Villeurbanne with three candidates, the first DALO since `decision` when given. */
  async function vacancy(rplsId: string, loyer: number, decision?: string) {
    const id = `att_${rplsId}_2026-11-02`;
    await d.uc.attributions.handle(lyon, id, {
      type: "ProposeCandidates",
      id,
      bailleurId: "org_demo_bailleur_69",
      unit: metzT3({ rplsId, loyer, commune: "69266", codePostal: "69100", departement: "69" }),
      libereLe: "2026-11-02",
      cible: { reservataireId: "org_demo_bailleur_69", conventionId: null, codeSne: "AUCUN" },
      source: "bailleur",
      candidats: [1, 2, 3].map((n) => ({
        demandId: `dem_${rplsId}_${n}`,
        numeroUnique: `0691126${rplsId.slice(-5)}${n}000AA`,
        facts: family((f) => {
          f.souhaits.communes = ["69266"];
          if (n === 1 && decision) f.situations.dalo = { statut: "ACTIF", dateDecision: decision };
        }),
        justification: `Rang ${n}`,
      })),
    });
    return id;
  }

  it("the vacancy whose DALO household must be rehoused first goes first; a deadline already past is reported", async () => {
    const { _id: _i, revision: _r, ...fields } = metzCommission;
    const made = await d.call("bailleur", "POST", "/v1/commissions", {
      ...fields,
      id: "com_villeurbanne",
      bailleurId: "org_demo_bailleur_69",
      departement: "69",
      capacite: 1,
    });
    expect(made.status, JSON.stringify(made.body)).toBe(201);
    const dear = await vacancy("6900030001", 480);
    // Decided on 15/09/2026: three months outside Île-de-France, to be rehoused by 15/12/2026.
    const dalo = await vacancy("6900030002", 380, "2026-09-15");
    // Decided on 01/08/2026: the deadline (01/11/2026) has passed; placed first, reported late.
    const late = await vacancy("6900030003", 390, "2026-08-01");
    // A vacancy still waiting for its reserver's designation (until 09/12/2026): shown on the first
    // session after its deadline, written on no agenda (no candidate yet).
    const system = { principal: demoUsers.bailleur, correlationId: "cor_open", requestId: "req_open" };
    await d.uc.attributions.handle(system, "att_6900030004_2026-11-02", {
      type: "OpenVacancy",
      id: "att_6900030004_2026-11-02",
      bailleurId: "org_demo_bailleur_69",
      unit: metzT3({ rplsId: "6900030004", commune: "69266", codePostal: "69100", departement: "69" }),
      libereLe: "2026-11-02",
      cible: { reservataireId: "org_demo_action_logement", conventionId: "cnv_al", codeSne: "COLACT" },
      designationAvant: "2026-12-09",
      fluxVersion: 1,
    });
    const plan = await d.call("bailleur", "POST", "/v1/commissions/com_villeurbanne/planification");
    expect(plan.status, JSON.stringify(plan.body)).toBe(200);
    expect(plan.body.reservations).toEqual([
      { attributionId: "att_6900030004_2026-11-02", sessionId: "ses_villeurbanne_2027-01-07", date: "2027-01-07" },
    ]);
    const held = await d.call("bailleur", "GET", "/v1/seances/ses_villeurbanne_2027-01-07");
    expect(held.body.agenda).toEqual([]);
    expect(plan.body.placements).toEqual([
      {
        attributionId: late,
        sessionId: "ses_villeurbanne_2026-11-26",
        date: "2026-11-26",
        horsDelai: { echeance: "2026-11-01", retardJours: 25 },
      },
      { attributionId: dalo, sessionId: "ses_villeurbanne_2026-12-10", date: "2026-12-10" },
      { attributionId: dear, sessionId: "ses_villeurbanne_2026-12-24", date: "2026-12-24" },
    ]);
  });
});

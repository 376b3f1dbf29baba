import { demoUsers } from "@logis/auth";
import type { AnyOperation } from "@logis/http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metzCommission } from "../domain/testing/commission.js";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { calHarness } from "../testing/harness.js";
import { operations } from "./operations.js";

// Every answer documented in /openapi.json comes from the operation's `output` schema: real answers
// of the service on the real engines must satisfy it. `exactly`: nothing in the answer that the
// schema leaves out (zod drops unknown keys: the parsed answer must equal the answer).

let h: Awaited<ReturnType<typeof calHarness>>;
let ops: ReturnType<typeof operations>;
const checked = new Set<string>();
beforeAll(async () => {
  h = await calHarness("2026-11-19T09:00:00.000Z");
  ops = operations(h.uc);
});
afterAll(async () => {
  await h?.close();
});

function conforms(op: AnyOperation, res: { status: number; body: unknown }, exactly = true) {
  expect(res.status, `${op.name}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  const parsed = op.output?.safeParse(res.body);
  expect(parsed?.success, `${op.name}: ${parsed?.error?.message}`).toBe(true);
  if (exactly) expect(JSON.parse(JSON.stringify(parsed?.data)), op.name).toEqual(res.body);
  checked.add(op.name);
}

const att = "att_5700012345_2026-11-02";
const vote = ["m1", "m2", "m3", "m4", "m6"].map((membreId) => ({ membreId, vote: "pour" }));
const numero = (n: number) => `05711260000000${40 + n}AA`;

describe("the CAL's answers agree with their documented schemas", () => {
  it("commissions, sessions, decisions, offers, the lease, the minutes, the lists", async () => {
    const { _id, revision: _r, ...fields } = metzCommission;
    conforms(
      ops.constituteCommission,
      await h.call("bailleur57", "POST", "/v1/commissions", { id: _id, ...fields, bailleurId: "org_demo_bailleur_57" }),
    );
    conforms(ops.getCommission, await h.call("prefecture57", "GET", `/v1/commissions/${_id}`));
    conforms(ops.listCommissions, await h.call("reservataire57", "GET", "/v1/commissions"));
    conforms(
      ops.plannedDays,
      await h.call("bailleur57", "GET", `/v1/commissions/${_id}/jours-de-seance?du=2026-12-01&au=2026-12-31`),
    );

    const caller = { principal: demoUsers.bailleur57, correlationId: "cor_answers", requestId: "req_answers" };
    await h.uc.attributions.handle(caller, att, {
      type: "ProposeCandidates",
      id: att,
      bailleurId: "org_demo_bailleur_57",
      unit: metzT3(),
      libereLe: "2026-11-02",
      cible: { reservataireId: "org_demo_action_logement", conventionId: "cnv_al", codeSne: "COLACT" },
      source: "reservataire",
      candidats: [1, 2, 3].map((n) => ({
        demandId: `dem_${n}`,
        numeroUnique: numero(n),
        facts: family((d) => {
          if (n === 1) d.situations.dalo = { statut: "ACTIF", dateDecision: "2026-10-01" };
        }),
        justification: `Désigné ${n}`,
      })),
    });
    conforms(ops.getAttribution, await h.call("bailleur57", "GET", `/v1/attributions/${att}`));
    // The reserver's view: without the applicants' figures, documented as such.
    const reserver = await h.call("reservataire57", "GET", `/v1/attributions/${att}`);
    conforms(ops.getAttribution, reserver);
    expect(JSON.stringify(reserver.body)).not.toMatch(/revenuReference|eligibilite/);
    conforms(ops.whyCandidate, await h.call("bailleur57", "GET", `/v1/attributions/${att}/pourquoi/${numero(1)}`));

    conforms(
      ops.scheduleSession,
      await h.call("bailleur57", "POST", "/v1/seances", {
        id: "ses_1",
        commissionId: _id,
        date: "2026-11-19",
        mode: "presentiel",
      }),
    );
    conforms(
      ops.planItem,
      await h.call("bailleur57", "POST", "/v1/seances/ses_1/ordre-du-jour", { attributionId: att }),
    );
    conforms(ops.listSessions, await h.call("reservataire57", "GET", `/v1/seances?commissionId=${_id}`));
    conforms(
      ops.recordAttendance,
      await h.call("bailleur57", "POST", "/v1/seances/ses_1/presences", { presents: ["m1", "m2", "m3", "m4", "m6"] }),
    );
    conforms(
      ops.recordDecision,
      await h.call("bailleur57", "POST", "/v1/seances/ses_1/decisions", {
        attributionId: att,
        demandId: "dem_1",
        decision: "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE",
        rang: 1,
        condition: { piece: "AVIS_IMPOSITION", avant: "2026-12-15" },
        bulletins: vote,
      }),
    );
    conforms(
      ops.recordDecision,
      await h.call("bailleur57", "POST", "/v1/seances/ses_1/decisions", {
        attributionId: att,
        demandId: "dem_2",
        decision: "ATTRIBUTION_RANG",
        rang: 2,
        bulletins: vote,
      }),
    );
    conforms(
      ops.recordDecision,
      await h.call("bailleur57", "POST", "/v1/seances/ses_1/decisions", {
        attributionId: att,
        demandId: "dem_3",
        decision: "NON_ATTRIBUTION",
        motifs: [{ code: "TAUX_EFFORT_EXCESSIF" }],
        bulletins: vote,
      }),
    );
    conforms(ops.getSession, await h.call("prefecture57", "GET", "/v1/seances/ses_1"));
    conforms(ops.closeSession, await h.call("bailleur57", "POST", "/v1/seances/ses_1/cloture"));
    conforms(ops.sessionMinutes, await h.call("bailleur57", "GET", "/v1/seances/ses_1/proces-verbal"));

    conforms(
      ops.supplyPiece,
      await h.call("bailleur57", "POST", `/v1/attributions/${att}/pieces`, {
        demandId: "dem_1",
        piece: "AVIS_IMPOSITION",
      }),
    );
    conforms(
      ops.answerOffer,
      await h.call("bailleur57", "POST", `/v1/attributions/${att}/reponse`, { demandId: "dem_1", reponse: "acceptee" }),
    );
    const signed = await h.call("bailleur57", "POST", `/v1/attributions/${att}/bail`, {
      demandId: "dem_1",
      signeLe: "2026-11-20",
    });
    conforms(ops.signLease, signed);
    expect(signed.body).toMatchObject({ statut: "bail_signe", bail: { demandId: "dem_1" } });
    expect(signed.body.candidats[0]).toMatchObject({ dalo: true, daloDecisionLe: "2026-10-01" });

    // The next session, convened: the préfet's representative gets its agenda and these minutes.
    conforms(
      ops.scheduleSession,
      await h.call("bailleur57", "POST", "/v1/seances", {
        id: "ses_2",
        commissionId: _id,
        date: "2026-12-03",
        mode: "presentiel",
      }),
    );
    conforms(ops.conveneSession, await h.call("bailleur57", "POST", "/v1/seances/ses_2/convocation"));
    conforms(
      ops.acknowledgeConvocation,
      await h.call("prefecture57", "POST", "/v1/seances/ses_2/convocation/accuse-reception"),
    );
    conforms(ops.convocationInbox, await h.call("prefecture57", "GET", "/v1/convocations"));
    // A CALEOL of the same landlord: its leases' occupancy (Metz is not a tense-market commune).
    conforms(
      ops.constituteCommission,
      await h.call("bailleur57", "POST", "/v1/commissions", {
        ...fields,
        id: "com_eol",
        typeCommission: "CALEOL",
        bailleurId: "org_demo_bailleur_57",
      }),
    );
    conforms(
      ops.examineOccupancy,
      await h.call("bailleur57", "POST", "/v1/commissions/com_eol/examens-occupation", {
        baux: [
          {
            bailId: "bail_1",
            rplsId: "5700012345",
            commune: "57463",
            signeLe: "2023-12-10",
            personnes: 4,
            nbPieces: 1,
            surface: 20,
            logementAdapte: false,
            handicapOccupant: false,
            besoinLogementAdapte: false,
            revenu: 20000,
            plafond: 45374,
          },
        ],
      }),
    );
    // Its session: the agenda reordered, an examination removed (no next session: not re-planned),
    // the opinion on the other.
    await h.call("bailleur57", "POST", "/v1/seances", {
      id: "ses_eol",
      commissionId: "com_eol",
      date: "2026-11-26",
      mode: "presentiel",
    });
    await h.uc.sessions.changeSession(caller, "ses_eol", {
      type: "PlanItems",
      items: ["bail_2", "bail_3"].map((bailId) => ({
        kind: "EXAMEN_OCCUPATION" as const,
        bailId,
        rplsId: "5700012345",
        situation: "SUR_OCCUPATION" as const,
      })),
    });
    conforms(
      ops.reorderAgenda,
      await h.call("bailleur57", "PUT", "/v1/seances/ses_eol/ordre-du-jour", { ordre: ["bail_3", "bail_2"] }),
    );
    const removed = await h.call("bailleur57", "POST", "/v1/seances/ses_eol/ordre-du-jour/bail_3/retrait", {
      motif: "AUTRE",
      commentaire: "Locataire hospitalisé",
    });
    conforms(ops.removeAgendaItem, removed);
    expect(removed.body.replanification).toMatchObject({ sessionId: null, date: null });
    await h.call("bailleur57", "POST", "/v1/seances/ses_eol/presences", { presents: ["m1", "m2", "m3", "m4", "m6"] });
    conforms(
      ops.recordOccupancyOpinion,
      await h.call("bailleur57", "POST", "/v1/seances/ses_eol/avis-occupation", {
        bailId: "bail_2",
        code: "SITUATION_CONSTATEE_PARCOURS_RESIDENTIEL",
        accessionSocialeConseillee: true,
        bulletins: vote,
      }),
    );
    conforms(ops.planCommission, await h.call("bailleur57", "POST", `/v1/commissions/${_id}/planification`));
    const sessions = await h.call("bailleur57", "GET", `/v1/seances?commissionId=${_id}&statut=programmee`);
    conforms(ops.listSessions, sessions);
    const next = sessions.body.seances[0].id;
    conforms(
      ops.cancelSession,
      await h.call("bailleur57", "POST", `/v1/seances/${next}/annulation`, { motif: "Salle indisponible" }),
    );
  });

  it("every JSON operation was checked, save the two that need another service", async () => {
    conforms(ops.whoami, await h.call("bailleur57", "GET", "/v1/whoami"));
    const all = Object.values(ops).map((op) => op.name);
    // designate needs registration's demand facts in the read model (group cal.demand-facts), and
    // proposeCandidates cotation's ranking: their answers are the attribution view checked above;
    // convocationPage and occupancyLetter answer a page (HTML, documented by its media type;
    // cal.int.test.ts and agenda.int.test.ts read them).
    expect(all.filter((name) => !checked.has(name)).sort()).toEqual([
      "convocationPage",
      "designate",
      "occupancyLetter",
      "proposeCandidates",
    ]);
  });
});

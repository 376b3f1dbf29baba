import type { ExamenEligibilite } from "@logis/contracts";
import { deciderSpec } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { commission, sessionDays } from "./commission.js";
import { minutesOf } from "./minutes.js";
import { addMonths, daloDeadline, planSessions, replanAfterCancellation } from "./scheduling.js";
import { type AgendaItem, type SessionCommand, type SessionEvent, session } from "./session.js";
import { metzCommission } from "./testing/commission.js";

const spec = deciderSpec(session);
const ctx = { now: new Date("2026-11-19T09:30:00.000Z"), by: "usr_demo_bailleur" };
const eligible: ExamenEligibilite = {
  eligible: true,
  tablePlafonds: "plafonds-2026",
  categorieMenage: 3,
  personnes: 2,
  revenuReference: { annee: 2024, montant: 24800 },
  plafond: 37584,
  refus: [],
};
const overCeiling: ExamenEligibilite = {
  ...eligible,
  eligible: false,
  revenuReference: { annee: 2024, montant: 41000 },
  refus: [
    {
      regle: "PLAFOND_RESSOURCES",
      message: "Revenu 41 000 € supérieur au plafond 37 584 €",
      chiffres: { revenu: 41000, plafond: 37584 },
    },
  ],
};
const item: AgendaItem = {
  kind: "ATTRIBUTION",
  attributionId: "att_1",
  rplsId: "5700012345",
  departement: "57",
  reservataireId: "org_demo_prefet",
  candidats: [
    { demandId: "dem_1", numeroUnique: "571126000000004100", dalo: false, eligibilite: eligible },
    { demandId: "dem_2", numeroUnique: "571126000000004200", dalo: false, eligibilite: eligible },
    { demandId: "dem_3", numeroUnique: "571126000000004300", dalo: false, eligibilite: overCeiling },
  ],
};
const scheduled =
  spec
    .given()
    .when({ type: "Schedule", id: "ses_1", commission: metzCommission, date: "2026-11-19", mode: "presentiel" }, ctx)
    .events ?? [];
const planned: SessionEvent = { type: "AgendaItemPlanned", item, at: "t" };
const present = (...ids: string[]): SessionEvent => ({ type: "AttendanceRecorded", presents: ids, at: "t" });
const all = present("m1", "m2", "m3", "m4", "m5", "m6", "maire", "prefet", "al");
const yes = (...ids: string[]) => ids.map((membreId) => ({ membreId, vote: "pour" as const }));
const decide = (
  demandId: string,
  decision: Extract<SessionCommand, { type: "RecordDecision" }>["decision"],
  rest: Partial<Extract<SessionCommand, { type: "RecordDecision" }>> = {},
): SessionCommand => ({
  type: "RecordDecision",
  attributionId: "att_1",
  demandId,
  decision,
  bulletins: yes("m1", "m2", "m3", "m4", "m5"),
  ...rest,
});

describe("a session: agenda, quorum, votes, one legal decision per candidate", () => {
  it("records each decision type, with its votes", () => {
    const given = [...scheduled, planned, all];
    expect(spec.given(...given).when(decide("dem_1", "ATTRIBUTION"), ctx).events?.[0]).toMatchObject({
      type: "DecisionRecorded",
      decision: { type: "ATTRIBUTION", votes: { pour: 5, contre: 0, abstention: 0 }, voixPreponderante: false },
    });
    expect(spec.given(...given).when(decide("dem_1", "ATTRIBUTION_RANG", { rang: 1 }), ctx).error).toBeUndefined();
    const condition = { piece: "AVIS_IMPOSITION" as const, avant: "2026-12-04" };
    expect(
      spec.given(...given).when(decide("dem_2", "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE", { rang: 2, condition }), ctx)
        .events?.[0],
    ).toMatchObject({ decision: { condition } });
    expect(
      spec.given(...given).when(decide("dem_2", "NON_ATTRIBUTION", { motifs: [{ code: "TAUX_EFFORT_EXCESSIF" }] }), ctx)
        .error,
    ).toBeUndefined();
    expect(
      spec
        .given(...given)
        .when(decide("dem_3", "REJET_IRRECEVABILITE", { motifs: [{ code: "RESSOURCES_SUPERIEURES_PLAFOND" }] }), ctx)
        .error,
    ).toBeUndefined();
  });

  it("refuses a decision on a candidate not on the agenda, and records nothing", () => {
    const out = spec.given(...scheduled, planned, all).when(decide("dem_9", "ATTRIBUTION"), ctx);
    expect(out.error).toMatchObject({ code: "RULE_VIOLATION", reason: "NOT_ON_AGENDA" });
    expect(out.state?.decisions).toEqual([]);
  });

  it("refuses a vote without quorum (2 deliberative members present of the 4 required)", () => {
    const out = spec
      .given(...scheduled, planned, present("m1", "m2", "al"))
      .when(decide("dem_1", "ATTRIBUTION", { bulletins: yes("m1", "m2") }), ctx);
    expect(out.error).toMatchObject({ reason: "QUORUM_NOT_REACHED", context: { presents: 2, requis: 4 } });
  });

  it("advisory members do not vote; a tie goes the way of the casting vote", () => {
    const given = [...scheduled, planned, present("m1", "m2", "m3", "m4", "al")];
    expect(
      spec.given(...given).when(decide("dem_1", "ATTRIBUTION", { bulletins: yes("m1", "al") }), ctx).error,
    ).toMatchObject({ reason: "ADVISORY_VOTE" });
    const tie = [
      ...yes("m1", "m2"),
      { membreId: "m3", vote: "contre" as const },
      { membreId: "m4", vote: "contre" as const },
    ];
    expect(
      spec.given(...given).when(decide("dem_1", "ATTRIBUTION", { bulletins: tie }), ctx).events?.[0],
    ).toMatchObject({ decision: { voixPreponderante: true } });
    const lost = [
      ...yes("m2", "m3"),
      { membreId: "m1", vote: "contre" as const },
      { membreId: "m4", vote: "contre" as const },
    ];
    expect(spec.given(...given).when(decide("dem_1", "ATTRIBUTION", { bulletins: lost }), ctx).error).toMatchObject({
      reason: "MAJORITY_NOT_REACHED",
    });
  });

  it("refuses an attribution to an ineligible household, naming the rule", () => {
    const out = spec.given(...scheduled, planned, all).when(decide("dem_3", "ATTRIBUTION"), ctx);
    expect(out.error).toMatchObject({ reason: "INELIGIBLE_HOUSEHOLD" });
    expect(out.error?.message).toMatch(/41 000 €/);
  });

  it("one plain attribution per unit; ranks are unique", () => {
    const first = spec.given(...scheduled, planned, all).when(decide("dem_1", "ATTRIBUTION"), ctx).events ?? [];
    expect(
      spec.given(...scheduled, planned, all, ...first).when(decide("dem_2", "ATTRIBUTION"), ctx).error,
    ).toMatchObject({ reason: "UNIT_ALREADY_ATTRIBUTED" });
    const ranked =
      spec.given(...scheduled, planned, all).when(decide("dem_1", "ATTRIBUTION_RANG", { rang: 1 }), ctx).events ?? [];
    expect(
      spec.given(...scheduled, planned, all, ...ranked).when(decide("dem_2", "ATTRIBUTION_RANG", { rang: 1 }), ctx)
        .error,
    ).toMatchObject({ reason: "RANK_TAKEN" });
    expect(
      spec
        .given(...scheduled, planned, all, ...ranked)
        .when(decide("dem_1", "NON_ATTRIBUTION", { motifs: [{ code: "AUTRE", precision: "x" }] }), ctx).error,
    ).toMatchObject({ reason: "DECISION_ALREADY_RECORDED" });
  });

  it("non-attribution needs lawful reasons: 'no link with the commune' alone is refused", () => {
    const given = [...scheduled, planned, all];
    expect(spec.given(...given).when(decide("dem_2", "NON_ATTRIBUTION"), ctx).error).toMatchObject({
      reason: "REASON_REQUIRED",
    });
    expect(
      spec.given(...given).when(decide("dem_2", "NON_ATTRIBUTION", { motifs: [{ code: "ABSENCE_LIEN_COMMUNE" }] }), ctx)
        .error,
    ).toMatchObject({ reason: "UNLAWFUL_REASON" });
    expect(
      spec.given(...given).when(
        decide("dem_2", "NON_ATTRIBUTION", {
          motifs: [{ code: "ABSENCE_LIEN_COMMUNE" }, { code: "INADAPTATION_TYPOLOGIE" }],
        }),
        ctx,
      ).error,
    ).toBeUndefined();
  });

  it("inadmissibility only for legal access conditions, and a ceiling only when exceeded", () => {
    const given = [...scheduled, planned, all];
    expect(
      spec
        .given(...given)
        .when(decide("dem_2", "REJET_IRRECEVABILITE", { motifs: [{ code: "TAUX_EFFORT_EXCESSIF" }] }), ctx).error,
    ).toMatchObject({ reason: "NOT_AN_ACCESS_CONDITION" });
    expect(
      spec
        .given(...given)
        .when(decide("dem_2", "REJET_IRRECEVABILITE", { motifs: [{ code: "RESSOURCES_SUPERIEURES_PLAFOND" }] }), ctx)
        .error,
    ).toMatchObject({ reason: "CEILING_NOT_EXCEEDED" });
    expect(
      spec.given(...given).when(
        decide("dem_2", "REJET_IRRECEVABILITE", {
          motifs: [{ code: "SEJOUR_IRREGULIER", precision: "titre expiré" }],
        }),
        ctx,
      ).error,
    ).toBeUndefined();
  });

  it("a household whose tax notice is missing: no plain attribution, an attribution under that condition", () => {
    const missing: ExamenEligibilite = {
      ...eligible,
      eligible: false,
      revenuReference: null,
      refus: [{ regle: "REVENU_FISCAL_MANQUANT", message: "Ressources non établies", chiffres: {} }],
    };
    const withGap: AgendaItem = {
      ...item,
      candidats: [{ demandId: "dem_4", numeroUnique: "571126000000004400", dalo: false, eligibilite: missing }],
    };
    const given = [...scheduled, { type: "AgendaItemPlanned", item: withGap, at: "t" } as SessionEvent, all];
    expect(spec.given(...given).when(decide("dem_4", "ATTRIBUTION"), ctx).error).toMatchObject({
      reason: "INELIGIBLE_HOUSEHOLD",
    });
    const condition = { piece: "AVIS_IMPOSITION" as const, avant: "2026-12-04" };
    expect(
      spec.given(...given).when(decide("dem_4", "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE", { rang: 1, condition }), ctx)
        .error,
    ).toBeUndefined();
  });

  it("a suspensive condition names its piece and a deadline after the session", () => {
    const given = [...scheduled, planned, all];
    expect(
      spec.given(...given).when(decide("dem_1", "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE", { rang: 1 }), ctx).error,
    ).toMatchObject({ reason: "CONDITION_REQUIRED" });
    const past = { piece: "TITRE_SEJOUR" as const, avant: "2026-11-19" };
    expect(
      spec
        .given(...given)
        .when(decide("dem_1", "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE", { rang: 1, condition: past }), ctx).error,
    ).toMatchObject({ reason: "CONDITION_DEADLINE" });
  });

  it("several items planned at once: those already on the agenda skipped, all refused when one overflows", () => {
    const at = (n: number) => ({ ...item, attributionId: `att_${n}` });
    const two = spec.given(...scheduled, planned).when({ type: "PlanItems", items: [item, at(2), at(3)] }, ctx);
    expect(two.events?.map((e) => e.type === "AgendaItemPlanned" && e.item)).toEqual([at(2), at(3)]);
    expect(
      spec.given(...scheduled, planned).when({ type: "PlanItems", items: [at(2), at(3), at(4)] }, ctx).error,
    ).toMatchObject({ reason: "SESSION_FULL" });
  });

  it("closes only when every candidate has a decision; capacity bounds the agenda; cancellation lists what to re-plan", () => {
    const given = [...scheduled, planned, all];
    expect(spec.given(...given).when({ type: "Close" }, ctx).error).toMatchObject({ reason: "UNDECIDED_CANDIDATES" });
    const full = [1, 2, 3].map(
      (n): SessionEvent => ({ type: "AgendaItemPlanned", item: { ...item, attributionId: `att_${n}` }, at: "t" }),
    );
    expect(
      spec.given(...scheduled, ...full).when({ type: "PlanItem", item: { ...item, attributionId: "att_4" } }, ctx)
        .error,
    ).toMatchObject({ reason: "SESSION_FULL" });
    expect(
      spec.given(...scheduled, ...full).when({ type: "Cancel", motif: "Quorum impossible" }, ctx).events?.[0],
    ).toMatchObject({
      type: "SessionCancelled",
      aReplanifier: ["att_1", "att_2", "att_3"],
    });
  });

  it("an online session takes votes only within its window", () => {
    const online =
      spec.given().when(
        {
          type: "Schedule",
          id: "ses_2",
          commission: metzCommission,
          date: "2026-11-19",
          mode: "en_ligne",
          ouverture: "2026-11-19T08:00:00.000Z",
          cloture: "2026-11-20T08:00:00.000Z",
        },
        ctx,
      ).events ?? [];
    const late = { ...ctx, now: new Date("2026-11-20T09:00:00.000Z") };
    expect(spec.given(...online, planned, all).when(decide("dem_1", "ATTRIBUTION"), late).error).toMatchObject({
      reason: "OUTSIDE_WINDOW",
    });
    expect(spec.given(...online, planned, all).when(decide("dem_1", "ATTRIBUTION"), ctx).error).toBeUndefined();
  });

  it("the minutes are built from the session's events", () => {
    let events: SessionEvent[] = [...scheduled, planned, all];
    for (const command of [
      decide("dem_1", "ATTRIBUTION_RANG", { rang: 1 }),
      decide("dem_2", "ATTRIBUTION_RANG", { rang: 2 }),
      decide("dem_3", "REJET_IRRECEVABILITE", { motifs: [{ code: "RESSOURCES_SUPERIEURES_PLAFOND" }] }),
      { type: "Close" } as const,
    ]) {
      events = [...events, ...(spec.given(...events).when(command, ctx).events ?? [])];
    }
    const pv = minutesOf(events);
    expect(pv).toMatchObject({
      titre: "Procès-verbal de la CAL du 2026-11-19",
      statut: "close",
      quorum: { presents: 8, requis: 4, atteint: true },
    });
    expect(pv?.logements[0]?.candidats.map((c) => [c.decision, c.rang ?? null, c.motifs])).toEqual([
      ["Attribution par rang", 1, []],
      ["Attribution par rang", 2, []],
      ["Rejet pour irrecevabilité", null, ["RESSOURCES_SUPERIEURES_PLAFOND"]],
    ]);
    expect(pv?.membres.find((m) => m.nom === "Action Logement")).toMatchObject({ voix: "consultative", present: true });
  });
});

describe("a commission: composition, rules, schedule", () => {
  const cspec = deciderSpec(commission);
  const cctx = { now: new Date("2026-11-01T09:00:00.000Z"), by: "usr_demo_bailleur" };
  const { _id, revision: _r, ...fields } = metzCommission;
  it("is constituted with its members and internal rules", () => {
    expect(cspec.given().when({ type: "Constitute", id: _id, ...fields }, cctx).state).toMatchObject({
      _id: "com_metz",
      revision: 1,
    });
  });
  it("refuses a deliberative reserver, a missing tenants' representative, a casting vote held by no deliberative member", () => {
    const membres = fields.membres.map((m) => (m.id === "al" ? { ...m, voix: "deliberative" as const } : m));
    expect(cspec.given().when({ type: "Constitute", id: _id, ...fields, membres }, cctx).error).toMatchObject({
      reason: "RESERVER_ADVISORY_ONLY",
    });
    const noTenants = fields.membres.filter((m) => m.qualite !== "representant_locataires");
    expect(
      cspec.given().when({ type: "Constitute", id: _id, ...fields, membres: noTenants }, cctx).error,
    ).toMatchObject({ reason: "TENANTS_REPRESENTATIVE_MISSING" });
    const reglement = { ...fields.reglement, voixPreponderante: "al" };
    expect(cspec.given().when({ type: "Constitute", id: _id, ...fields, reglement }, cctx).error).toMatchObject({
      reason: "CASTING_VOTE_HOLDER",
    });
  });
  it("its recurring sessions skip to the next working day on a holiday", () => {
    // Every other Thursday from 8 January 2026: 14 May is Ascension → Friday 15 May.
    expect(sessionDays(metzCommission, "2026-05-01", "2026-05-31")).toEqual(["2026-05-15", "2026-05-28"]);
    const monthly = {
      ...metzCommission,
      recurrence: { frequence: "mensuelle" as const, jour: 1 as const, semaine: 1 as const, depuis: "2026-01-01" },
    };
    // First Mondays: 6 April is Easter Monday → Tuesday 7 April.
    expect(sessionDays(monthly, "2026-03-01", "2026-05-31")).toEqual(["2026-03-02", "2026-04-07", "2026-05-04"]);
  });
});

describe("scheduling vacancies onto sessions", () => {
  const sessions = [
    { sessionId: "ses_b", date: "2026-12-03", capacite: 2, occupes: 0 },
    { sessionId: "ses_a", date: "2026-11-19", capacite: 2, occupes: 1 },
    { sessionId: "ses_c", date: "2026-12-17", capacite: 2, occupes: 0 },
  ];
  const v = (id: string, coutJour: number, rest: Partial<Parameters<typeof planSessions>[0][number]> = {}) => ({
    attributionId: id,
    libereLe: "2026-11-01",
    pretLe: "2026-11-10",
    coutJour,
    ...rest,
  });
  const vacancies = [
    v("att_cheap", 10),
    v("att_costly", 25),
    v("att_dalo", 12, { echeance: "2026-12-05" }),
    v("att_late", 30, { pretLe: "2026-11-25" }),
    v("att_tight", 5, { echeance: "2026-11-20" }),
  ];

  it("places deadlines first, then the costliest, each on the earliest session with room, the same way every time", () => {
    const plan = planSessions(vacancies, sessions);
    expect(plan.placements.map((p) => [p.attributionId, p.sessionId])).toEqual([
      ["att_tight", "ses_a"],
      ["att_dalo", "ses_b"],
      ["att_late", "ses_b"],
      ["att_costly", "ses_c"],
      ["att_cheap", "ses_c"],
    ]);
    expect(planSessions([...vacancies].reverse(), [...sessions].reverse())).toEqual(plan);
    expect(plan.coutVacance).toBe(5 * 18 + 12 * 32 + 30 * 32 + 25 * 46 + 10 * 46);
  });

  it("reports a deadline it cannot meet, and what finds no room", () => {
    const plan = planSessions(
      [v("att_x", 1, { echeance: "2026-11-15" }), v("att_y", 1, { pretLe: "2027-01-01" })],
      sessions,
    );
    expect(plan.placements[0]).toMatchObject({
      sessionId: "ses_a",
      horsDelai: { echeance: "2026-11-15", retardJours: 4 },
    });
    expect(plan.nonPlaces).toEqual([
      { attributionId: "att_y", motif: "aucune séance avec de la place à partir du 2027-01-01" },
    ]);
  });

  it("a cancelled session's vacancies are re-planned on the room left elsewhere", () => {
    const plan = replanAfterCancellation(
      "ses_b",
      [v("att_1", 10), v("att_2", 20, { echeance: "2026-12-10" })],
      [
        ...sessions.filter((s) => s.sessionId !== "ses_c"),
        { sessionId: "ses_c", date: "2026-12-17", capacite: 2, occupes: 1 },
      ],
    );
    expect(plan.placements.map((p) => [p.attributionId, p.sessionId, p.horsDelai?.retardJours ?? 0])).toEqual([
      ["att_2", "ses_a", 0],
      ["att_1", "ses_c", 0],
    ]);
  });
});

describe("a DALO household's rehousing deadline", () => {
  it("months after the decision, to the month's last day when it has no such day", () => {
    expect(addMonths("2026-09-15", 3)).toBe("2026-12-15");
    expect(addMonths("2026-11-30", 3)).toBe("2027-02-28");
    expect(addMonths("2026-08-31", 6)).toBe("2027-02-28");
    expect(addMonths("2027-12-31", 2)).toBe("2028-02-29");
  });

  it("the earliest deadline of the DALO candidates whose decision day is known; none otherwise", () => {
    const c = (dalo: boolean, daloDecisionLe?: string) => ({ dalo, daloDecisionLe });
    expect(daloDeadline([c(false), c(true, "2026-10-01"), c(true, "2026-09-15")], 3)).toBe("2026-12-15");
    expect(daloDeadline([c(true, "2026-09-15")], 6)).toBe("2027-03-15");
    expect(daloDeadline([c(false, "2026-09-15"), c(true)], 3)).toBeUndefined();
  });
});

describe("the convocation sent to the préfet's representative", () => {
  const convene = (seancePrecedente: { sessionId: string; date: string } | null = null): SessionCommand => ({
    type: "Convene",
    seancePrecedente,
  });

  it("names the préfet's members, the agenda and the previous session; the state keeps it", () => {
    const out = spec.given(...scheduled, planned).when(convene({ sessionId: "ses_0", date: "2026-11-05" }), ctx);
    expect(out.events).toEqual([
      {
        type: "SessionConvened",
        commissionId: "com_metz",
        bailleurId: "org_demo_bailleur",
        departement: "57",
        date: "2026-11-19",
        mode: "presentiel",
        destinataires: [{ membreId: "prefet", nom: "DDETS 57" }],
        ordreDuJour: [{ nature: "ATTRIBUTION", rplsId: "5700012345", cle: "att_1" }],
        seancePrecedente: { sessionId: "ses_0", date: "2026-11-05" },
        convoqueeLe: "2026-11-19T09:30:00.000Z",
        convoqueePar: "usr_demo_bailleur",
      },
    ]);
    expect(out.state?.convocation).toEqual({
      le: "2026-11-19T09:30:00.000Z",
      destinataires: ["prefet"],
      seancePrecedente: { sessionId: "ses_0", date: "2026-11-05" },
    });
  });

  it("is refused once the session is open, and when no member represents the préfet", () => {
    expect(spec.given(...scheduled, planned, all).when(convene(), ctx).error).toMatchObject({ reason: "SESSION_OPEN" });
    const withoutPrefet =
      spec.given().when(
        {
          type: "Schedule",
          id: "ses_2",
          commission: { ...metzCommission, membres: metzCommission.membres.filter((m) => m.qualite !== "prefet") },
          date: "2026-11-19",
          mode: "presentiel",
        },
        ctx,
      ).events ?? [];
    const refused = spec.given(...withoutPrefet).when(convene(), ctx);
    expect(refused.error).toMatchObject({ code: "RULE_VIOLATION", reason: "NO_PREFET_MEMBER" });
    expect(refused.events).toBeUndefined();
  });
});

describe("the agenda of a session not yet held: items removed, reordered", () => {
  const occupancy: AgendaItem = {
    kind: "EXAMEN_OCCUPATION",
    bailId: "bail_1",
    rplsId: "5700099999",
    situation: "SOUS_OCCUPATION",
  };
  const second: AgendaItem = { ...item, attributionId: "att_2", rplsId: "5700054321" } as AgendaItem;
  const three: SessionEvent[] = [
    ...scheduled,
    planned,
    { type: "AgendaItemPlanned", item: second, at: "t" },
    { type: "AgendaItemPlanned", item: occupancy, at: "t" },
  ];

  it("removes an item with its reason: the state keeps what was removed, why and by whom", () => {
    const out = spec
      .given(...three)
      .when({ type: "WithdrawItem", key: "att_1", motif: "DOSSIER_INCOMPLET", commentaire: " pièces attendues " }, ctx);
    expect(out.events).toEqual([
      {
        type: "AgendaItemWithdrawn",
        key: "att_1",
        motif: "DOSSIER_INCOMPLET",
        commentaire: "pièces attendues",
        at: "2026-11-19T09:30:00.000Z",
        by: "usr_demo_bailleur",
      },
    ]);
    expect(out.state?.agenda.map((i) => i.rplsId)).toEqual(["5700054321", "5700099999"]);
    expect(out.state?.retraits).toEqual([
      {
        cle: "att_1",
        nature: "ATTRIBUTION",
        rplsId: "5700012345",
        motif: "DOSSIER_INCOMPLET",
        commentaire: "pièces attendues",
        le: "2026-11-19T09:30:00.000Z",
        par: "usr_demo_bailleur",
      },
    ]);
    // A CALEOL examination leaves the same way.
    expect(
      spec.given(...three).when({ type: "WithdrawItem", key: "bail_1", motif: "SITUATION_LOCATAIRE_A_ACTUALISER" }, ctx)
        .state?.retraits?.[0],
    ).toMatchObject({ cle: "bail_1", nature: "EXAMEN_OCCUPATION" });
  });

  it("removing twice changes nothing; an unknown item, a held session, an unexplained 'other' are refused", () => {
    const removed = spec.given(...three).when({ type: "WithdrawItem", key: "att_1", motif: "DOSSIER_INCOMPLET" }, ctx);
    const again = spec
      .given(...three, ...(removed.events ?? []))
      .when({ type: "WithdrawItem", key: "att_1", motif: "DOSSIER_INCOMPLET" }, ctx);
    expect(again.events).toEqual([]);
    expect(
      spec.given(...three).when({ type: "WithdrawItem", key: "att_9", motif: "DOSSIER_INCOMPLET" }, ctx).error,
    ).toMatchObject({ code: "RULE_VIOLATION", reason: "NOT_ON_AGENDA", field: "itemId" });
    expect(
      spec.given(...three, all).when({ type: "WithdrawItem", key: "att_1", motif: "DOSSIER_INCOMPLET" }, ctx).error,
    ).toMatchObject({ code: "CONFLICT", reason: "SESSION_OPEN" });
    const other = spec
      .given(...three)
      .when({ type: "WithdrawItem", key: "att_1", motif: "AUTRE", commentaire: " " }, ctx);
    expect(other.error).toMatchObject({ reason: "REASON_REQUIRED", field: "commentaire" });
    expect(other.events).toBeUndefined();
  });

  it("reorders the items: a permutation of the agenda, else refused naming the field and what is wrong", () => {
    const out = spec.given(...three).when({ type: "ReorderAgenda", ordre: ["bail_1", "att_1", "att_2"] }, ctx);
    expect(out.events).toEqual([
      { type: "AgendaReordered", ordre: ["bail_1", "att_1", "att_2"], at: "2026-11-19T09:30:00.000Z" },
    ]);
    expect(out.state?.agenda.map((i) => (i.kind === "ATTRIBUTION" ? i.attributionId : i.bailId))).toEqual([
      "bail_1",
      "att_1",
      "att_2",
    ]);
    expect(
      spec.given(...three).when({ type: "ReorderAgenda", ordre: ["att_1", "att_2", "bail_1"] }, ctx).events,
    ).toEqual([]);
    const wrong = spec.given(...three).when({ type: "ReorderAgenda", ordre: ["att_1", "att_1", "att_9"] }, ctx);
    expect(wrong.error).toMatchObject({
      code: "RULE_VIOLATION",
      reason: "NOT_A_PERMUTATION",
      field: "ordre",
      context: { doubles: ["att_1"], inconnus: ["att_9"], manquants: ["att_2", "bail_1"] },
    });
    expect(wrong.error?.message).toContain("en double : att_1");
    expect(wrong.events).toBeUndefined();
  });
});

describe("the CALEOL's opinion on an occupancy examination", () => {
  const occupancy: AgendaItem = {
    kind: "EXAMEN_OCCUPATION",
    bailId: "bail_1",
    rplsId: "5700099999",
    situation: "SOUS_OCCUPATION",
  };
  const onAgenda: SessionEvent[] = [...scheduled, { type: "AgendaItemPlanned", item: occupancy, at: "t" }];
  const opinion = (
    rest: Partial<Extract<SessionCommand, { type: "RecordOccupancyOpinion" }>> = {},
  ): SessionCommand => ({
    type: "RecordOccupancyOpinion",
    bailId: "bail_1",
    code: "SITUATION_CONSTATEE_OFFRE_ADAPTEE",
    caracteristiquesLogementAdapte: "T3 dans le quartier, ascenseur",
    accessionSocialeConseillee: false,
    bulletins: yes("m1", "m2", "m3", "m4", "m5"),
    ...rest,
  });

  it("records the opinion from the legal list with its French label, once", () => {
    const out = spec.given(...onAgenda, all).when(opinion({ commentaire: "Locataire d'accord" }), ctx);
    expect(out.events).toEqual([
      {
        type: "OccupancyExamined",
        commissionId: "com_metz",
        bailId: "bail_1",
        rplsId: "5700099999",
        situation: "SOUS_OCCUPATION",
        avis: "Situation constatée : un logement adapté, aux caractéristiques définies par la commission, est à proposer au locataire",
        code: "SITUATION_CONSTATEE_OFFRE_ADAPTEE",
        commentaire: "Locataire d'accord",
        caracteristiquesLogementAdapte: "T3 dans le quartier, ascenseur",
        accessionSocialeConseillee: false,
        examineLe: "2026-11-19T09:30:00.000Z",
      },
    ]);
    expect(spec.given(...onAgenda, all, ...(out.events ?? [])).when(opinion(), ctx).error).toMatchObject({
      code: "CONFLICT",
      reason: "DECISION_ALREADY_RECORDED",
    });
  });

  it("the close notifies each opinion to its tenant, with the letter's address", () => {
    const examined = spec.given(...onAgenda, all).when(opinion(), ctx).events ?? [];
    const closed = spec.given(...onAgenda, all, ...examined).when({ type: "Close" }, ctx);
    expect(closed.events).toEqual([
      { type: "SessionClosed", at: "2026-11-19T09:30:00.000Z" },
      {
        type: "OccupancyOpinionNotified",
        commissionId: "com_metz",
        bailId: "bail_1",
        rplsId: "5700099999",
        situation: "SOUS_OCCUPATION",
        avis: "Situation constatée : un logement adapté, aux caractéristiques définies par la commission, est à proposer au locataire",
        code: "SITUATION_CONSTATEE_OFFRE_ADAPTEE",
        caracteristiquesLogementAdapte: "T3 dans le quartier, ascenseur",
        accessionSocialeConseillee: false,
        seanceLe: "2026-11-19",
        notifieLe: "2026-11-19T09:30:00.000Z",
        lettre: "/v1/seances/ses_1/avis-occupation/bail_1/lettre",
      },
    ]);
  });

  it("refuses without quorum, before attendance, off the agenda, an adapted offer without its characteristics", () => {
    const cases: [SessionEvent[], SessionCommand, object][] = [
      [[...onAgenda, present("m1", "m2")], opinion({ bulletins: yes("m1", "m2") }), { reason: "QUORUM_NOT_REACHED" }],
      [onAgenda, opinion(), { reason: "SESSION_NOT_OPEN" }],
      [[...onAgenda, all], opinion({ bailId: "bail_9" }), { reason: "NOT_ON_AGENDA", field: "bailId" }],
      [[...onAgenda, all], opinion({ code: "EXPULSION" as never }), { reason: "OPINION_REQUIRED", field: "code" }],
      [
        [...onAgenda, all],
        opinion({ caracteristiquesLogementAdapte: "  " }),
        { reason: "CHARACTERISTICS_REQUIRED", field: "caracteristiquesLogementAdapte" },
      ],
      [
        [...onAgenda, all],
        opinion({
          code: "SITUATION_NON_CONSTATEE",
          caracteristiquesLogementAdapte: undefined,
          accessionSocialeConseillee: true,
        }),
        { reason: "SITUATION_NOT_FOUND", field: "accessionSocialeConseillee" },
      ],
    ];
    for (const [given, command, error] of cases) {
      const out = spec.given(...given).when(command, ctx);
      expect(out.error, JSON.stringify(command)).toMatchObject(error);
      expect(out.events).toBeUndefined();
    }
  });
});

describe("the acknowledgement of a convocation", () => {
  const convened: SessionEvent[] = [
    ...scheduled,
    planned,
    {
      type: "SessionConvened",
      commissionId: "com_metz",
      bailleurId: "org_demo_bailleur",
      departement: "57",
      date: "2026-11-19",
      mode: "presentiel",
      destinataires: [{ membreId: "prefet", nom: "DDETS 57" }],
      ordreDuJour: [{ nature: "ATTRIBUTION", rplsId: "5700012345", cle: "att_1" }],
      seancePrecedente: null,
      convoqueeLe: "2026-11-12T09:00:00.000Z",
      convoqueePar: "usr_demo_bailleur",
    },
  ];
  const ack: SessionCommand = { type: "AcknowledgeConvocation", organisationId: "org_demo_prefecture_57" };
  const prefet = { ...ctx, by: "usr_demo_prefecture57" };

  it("records who acknowledged and when, once per organisation; a new convocation asks again", () => {
    const out = spec.given(...convened).when(ack, prefet);
    expect(out.events).toEqual([
      {
        type: "ConvocationAcknowledged",
        organisationId: "org_demo_prefecture_57",
        userId: "usr_demo_prefecture57",
        at: "2026-11-19T09:30:00.000Z",
      },
    ]);
    expect(out.state?.convocation?.accuses).toEqual([
      { organisationId: "org_demo_prefecture_57", userId: "usr_demo_prefecture57", le: "2026-11-19T09:30:00.000Z" },
    ]);
    expect(spec.given(...convened, ...(out.events ?? [])).when(ack, prefet).events).toEqual([]);
    const again = spec.given(...convened, ...(out.events ?? [])).when({ type: "Convene", seancePrecedente: null }, ctx);
    expect(again.state?.convocation?.accuses).toBeUndefined();
  });

  it("is refused when no convocation was sent, naming the session", () => {
    const out = spec.given(...scheduled).when(ack, prefet);
    expect(out.error).toMatchObject({ code: "RULE_VIOLATION", reason: "NO_CONVOCATION", field: "id" });
    expect(out.events).toBeUndefined();
  });
});

import type { Logement, Typologie } from "@logis/contracts";
import { describe, expect, it } from "vitest";
import { reportsFrom } from "./balance.js";
import { BAILLEUR, enVigueur, reservataires, unLogement } from "./fixtures.js";
import {
  type Ledger,
  type LedgerCommand,
  type LedgerContext,
  type LedgerEvent,
  ledgerDecider,
  ledgerIdOf,
} from "./ledger.js";
import { spec } from "./testing.js";
import { designate, evolveVacance, replayVacances, type Vacance } from "./vacance.js";

// The landlord's conventions in Moselle: préfet 30 % of which 5 % for State agents, Metz Métropole 20 %
// for loan guarantees, Action Logement 25 %; the landlord keeps the remaining 25 %.
const conventions = [
  enVigueur("cnv_prefet", reservataires.prefet, { pourcentage: 25 }),
  enVigueur("cnv_agents", reservataires.agents, { pourcentage: 5, delaiDesignationJours: 15 }),
  enVigueur("cnv_epci", reservataires.eurometropole, { pourcentage: 20, fondement: "garantie_emprunt" }),
  enVigueur("cnv_al", reservataires.actionLogement, {
    pourcentage: 25,
    fondement: "financement",
    logementRendu: "ne_compte_pas",
  }),
];
const context = (over: Partial<LedgerContext> = {}): LedgerContext => ({
  now: new Date("2026-12-31T12:00:00Z"),
  auteur: "usr_bailleur",
  conventions,
  toleranceEquilibre: 0.5,
  ...over,
});
const opened: LedgerEvent = {
  type: "FluxYearOpened",
  payload: { bailleurId: BAILLEUR, departement: "57", annee: 2026, ouvertLe: "2026-01-01T00:00:00.000Z", reports: [] },
};

const typologies: Typologie[] = ["T1", "T2", "T3", "T3", "T4", "T5"];
/** A year of freed units, varied in typology, QPV and commune, one every three days or so. */
const yearOfUnits = (n: number): { logement: Logement; libereLe: string }[] =>
  Array.from({ length: n }, (_, i) => {
    const nbPieces = Number((typologies[i % typologies.length] as string).slice(1));
    const day = new Date(Date.UTC(2026, 0, 1) + Math.floor((i * 364) / n) * 86_400_000).toISOString().slice(0, 10);
    return {
      logement: unLogement({
        rplsId: `57${String(i).padStart(8, "0")}`,
        nbPieces,
        qpv: i % 3 === 0,
        commune: i % 4 === 0 ? "57672" : "57463",
        codePostal: i % 4 === 0 ? "57100" : "57000",
        anneeConstruction: 1960 + (i % 50),
      }),
      libereLe: day,
    };
  });

const ids = { ledgerId: ledgerIdOf(BAILLEUR, "57", 2026), bailleurId: BAILLEUR };
/** The vacancies the events lead to, by id, as the vacancy store holds them. */
const vacancesOf = (events: readonly LedgerEvent[]) => replayVacances(events, ids);
/** The unit's latest vacancy (what a use case loads before deciding about it). */
const latestOf = (events: readonly LedgerEvent[], rplsId: string): Vacance | undefined =>
  [...vacancesOf(events).values()].filter((v) => v.rplsId === rplsId).at(-1);

/** A command as a caller gives it; `withVacancies` adds the vacancies the use case loads. */
type WithoutVacance<C> = C extends unknown ? Omit<C, "vacance"> : never;
type Given =
  | Exclude<LedgerCommand, { vacance: unknown } | { type: "CloseYear" }>
  | WithoutVacance<Extract<LedgerCommand, { vacance: unknown }>>
  | { type: "CloseYear" };
function withVacancies(command: Given, events: readonly LedgerEvent[], known = vacancesOf(events)): LedgerCommand {
  const latest = (rplsId: string) => [...known.values()].filter((v) => v.rplsId === rplsId).at(-1);
  switch (command.type) {
    case "OrientUnit":
      return { ...command, existante: known.get(`${command.logement.rplsId}@${command.libereLe}`) };
    case "OverrideOrientation":
    case "ReturnUnit":
    case "ExpireDesignation":
    case "RecordAttribution":
      return { ...command, vacance: latest(command.rplsId) } as LedgerCommand;
    case "CloseYear":
      return { ...command, vacances: [...known.values()] };
    default:
      return command;
  }
}

/** Runs commands through the decider as a use case would: load the vacancies, decide, evolve with what was decided. */
function run(commands: readonly Given[], ctx: LedgerContext = context(), from: readonly LedgerEvent[] = [opened]) {
  const events = [...from];
  let state = events.reduce(ledgerDecider.evolve, ledgerDecider.initialState);
  const known = vacancesOf(events);
  for (const command of commands) {
    const result = ledgerDecider.decide(state, withVacancies(command, events, known), ctx);
    if (!result.ok) throw result.error;
    for (const e of result.value) {
      state = ledgerDecider.evolve(state, e);
      const rplsId =
        "logement" in e.payload ? e.payload.logement.rplsId : "rplsId" in e.payload ? e.payload.rplsId : "";
      const opens = e.type === "UnitAssignedToReserver" || e.type === "UnitSubtractedFromFlux";
      const current = opens ? undefined : [...known.values()].filter((v) => v.rplsId === rplsId).at(-1);
      const next = evolveVacance(current, e, ids);
      if (next) known.set(next.id, next);
    }
    events.push(...result.value);
  }
  return { events, state: state as Ledger };
}

const orientAll = (units: ReturnType<typeof yearOfUnits>): Given[] =>
  units.map(({ logement, libereLe }) => ({ type: "OrientUnit", logement, libereLe, motifLiberation: "depart" }));

const close = (events: readonly LedgerEvent[]): LedgerCommand => withVacancies({ type: "CloseYear" }, events);
const closing = context({ now: new Date("2027-02-10T09:00:00Z") });

describe("orienting a year of freed units", () => {
  const units = yearOfUnits(120);
  const { events, state } = run(orientAll(units));
  const balance = ledgerDecider.decide(state, close(events), closing);
  const lignes = balance.ok && balance.value[0]?.type === "BalanceClosed" ? balance.value[0].payload.lignes : [];

  it("meets every reserver's share within one unit at year end: 30 / 6 / 24 / 30 and 30 for the landlord", () => {
    expect(lignes.map((l) => [l.reservataireId, l.du, l.orientes])).toEqual([
      ["org_action_logement", 30, 30],
      ["org_bailleur_57", 30, 30],
      ["org_metz_metropole", 24, 24],
      ["org_prefet_57", 30, 30],
      ["org_prefet_57_agents", 6, 6],
    ]);
    for (const l of lignes) expect(Math.abs(l.report)).toBeLessThanOrEqual(1);
  });

  it("stays within one unit of every share all year long", () => {
    let replayed = ledgerDecider.initialState;
    for (const e of events) {
      replayed = ledgerDecider.evolve(replayed, e);
      for (const line of Object.values(replayed?.reservataires ?? {})) {
        expect(Math.abs(line.compteurs.duBp - line.compteurs.orientes * 10_000)).toBeLessThanOrEqual(10_000);
      }
    }
  });

  it("gives no reserver only QPV units or only one typology", () => {
    const by = new Map<string, { qpv: number; total: number; typologies: Set<string> }>();
    for (const e of events) {
      if (e.type !== "UnitAssignedToReserver") continue;
      const entry = by.get(e.payload.cible.reservataireId) ?? { qpv: 0, total: 0, typologies: new Set() };
      entry.total++;
      if (e.payload.logement.qpv) entry.qpv++;
      entry.typologies.add(e.payload.logement.typologie);
      by.set(e.payload.cible.reservataireId, entry);
    }
    for (const [, { qpv, total, typologies }] of by) {
      expect(Math.abs(qpv / total - 1 / 3)).toBeLessThan(0.2);
      expect(typologies.size).toBeGreaterThanOrEqual(Math.min(total, 4));
    }
  });

  it("is deterministic: the same units and conventions, in any convention order, give the same events", () => {
    const again = run(orientAll(units), context({ conventions: [...conventions].reverse() }));
    expect(JSON.stringify(again.events)).toBe(JSON.stringify(events));
  });

  it("explains each choice with every reserver's position", () => {
    const first = events.find((e) => e.type === "UnitAssignedToReserver");
    expect(first?.payload).toMatchObject({
      cible: {
        reservataireId: "org_action_logement",
        conventionId: "cnv_al",
        type: "action_logement",
        codeSne: "COLACT",
      },
      designationAvant: "2027-01-30",
      explication: {
        regle: "plus_en_retard",
        motif:
          "Orienté vers Action Logement Services : réservataire le plus en retard sur sa part (0,25 logements dus à date, 0 orientés, retard 0,25).",
      },
    });
    const positions = first?.type === "UnitAssignedToReserver" ? first.payload.explication.positions : [];
    expect(positions.map((p) => [p.reservataireId, p.part, p.retard])).toEqual([
      ["org_action_logement", 25, 0.25],
      ["org_bailleur_57", 25, 0.25],
      ["org_prefet_57", 25, 0.25],
      ["org_metz_metropole", 20, 0.2],
      ["org_prefet_57_agents", 5, 0.05],
    ]);
  });

  it("keeps a ledger of counters only: its size does not grow with the number of units", () => {
    const size = JSON.stringify(state).length;
    const bigger = run(orientAll(yearOfUnits(1_200))).state;
    expect(JSON.stringify(bigger).length).toBeLessThan(size * 1.2);
    expect(size).toBeLessThan(10_000);
  });

  it("replays to the same ledger and vacancies, byte for byte", () => {
    const replayed = events.reduce(ledgerDecider.evolve, ledgerDecider.initialState);
    expect(JSON.stringify(replayed)).toBe(JSON.stringify(state));
    const again = run(orientAll(units)).events;
    expect(JSON.stringify([...vacancesOf(again)])).toBe(JSON.stringify([...vacancesOf(events)]));
    expect(vacancesOf(events).size).toBe(120);
  });

  it("keeps a state that is plain JSON: stored as a document and read back, it decides the same", () => {
    const stored = JSON.parse(JSON.stringify(state)) as Ledger;
    expect(stored).toEqual(state);
    const unit = unLogement({ rplsId: "5798765432" });
    const command: LedgerCommand = {
      type: "OrientUnit",
      logement: unit,
      libereLe: "2026-12-30",
      motifLiberation: "depart",
    };
    expect(ledgerDecider.decide(stored, command, context())).toEqual(ledgerDecider.decide(state, command, context()));
  });

  it("carries the balance over to the next year", () => {
    const closed = balance.ok ? balance.value : [];
    const payload = closed[0]?.type === "BalanceClosed" ? closed[0].payload : undefined;
    expect(payload).toMatchObject({ annee: 2026, fluxBrut: 120, fluxNet: 120 });
    expect(reportsFrom({ lignes }).every((r) => r.report === 0)).toBe(true);
    expect(payload?.detail.reduce((n, d) => n + d.proposes, 0)).toBe(120);
  });
});

describe("shares by commune and by typology", () => {
  it("gives a commune's convention units of that commune only, and follows a typology split", () => {
    const withMetz = [
      ...conventions.filter((c) => c.conventionId !== "cnv_epci"),
      enVigueur("cnv_metz", reservataires.metz, { pourcentage: 20, fondement: "garantie_emprunt" }, "57463"),
      enVigueur("cnv_epci", reservataires.eurometropole, {
        pourcentage: 0,
        fondement: "financement",
        ventilation: [{ typologies: ["T1", "T2"], pourcentage: 10 }],
      }),
    ];
    const { events } = run(orientAll(yearOfUnits(120)), context({ conventions: withMetz }));
    const assigned = events.flatMap((e) => (e.type === "UnitAssignedToReserver" ? [e.payload] : []));
    const toMetz = assigned.filter((p) => p.cible.reservataireId === "org_metz");
    expect(toMetz.length).toBe(18); // 20 % of the 90 units in Metz
    expect(toMetz.every((p) => p.logement.commune === "57463")).toBe(true);
    const toEpci = assigned.filter((p) => p.cible.reservataireId === "org_metz_metropole");
    expect(toEpci.length).toBe(4); // 10 % of the 40 T1 and T2
    expect(toEpci.every((p) => ["T1", "T2"].includes(p.logement.typologie))).toBe(true);
  });
});

/** Given / when / then where the command gets the vacancies a use case would load from the given events. */
const specOn = (ctx: LedgerContext) => ({
  given: (...events: LedgerEvent[]) => ({
    when: (command: Given) =>
      spec(ledgerDecider, ctx)
        .given(...events)
        .when(withVacancies(command, events)),
  }),
});

describe("the ledger's other facts", () => {
  const [a, b] = yearOfUnits(2) as [ReturnType<typeof yearOfUnits>[number], ReturnType<typeof yearOfUnits>[number]];
  const orientA: Given = {
    type: "OrientUnit",
    logement: a.logement,
    libereLe: a.libereLe,
    motifLiberation: "depart",
  };

  it("keeps subtracted units in the gross flux only", () => {
    const { state, events: all } = run([
      { ...orientA, soustraction: "renouvellement_urbain" },
      { type: "OrientUnit", logement: b.logement, libereLe: b.libereLe, motifLiberation: "premiere_mise_en_location" },
    ]);
    const { events } = run([{ ...orientA, soustraction: "renouvellement_urbain" }]);
    expect(latestOf(events, a.logement.rplsId)).toMatchObject({
      cible: undefined,
      soustraction: "renouvellement_urbain",
    });
    const result = ledgerDecider.decide(state, close(all), closing);
    expect(result.ok && result.value[0]?.payload).toMatchObject({
      fluxBrut: 2,
      fluxNet: 1,
      soustraits: { renouvellement_urbain: 1, mutation_interne: 0 },
    });
  });

  it("hands the unit facts to the CAL in the orientation, the PLAI-adapté flag included", () => {
    const logement = { ...a.logement, financement: "PLAI" as const, plaiAdapte: true };
    const { events } = run([{ ...orientA, logement }]);
    const assigned = events.find((e) => e.type === "UnitAssignedToReserver");
    expect(assigned?.payload).toMatchObject({ logement: { rplsId: a.logement.rplsId, plaiAdapte: true } });
  });

  it("refuses a second orientation of one freeing, a stock unit, a year not opened, and a freeing of another year", () => {
    const { events } = run([orientA]);
    specOn(context())
      .given(...events)
      .when(orientA)
      .thenError({ code: "CONFLICT", reason: "UNIT_ALREADY_ORIENTED" });
    specOn(context())
      .given(opened)
      .when({ ...orientA, logement: { ...a.logement, exceptionStock: "defense_securite" } })
      .thenError({ reason: "UNIT_OUT_OF_FLUX", field: "logement.exceptionStock" });
    specOn(context()).given().when(orientA).thenError({ code: "NOT_FOUND", reason: "LEDGER_NOT_OPEN" });
    specOn(context())
      .given(opened)
      .when({ ...orientA, libereLe: "2025-12-31" })
      .thenError({ field: "libereLe" });
  });

  it("records attributions, once, on the reserver the unit was oriented to; then the unit can be freed again", () => {
    const { events, state } = run([
      orientA,
      { type: "RecordAttribution", rplsId: a.logement.rplsId, bailSigneLe: "2026-02-01" },
    ]);
    expect(events.at(-1)).toMatchObject({
      type: "AttributionRecorded",
      payload: { cible: { reservataireId: "org_action_logement" } },
    });
    expect(state.reservataires.org_action_logement?.attribues).toBe(1);
    specOn(context())
      .given(...events)
      .when({ type: "RecordAttribution", rplsId: a.logement.rplsId, bailSigneLe: "2026-02-01" })
      .thenError({ code: "CONFLICT", reason: "ALREADY_ATTRIBUTED" });
    expect(
      specOn(context())
        .given(...events)
        .when({ ...orientA, libereLe: "2026-06-01" })
        .events(),
    ).toHaveLength(1);
  });

  it("lets landlord staff override an orientation with a written reason, and moves the count", () => {
    const { events } = run([orientA]);
    specOn(context())
      .given(...events)
      .when({ type: "OverrideOrientation", rplsId: a.logement.rplsId, reservataireId: "org_prefet_57", motif: "court" })
      .thenError({ field: "motif" });
    const override = specOn(context())
      .given(...events)
      .when({
        type: "OverrideOrientation",
        rplsId: a.logement.rplsId,
        reservataireId: "org_prefet_57",
        motif: "Relogement d'un ménage DALO désigné par le préfet",
      })
      .events();
    const state = [...events, ...override].reduce(ledgerDecider.evolve, ledgerDecider.initialState);
    expect(state?.reservataires.org_prefet_57?.compteurs.orientes).toBe(1);
    expect(state?.reservataires.org_action_logement?.compteurs.orientes).toBe(0);
    expect(state?.reservataires.org_prefet_57?.compteurs.orientesTypo).toEqual([1, 0, 0, 0, 0, 0]); // one T1
    expect(latestOf([...events, ...override], a.logement.rplsId)?.cible?.reservataireId).toBe("org_prefet_57");
  });

  it("counts a returned unit as the convention says: Action Logement's returns go back to the landlord's part", () => {
    const { events, state } = run([orientA, { type: "ReturnUnit", rplsId: a.logement.rplsId, renduLe: "2026-01-20" }]);
    expect(events.at(-1)).toMatchObject({ type: "UnitReturned", payload: { compte: false } });
    expect(state.reservataires.org_action_logement).toMatchObject({ rendus: 1, compteurs: { orientes: 0 } });
    expect(state.reservataires[BAILLEUR]?.compteurs.orientes).toBe(1);
    expect(latestOf(events, a.logement.rplsId)).toMatchObject({ rendu: true, cible: { reservataireId: BAILLEUR } });
  });

  describe("the reserver's deadline to designate candidates", () => {
    // Oriented on 31/12/2026 to Action Logement, whose convention gives 30 days: designation by 30/01/2027.
    const { events } = run([orientA]);
    const rplsId = a.logement.rplsId;
    const oriented = latestOf(events, rplsId) as Vacance;
    const at = (instant: string) => context({ now: new Date(instant), auteur: "flux" });
    const expire: Given = { type: "ExpireDesignation", rplsId };

    it("gives the reserver until the last day, inclusive, in Paris", () => {
      expect(oriented.designationAvant).toBe("2027-01-30");
      specOn(at("2027-01-30T22:30:00Z")) // 23:30 in Paris, still the 30th
        .given(...events)
        .when(expire)
        .thenError({ code: "RULE_VIOLATION", reason: "DESIGNATION_NOT_DUE" });
    });

    it("then the landlord presents its own candidates and the unit still counts for the reserver, once", () => {
      specOn(at("2027-01-30T23:30:00Z")) // 00:30 in Paris on the 31st
        .given(...events)
        .when(expire)
        .then([
          {
            type: "UnitDesignationExpired",
            payload: {
              rplsId,
              libereLe: a.libereLe,
              categorie: {
                typologie: "T1",
                financement: a.logement.financement,
                qpv: a.logement.qpv,
                commune: a.logement.commune,
                anneeConstruction: a.logement.anneeConstruction,
              },
              cible: {
                reservataireId: "org_action_logement",
                conventionId: "cnv_al",
                type: "action_logement",
                codeSne: "COLACT",
              },
              designationAvant: "2027-01-30",
              constateLe: "2027-01-30T23:30:00.000Z",
            },
          },
        ]);
      const { events: after, state } = run([expire], at("2027-02-01T08:00:00Z"), events);
      expect(state.reservataires.org_action_logement?.compteurs.orientes).toBe(1);
      expect(state.reservataires[BAILLEUR]?.compteurs.orientes ?? 0).toBe(0);
      expect(latestOf(after, rplsId)).toMatchObject({ designationExpiree: true, rendu: false });
      specOn(at("2027-02-02T08:00:00Z"))
        .given(...after)
        .when(expire)
        .thenError({ code: "CONFLICT", reason: "DESIGNATION_ALREADY_EXPIRED" });
      specOn(at("2027-02-02T08:00:00Z"))
        .given(...after)
        .when({ type: "ReturnUnit", rplsId, renduLe: "2027-02-02" })
        .thenError({ code: "CONFLICT", reason: "DESIGNATION_EXPIRED", message: /a expiré le 2027-01-30/ });
    });

    it("does not expire a unit whose candidates were designated, that was returned, or that is the landlord's own", () => {
      const designated = designate(oriented, { le: "2027-01-12", source: "reservataire" });
      expect(designated.ok && designated.value).toMatchObject({ designation: { le: "2027-01-12" } });
      spec(ledgerDecider, at("2027-02-01T08:00:00Z"))
        .given(...events)
        .when({ type: "ExpireDesignation", rplsId, vacance: designated.ok ? designated.value : undefined })
        .thenError({ reason: "ALREADY_DESIGNATED" });
      const { events: returned } = run([{ type: "ReturnUnit", rplsId, renduLe: "2027-01-05" }], context(), events);
      specOn(at("2027-02-01T08:00:00Z"))
        .given(...returned)
        .when(expire)
        .thenError({ reason: "NO_DESIGNATION_DUE" });
      const own = {
        ...oriented,
        cible: { ...oriented.cible, reservataireId: BAILLEUR, conventionId: null },
      } as Vacance;
      spec(ledgerDecider, at("2027-02-01T08:00:00Z"))
        .given(...events)
        .when({ type: "ExpireDesignation", rplsId, vacance: own })
        .thenError({ reason: "NO_DESIGNATION_DUE" });
    });

    it("records a designation once, the first; one after the deadline is recorded late", () => {
      const first = designate(oriented, { le: "2027-01-12", source: "reservataire" });
      expect(first.ok && first.value?.designation).toEqual({ le: "2027-01-12", source: "reservataire" });
      const again = designate(first.ok ? first.value : undefined, { le: "2027-01-15", source: "prefet_dalo" });
      expect(again).toEqual({ ok: true, value: undefined });
      const lastDay = designate(oriented, { le: "2027-01-30", source: "reservataire" });
      expect(lastDay.ok && lastDay.value?.designation).toEqual({ le: "2027-01-30", source: "reservataire" });
      // After the deadline, before the daily pass found it: late, and the pass no longer expires it.
      const late = designate(oriented, { le: "2027-01-31", source: "prefet_dalo" });
      expect(late.ok && late.value?.designation).toEqual({ le: "2027-01-31", source: "prefet_dalo", enRetard: true });
      spec(ledgerDecider, at("2027-02-01T08:00:00Z"))
        .given(...events)
        .when({ type: "ExpireDesignation", rplsId, vacance: late.ok ? late.value : undefined })
        .thenError({ reason: "ALREADY_DESIGNATED" });
      const own = designate({ ...oriented, cible: undefined }, { le: "2027-01-12", source: "reservataire" });
      expect(!own.ok && own.error.reason).toBe("NO_DESIGNATION_DUE");
      const returned = designate({ ...oriented, rendu: true }, { le: "2027-01-12", source: "reservataire" });
      expect(!returned.ok && returned.error.reason).toBe("NO_DESIGNATION_DUE");
    });

    it("records a designation after the expiry as late: the unit still counts for the reserver, as the convention says without one in time", () => {
      const { events: after, state } = run([expire], at("2027-02-01T08:00:00Z"), events);
      const expired = latestOf(after, rplsId) as Vacance;
      const late = designate(expired, { le: "2027-02-03", source: "reservataire" });
      expect(late.ok && late.value).toMatchObject({
        designationExpiree: true,
        rendu: false,
        cible: { reservataireId: "org_action_logement" },
        designation: { le: "2027-02-03", source: "reservataire", enRetard: true },
      });
      // The designation moves no count: the ledger is the one the expiry left (the vacancy alone is written).
      expect(state.reservataires.org_action_logement).toMatchObject({ rendus: 0, compteurs: { orientes: 1 } });
      expect(state.reservataires[BAILLEUR]?.compteurs.orientes ?? 0).toBe(0);
      expect(designate(late.ok ? late.value : undefined, { le: "2027-02-04", source: "prefet_dalo" })).toEqual({
        ok: true,
        value: undefined,
      });
      spec(ledgerDecider, at("2027-02-05T08:00:00Z"))
        .given(...after)
        .when({ type: "ReturnUnit", rplsId, vacance: late.ok ? late.value : undefined, renduLe: "2027-02-05" })
        .thenError({ reason: "DESIGNATION_EXPIRED" });
    });
  });

  it("closes only once the year is over, then refuses anything else", () => {
    specOn(context()).given(opened).when({ type: "CloseYear" }).thenError({ reason: "YEAR_NOT_OVER" });
    const closed = specOn(closing).given(opened).when({ type: "CloseYear" }).events();
    specOn(closing)
      .given(opened, ...closed)
      .when(orientA)
      .thenError({ code: "CONFLICT", reason: "LEDGER_CLOSED" });
  });

  it("opens the next year with the carry-over, which the orientation takes into account", () => {
    const next: LedgerEvent = {
      type: "FluxYearOpened",
      payload: {
        ...opened.payload,
        annee: 2027,
        reports: [
          {
            reservataireId: "org_prefet_57_agents",
            conventionId: "cnv_agents",
            type: "prefet_agents",
            codeSne: "PFONCT",
            report: 1,
          },
        ],
      } as Extract<LedgerEvent, { type: "FluxYearOpened" }>["payload"],
    };
    const unit = unLogement({ rplsId: "5799999999" });
    const events = specOn(context({ now: new Date("2027-01-05T08:00:00Z") }))
      .given(next)
      .when({ type: "OrientUnit", logement: unit, libereLe: "2027-01-04", motifLiberation: "depart" })
      .events();
    expect(events[0]).toMatchObject({
      payload: { cible: { reservataireId: "org_prefet_57_agents" }, designationAvant: "2027-01-20" },
    });
  });
});

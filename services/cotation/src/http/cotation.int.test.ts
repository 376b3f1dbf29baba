import { createEvent, DemandRadiated, DemandUpdated, gridStream, scoreStream } from "@logis/contracts";
import { eventually, household, readTopic, testKafka } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReferenceGrid } from "../adapters/files/reference-data.js";
import { cotationHarness } from "../testing/harness.js";

type Harness = Awaited<ReturnType<typeof cotationHarness>>;
let h: Harness;

const synthetic = loadReferenceGrid("synthetique");
const EPCI = "200046977";
let dalo: string;
let hosted: string;
let plain: string;
let elsewhere: string;

beforeAll(async () => {
  h = await cotationHarness();
  const events = [
    h.registered(
      household((d) => {
        d.situations.dalo = { statut: "ACTIF" };
      }),
      "2025-11-01",
    ),
    h.registered(
      household((d) => {
        d.logementActuel = { modele: "HOT", nombreOccupants: 3, surface: 18, typeLogement: "T1" };
      }),
      "2024-05-10",
    ),
    h.registered(household(), "2026-05-22"),
    h.registered(
      household((d) => {
        d.souhaits.communes = ["75056"];
      }),
      "2020-01-01",
    ),
    h.registered(household(), "2023-01-15"),
  ];
  [dalo, hosted, plain, elsewhere] = events.map((e) => e.payload.numeroUnique as string) as [
    string,
    string,
    string,
    string,
  ];
  const attributed = events[4];
  if (!attributed) throw new Error("no event");
  const radiated = createEvent(DemandRadiated, {
    aggregateId: attributed.aggregateId,
    aggregateVersion: 2,
    correlationId: "cor_test",
    occurredAt: new Date("2026-09-15T10:00:00.000Z"),
    payload: {
      numeroUnique: attributed.payload.numeroUnique as string,
      departement: "69",
      radiation: {
        motif: "RADATT",
        date: "2026-09-15T10:00:00.000Z",
        attribution: {
          rplsId: "0690000001",
          contingent: "AUCUN",
          dalo: false,
          accordCollectif: "AUCUN",
          bailleur: "LMH",
        },
      },
    },
  });
  // The first event is delivered twice: the projection applies it once.
  await h.publishDemandEvents([...events, radiated, events[0] as (typeof events)[0]]);
  await eventually(() => expect(h.stock.applied).toBe(6));
});
afterAll(async () => {
  await h?.close();
});

describe("cotation over the stock fed by the registration events", () => {
  it("refuses a draft naming an unknown fact with 422, naming the criterion and the field", async () => {
    const rules = structuredClone(synthetic.rules);
    const crit = rules.rubriques[0]?.criteres[0];
    if (!crit) throw new Error("grid shape");
    crit.when = [{ fact: "statutDaloo", op: "in", values: ["ACTIF"] }];
    const res = await h.call("epci", "POST", "/v1/grilles", { epci: EPCI, kind: "unique", nom: "Essai", rules });
    expect(res.status).toBe(422);
    expect(res.body.error).toMatchObject({
      reason: "INVALID_GRID",
      field: "rules.rubriques[0].criteres[0].when[0].fact",
    });
    expect(res.body.error.details[0]).toMatchObject({ critere: "DALO_ACTIF" });
    expect(res.body.error.message).toContain("statutDaloo");
  });

  it("draft → simulate → publish; published grids are immutable and GridPublished leaves through the outbox", async () => {
    const created = await h.call("epci", "POST", "/v1/grilles", {
      epci: EPCI,
      kind: "unique",
      nom: synthetic.nom,
      rules: synthetic.rules,
    });
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body.history[0]).toMatchObject({ by: "usr_demo_epci", action: "créée" });

    const early = await h.call("epci", "POST", `/v1/grilles/${id}/publication`, { effectiveFrom: "2026-11-22" });
    expect(early.status).toBe(409);
    expect(early.body.error.reason).toBe("SIMULATION_REQUIRED");

    const sim = await h.call("epci", "POST", `/v1/grilles/${id}/simulation`, { topN: 2 });
    expect(sim.status).toBe(200);
    expect(sim.body).toMatchObject({ demandes: 3, before: null });
    expect(sim.body.after.max).toBeGreaterThan(300);

    const bailleur = await h.call("bailleur", "POST", `/v1/grilles/${id}/publication`, { effectiveFrom: "2026-11-22" });
    expect(bailleur.status).toBe(403);
    const past = await h.call("epci", "POST", `/v1/grilles/${id}/publication`, { effectiveFrom: "2026-01-01" });
    expect(past.status).toBe(400);
    expect(past.body.error.field).toBe("effectiveFrom");

    const published = await h.call("epci", "POST", `/v1/grilles/${id}/publication`, { effectiveFrom: "2026-11-22" });
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({
      status: "published",
      effectiveFrom: "2026-11-22",
      publishedBy: "usr_demo_epci",
    });
    expect(published.body.history.map((e: { action: string }) => e.action)).toEqual(["créée", "simulée", "publiée"]);

    const edit = await h.call("epci", "PUT", `/v1/grilles/${id}`, { nom: "Changée" });
    expect(edit.status).toBe(409);
    expect(edit.body.error.reason).toBe("GRID_PUBLISHED");

    const events = await eventually(async () => {
      const found = (await readTopic(testKafka(), h.gridTopic)).map((m) =>
        gridStream.schema.parse(JSON.parse(m.value?.toString() ?? "")),
      );
      expect(found).toHaveLength(1);
      return found;
    });
    expect(events[0]).toMatchObject({ type: "GridPublished", aggregateId: `grd_${EPCI}_unique`, aggregateVersion: 1 });
    expect(events[0]?.payload.drawSeed).toBe(published.body.drawSeed);
  });

  it("gives each demand its score, explanation, rank, position among similar demands and observed waiting time", async () => {
    const res = await h.call("guichet", "GET", `/v1/demandes/${dalo}/cotation`);
    expect(res.status).toBe(200);
    const [c] = res.body.cotations;
    expect(c).toMatchObject({ epci: EPCI, rank: 1, of: 3, decile: 4, score: 300 + 2 * 12 });
    expect(c.criteria.map((x: { code: string; points: number }) => [x.code, x.points])).toEqual([
      ["DALO_ACTIF", 300],
      ["ANCIENNETE", 24],
    ]);
    expect(c.similar).toMatchObject({ demandes: 3, better: 0, percentile: 100 });
    // The attributed demand (same typology and commune) waited from 2023-01-15 to 2026-09-15.
    expect(c.waitingTime).toEqual({ meanDays: 1339, attributions: 1 });

    const other = await h.call("guichet", "GET", `/v1/demandes/${hosted}/cotation`);
    expect(other.body.cotations[0]).toMatchObject({
      rank: 2,
      criteria: expect.arrayContaining([expect.objectContaining({ code: "STRUCTURE_HEBERGEMENT" })]),
    });
    expect(other.body.cotations[0].similar).toMatchObject({ demandes: 3, better: 1, percentile: 50 });

    const outside = await h.call("guichet", "GET", `/v1/demandes/${elsewhere}/cotation`);
    expect(outside.status).toBe(200);
    expect(outside.body.cotations).toEqual([]);
    expect((await h.call("guichet", "GET", "/v1/demandes/0690326999999999ZZ/cotation")).status).toBe(404);
  });

  it("an update from registration changes the score; a what-if of a new draft reports rank shifts and the top N", async () => {
    const row = h.stock.projection.rowOfNumeroUnique(plain);
    const id = h.stock.projection.ids[row as number] as string;
    await h.publishDemandEvents([
      createEvent(DemandUpdated, {
        aggregateId: id,
        aggregateVersion: 2,
        correlationId: "cor_test",
        occurredAt: new Date("2026-11-20T10:00:00.000Z"),
        payload: {
          numeroUnique: plain,
          departement: "69",
          changes: ["logementActuel"],
          demande: household((d) => {
            d.logementActuel = { modele: "SD", nombreOccupants: 1 };
          }),
        },
      }),
    ]);
    await eventually(() => expect(h.stock.applied).toBe(7));
    await h.scoring.refresh();
    const after = await h.call("guichet", "GET", `/v1/demandes/${plain}/cotation`);
    expect(after.body.cotations[0].criteria.map((c: { code: string }) => c.code)).toContain("SANS_ABRI");

    const rules = structuredClone(synthetic.rules);
    const first = rules.rubriques[1]?.criteres[0];
    if (first?.points.kind !== "fixed") throw new Error("grid shape");
    first.points.points = 400; // SANS_ABRI above DALO
    const draft = await h.call("epci", "POST", "/v1/grilles", {
      epci: EPCI,
      kind: "unique",
      nom: "Sans-abri d'abord",
      rules,
    });
    expect(draft.status).toBe(201);
    expect(draft.body.version).toBe(2);
    const sim = await h.call("epci", "POST", `/v1/grilles/${draft.body.id}/simulation`, { topN: 1 });
    expect(sim.status).toBe(200);
    expect(sim.body.movers.up).toEqual([expect.objectContaining({ numeroUnique: plain, rankBefore: 3, rankAfter: 1 })]);
    expect(sim.body.movers.down).toContainEqual(
      expect.objectContaining({ numeroUnique: dalo, rankBefore: 1, rankAfter: 2 }),
    );
    const t1 = sim.body.topN.byTypology.find((t: { typologie: string }) => t.typologie === "T2");
    expect(t1).toMatchObject({ entering: 1, leaving: 1, priorityShareBefore: 1, priorityShareAfter: 0 });
    expect(t1.sample).toEqual({ entering: [plain], leaving: [dalo] });
  });

  it("emits DemandScored only when the grid, the score band or the rank decile changes: growing seniority is no storm", async () => {
    const scoredEvents = async () =>
      (await readTopic(testKafka(), h.scoreTopic)).map((m) =>
        scoreStream.schema.parse(JSON.parse(m.value?.toString() ?? "")),
      );
    const first = await h.scores.runOnce("cor_test");
    expect(first).toEqual({ emitted: 3, scored: 3 });
    const events = await eventually(async () => {
      const found = await scoredEvents();
      expect(found).toHaveLength(3);
      return found;
    });
    const daloEvent = events.find((e) => e.payload.numeroUnique === dalo);
    expect(daloEvent?.payload).toMatchObject({
      score: 324,
      band: 12,
      rank: 1,
      decile: 4,
      seniority: { since: "2025-11-01", pointsPerMonth: 2, cap: 240, criterion: "ANCIENNETE" },
    });
    expect((await h.scores.runOnce("cor_test")).emitted).toBe(0);
    // A month later every demand gained 2 points; only the DALO household crossed a band (324 → 326).
    h.clock.advance(30 * 86_400_000);
    expect((await h.scores.runOnce("cor_test")).emitted).toBe(1);
    const later = await eventually(async () => {
      const found = await scoredEvents();
      expect(found).toHaveLength(4);
      return found;
    });
    // Partitions are read one after the other: find the new event by its version, not its position.
    expect(later.filter((e) => e.aggregateVersion === 2)).toEqual([
      expect.objectContaining({
        aggregateId: daloEvent?.aggregateId,
        payload: expect.objectContaining({ score: 326, band: 13 }),
      }),
    ]);
  });
});

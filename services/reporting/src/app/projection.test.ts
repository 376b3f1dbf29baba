import { demoUsers } from "@logis/auth";
import type { Caller } from "@logis/http";
import { describe, expect, it } from "vitest";
import { loadReferences } from "../adapters/files/territoires.js";
import { referenceOf } from "../domain/reference.js";
import { territoryOf } from "../domain/territory.js";
import { cancelled, radiated, reactivated, registered, scored } from "../testing/demand-events.js";
import { memoryDemandRows, memoryScoreRows } from "./ports.js";
import { demandProjection, scoreProjection } from "./projection.js";
import { readScope, statisticsUseCases } from "./statistics.js";

const territory = territoryOf({
  version: "test",
  departements: [{ code: "69", nom: "Rhône" }],
  epcis: [
    { siren: "200046977", nom: "Métropole de Lyon", communes: ["69383"] },
    { siren: "200071082", nom: "Ouest Rhodanien", communes: ["69248"] },
    { siren: "200039865", nom: "Metz Métropole", communes: ["57463"] },
  ],
});

const events = [
  registered({ id: "dem_1", depot: "2026-02-01T08:00:00.000Z", commune: "69383" }),
  registered({ id: "dem_2", depot: "2026-03-01T08:00:00.000Z", commune: "69248", mutation: true }),
  registered({ id: "dem_3", depot: "2026-03-01T08:00:00.000Z", departement: "57", commune: "57463" }),
  radiated("dem_1", 2, "RADATT", "2026-06-01T08:00:00.000Z"),
  cancelled("dem_2", 2, "2026-07-01T08:00:00.000Z"),
  reactivated("dem_2", 3, "2026-07-10T08:00:00.000Z"),
];

describe("the projection into the demands read model", () => {
  it("is idempotent: every event delivered twice, and the whole stream replayed, give the same rows", async () => {
    const once = memoryDemandRows();
    for (const e of events) await demandProjection(once).apply(e);
    const twice = memoryDemandRows();
    const p = demandProjection(twice);
    const outcomes = [];
    for (const e of events) outcomes.push(await p.apply(e), await p.apply(e));
    for (const e of events) outcomes.push(await p.apply(e));
    expect(outcomes.filter((o) => o === "applied")).toHaveLength(events.length);
    expect(twice.rows).toEqual(once.rows);
  });
});

describe("the projection of scores", () => {
  it("keeps the last score per demand and EPCI; an older or repeated event changes nothing", async () => {
    const scores = memoryScoreRows();
    const p = scoreProjection(scores);
    const second = scored("dem_1", "200046977", 2, 2, "2026-10-02T02:00:00.000Z");
    expect(await p.apply(scored("dem_1", "200046977", 1, 5, "2026-10-01T02:00:00.000Z"))).toBe("applied");
    expect(await p.apply(second)).toBe("applied");
    expect(await p.apply(second)).toBe("already-applied");
    expect(await p.apply(scored("dem_1", "200046977", 1, 5, "2026-10-01T02:00:00.000Z"))).toBe("already-applied");
    expect(scores.rows.get("dem_1@200046977")).toMatchObject({ decile: 2, version: 2, computedOn: "2026-10-02" });
  });
});

const caller = (who: keyof typeof demoUsers): Caller => ({
  principal: demoUsers[who],
  correlationId: "cor_test",
  requestId: "req_test",
});

describe("who reads which statistics", () => {
  it("the prefecture, an EPCI's staff and a landlord see their territory; a desk agent nothing", async () => {
    const rows = memoryDemandRows();
    for (const e of events) await demandProjection(rows).apply(e);
    const stats = statisticsUseCases({
      rows,
      scores: memoryScoreRows(),
      territory,
      reference: referenceOf(loadReferences()),
      clock: { now: () => new Date("2026-11-29T10:00:00Z") },
    });
    const prefecture = await stats.demandStatistics(caller("prefecture"), {});
    expect(prefecture.periode).toEqual({ du: "2026-01-01", au: "2026-11-29" });
    expect(prefecture.ensemble).toMatchObject({ actives: 1, nouvelles: 2, radiations: 2 });
    // The Métropole de Lyon's staff: only its communes.
    const epci = await stats.demandStatistics(caller("epci"), {});
    expect(epci.ensemble).toMatchObject({ actives: 0, nouvelles: 1, radiations: 1 });
    await expect(stats.demandStatistics(caller("epci"), { epci: "200071082" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    const landlord = await stats.demandStatistics(caller("bailleur"), { epci: "200071082" });
    expect(landlord.ensemble).toMatchObject({ actives: 1, mutation: 1 });
    await expect(stats.demandStatistics(caller("bailleur"), { departement: "57" })).rejects.toMatchObject({
      code: "FORBIDDEN",
      reason: "OUT_OF_TERRITORY",
    });
    await expect(stats.demandStatistics(caller("bailleur"), { epci: "200039865" })).rejects.toMatchObject({
      code: "FORBIDDEN",
    });
    await expect(stats.demandStatistics(caller("prefecture57"), { epci: "999999999" })).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
    await expect(stats.demandStatistics(caller("guichet"), {})).rejects.toMatchObject({ code: "FORBIDDEN" });
  });

  it("the platform's administrators see every département", () => {
    const admin = { ...demoUsers.prefecture, roles: ["platform-admin" as const] };
    expect(readScope(admin, territory, {})).toEqual({ filtres: {} });
    expect(readScope(admin, territory, { departement: "57" })).toEqual({
      departements: ["57"],
      filtres: { departement: "57" },
    });
  });
});

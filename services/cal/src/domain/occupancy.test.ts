import { describe, expect, it } from "vitest";
import { type LeaseFacts, occupancyDue, situationsOf } from "./occupancy.js";

const lease = (change: Partial<LeaseFacts> = {}): LeaseFacts => ({
  bailId: "bai_1",
  rplsId: "5700054321",
  commune: "57463",
  signeLe: "2023-12-10",
  personnes: 3,
  nbPieces: 3,
  surface: 62,
  logementAdapte: false,
  handicapOccupant: false,
  besoinLogementAdapte: false,
  revenu: 30000,
  plafond: 37584,
  ...change,
});

describe("occupancy examination every three years (CALEOL)", () => {
  it("finds each of the five legal situations", () => {
    expect(situationsOf(lease())).toEqual([]);
    expect(situationsOf(lease({ personnes: 6, surface: 40 }))).toEqual(["SUR_OCCUPATION"]);
    expect(situationsOf(lease({ personnes: 1, nbPieces: 5 }))).toEqual(["SOUS_OCCUPATION"]);
    expect(situationsOf(lease({ logementAdapte: true }))).toEqual(["ADAPTE_NON_NECESSAIRE"]);
    expect(situationsOf(lease({ handicapOccupant: true, besoinLogementAdapte: true }))).toEqual([
      "BESOIN_LOGEMENT_ADAPTE",
    ]);
    expect(situationsOf(lease({ revenu: 40000 }))).toEqual(["RESSOURCES_SUPERIEURES_PLAFOND"]);
  });

  it("selects leases at their third or sixth anniversary in the window, in tense-market communes only", () => {
    const tense = new Set(["57463"]);
    const leases = [
      lease({ bailId: "bai_3y", personnes: 1, nbPieces: 5 }),
      lease({ bailId: "bai_6y", signeLe: "2020-12-20", revenu: 50000 }),
      lease({ bailId: "bai_2y", signeLe: "2024-12-10", revenu: 50000 }),
      lease({ bailId: "bai_fine" }),
      lease({ bailId: "bai_loose", commune: "57672", revenu: 50000 }),
    ];
    expect(
      occupancyDue(leases, "2026-12-01", tense, 31).map((d) => [d.lease.bailId, d.echeance, d.situations]),
    ).toEqual([
      ["bai_3y", "2026-12-10", ["SOUS_OCCUPATION"]],
      ["bai_6y", "2026-12-20", ["RESSOURCES_SUPERIEURES_PLAFOND"]],
    ]);
  });
});

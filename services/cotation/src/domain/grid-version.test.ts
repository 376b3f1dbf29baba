import { GridRules } from "@logis/contracts";
import { deciderSpec } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { catalogue, loadReferenceGrid } from "../testing/reference-data.js";
import { type GridContext, type GridEvent, type GridVersion, gridVersion } from "./grid-version.js";

const { rules } = loadReferenceGrid("synthetique");
const spec = deciderSpec(gridVersion);
const at = (iso: string): GridContext => ({
  now: new Date(iso),
  today: iso.slice(0, 10),
  author: { by: "usr_epci", byName: "Agent EPCI" },
  versions: [],
  catalogue,
});
const created = (version = 1): GridEvent => ({
  type: "DraftCreated",
  version: {
    _id: `grd_200046977_unique.v${version}`,
    gridId: "grd_200046977_unique",
    epci: "200046977",
    kind: "unique",
    version,
    nom: "Grille 2027",
    status: "draft",
    rules,
    history: [{ at: new Date("2026-11-20T09:00:00Z"), by: "usr_epci", byName: "Agent EPCI", action: "créée" }],
  },
});
const simulated: GridEvent = {
  type: "DraftSimulated",
  current: true,
  entry: { at: new Date("2026-11-21T09:00:00Z"), by: "usr_epci", byName: "Agent EPCI", action: "simulée", note: "x" },
};
const published: GridEvent = {
  type: "VersionPublished",
  effectiveFrom: "2026-12-01",
  drawSeed: 42,
  entry: { at: new Date("2026-11-22T09:00:00Z"), by: "usr_epci", byName: "Agent EPCI", action: "publiée" },
};

describe("a grid version: draft → simulated → published, then immutable", () => {
  it("given no version, CreateDraft creates version 1 as a draft attributed to its author", () => {
    const { events, state } = spec
      .given()
      .when(
        { type: "CreateDraft", epci: "200046977", kind: "unique", nom: "Grille 2027", rules },
        at("2026-11-20T09:00:00Z"),
      );
    expect(events?.map((e) => e.type)).toEqual(["DraftCreated"]);
    expect(state).toMatchObject({ _id: "grd_200046977_unique.v1", version: 1, status: "draft" });
    expect(state?.history).toEqual([expect.objectContaining({ action: "créée", by: "usr_epci" })]);
  });

  it("given a draft among the versions, CreateDraft is refused: modify the draft", () => {
    const draft = spec
      .given(created(2))
      .when({ type: "RecordSimulation", seen: 0, note: "" }, at("2026-11-20T09:00:00Z")).state as GridVersion;
    const published1 = { ...draft, _id: "grd_200046977_unique.v1", version: 1, status: "published" as const };
    const { error } = spec
      .given()
      .when(
        { type: "CreateDraft", epci: "200046977", kind: "unique", nom: "v3", rules },
        { ...at("2026-11-20T09:00:00Z"), versions: [published1, draft] },
      );
    expect(error).toMatchObject({ code: "CONFLICT", reason: "DRAFT_EXISTS" });
  });

  it("given published versions only, CreateDraft numbers the new version after them and records what it is based on", () => {
    const v1 = spec
      .given(created(1), simulated, published)
      .when({ type: "RecordSimulation", seen: 0, note: "" }, at("2026-11-23T00:00:00Z")).state as GridVersion;
    const { state } = spec
      .given()
      .when(
        { type: "CreateDraft", epci: "200046977", kind: "unique", nom: "v2", rules },
        { ...at("2026-11-23T09:00:00Z"), versions: [v1] },
      );
    expect(state).toMatchObject({ version: 2, basedOn: 1, status: "draft" });
  });

  it("an invalid grid is refused naming the criterion and the field", () => {
    const bad = GridRules.parse({
      rubriques: [
        {
          code: "RUBRIQUE",
          libelle: "Rubrique",
          mode: "sum",
          criteres: [
            {
              code: "SANS_TOIT",
              libelle: "x",
              when: [{ fact: "sansToit", op: "is", value: true }],
              points: { kind: "fixed", points: 10 },
            },
          ],
        },
      ],
    });
    const { error } = spec
      .given()
      .when(
        { type: "CreateDraft", epci: "200046977", kind: "unique", nom: "x", rules: bad },
        at("2026-11-20T09:00:00Z"),
      );
    expect(error).toMatchObject({
      code: "RULE_VIOLATION",
      reason: "INVALID_GRID",
      field: "rules.rubriques[0].criteres[0].when[0].fact",
    });
    expect(error?.message).toContain("SANS_TOIT");
  });

  it("given a simulated draft, UpdateDraft changes it and forgets the simulation (publication needs a new one)", () => {
    const { state, events } = spec
      .given(created(), simulated)
      .when({ type: "UpdateDraft", nom: "Grille 2027 bis", note: "pondération" }, at("2026-11-21T10:00:00Z"));
    expect(events?.map((e) => e.type)).toEqual(["DraftUpdated"]);
    expect(state).toMatchObject({ nom: "Grille 2027 bis" });
    expect(state?.simulatedAt).toBeUndefined();
    expect(state?.history.map((h) => h.action)).toEqual(["créée", "simulée", "modifiée"]);
  });

  it("a simulation of a draft changed since it was read is recorded but does not count for publication", () => {
    const { state } = spec
      .given(created())
      .when({ type: "RecordSimulation", seen: 0, note: "stale" }, at("2026-11-21T09:00:00Z"));
    expect(state?.simulatedAt).toBeUndefined();
    expect(state?.history.at(-1)).toMatchObject({ action: "simulée", note: "stale" });
  });

  it("given a draft never simulated, Publish is refused: simulate first", () => {
    const { error } = spec
      .given(created())
      .when({ type: "Publish", effectiveFrom: "2026-12-01", drawSeed: 1 }, at("2026-11-22T09:00:00Z"));
    expect(error).toMatchObject({ code: "CONFLICT", reason: "SIMULATION_REQUIRED" });
  });

  it("Publish with an effective date in the past is refused naming the field", () => {
    const { error } = spec
      .given(created(), simulated)
      .when({ type: "Publish", effectiveFrom: "2026-11-01", drawSeed: 1 }, at("2026-11-22T09:00:00Z"));
    expect(error).toMatchObject({ code: "VALIDATION", field: "effectiveFrom", reason: "EFFECTIVE_DATE_PAST" });
  });

  it("given a simulated draft, Publish publishes with the effective date, the author and the draw seed", () => {
    const { state } = spec
      .given(created(), simulated)
      .when({ type: "Publish", effectiveFrom: "2026-12-01", drawSeed: 7 }, at("2026-11-22T09:00:00Z"));
    expect(state).toMatchObject({
      status: "published",
      effectiveFrom: "2026-12-01",
      publishedBy: "usr_epci",
      drawSeed: 7,
    });
    expect(state?.history.at(-1)).toMatchObject({ action: "publiée", note: "effet au 2026-12-01" });
  });

  it("given a published version, UpdateDraft and Publish are refused; a late simulation is not recorded", () => {
    const given = spec.given(created(), simulated, published);
    expect(given.when({ type: "UpdateDraft", nom: "x" }, at("2026-11-23T09:00:00Z")).error).toMatchObject({
      reason: "GRID_PUBLISHED",
    });
    expect(
      given.when({ type: "Publish", effectiveFrom: "2026-12-02", drawSeed: 1 }, at("2026-11-23T09:00:00Z")).error,
    ).toMatchObject({
      reason: "GRID_PUBLISHED",
    });
    expect(given.when({ type: "RecordSimulation", seen: 3, note: "" }, at("2026-11-23T09:00:00Z")).events).toEqual([]);
  });
});

import { describe, expect, it } from "vitest";
import { BAILLEUR, unDeclare, unLogement } from "./fixtures.js";
import { type UnitContext, type UnitEvent, unitDecider, unitIdOf } from "./logement.js";
import { spec } from "./testing.js";

const now = new Date("2026-03-02T08:00:00Z");
const context: UnitContext = {
  now,
  auteur: "usr_bailleur",
  bailleursConnus: new Set([BAILLEUR, "org_autre_bailleur"]),
};
const declared: UnitEvent = {
  type: "UnitDeclared",
  payload: {
    bailleurId: BAILLEUR,
    logement: unLogement(),
    declareLe: "2026-01-05T09:00:00.000Z",
    declarePar: "usr_bailleur",
  },
};
const freed: UnitEvent = {
  type: "UnitFreed",
  payload: {
    bailleurId: BAILLEUR,
    logement: unLogement(),
    libereLe: "2026-03-01",
    motif: "depart",
    declareLe: now.toISOString(),
    declarePar: "usr_bailleur",
  },
};
const unit = spec(unitDecider, context);

describe("declaring a unit", () => {
  it("records the RPLS facts with the typology and département derived", () => {
    const [event] = unit
      .given()
      .when({ type: "DeclareUnit", bailleurId: BAILLEUR, logement: unDeclare({ nbPieces: 7 }) })
      .events();
    expect(event?.payload).toMatchObject({ logement: { typologie: "T6P", departement: "57", rplsId: "5700000001" } });
    expect(unitIdOf("5700000001")).toBe("uni_5700000001");
  });

  it("refuses a unit of an unknown landlord, naming the field", () => {
    unit
      .given()
      .when({ type: "DeclareUnit", bailleurId: "org_inconnu", logement: unDeclare() })
      .thenError({ code: "RULE_VIOLATION", reason: "UNKNOWN_LANDLORD", field: "bailleurId" });
  });

  it("names every bad field in French", () => {
    const error = unit
      .given()
      .when({
        type: "DeclareUnit",
        bailleurId: BAILLEUR,
        logement: unDeclare({ rplsId: "57-1", nbPieces: 0, financement: "HLM" as never }),
      })
      .thenError({ code: "VALIDATION", field: "rplsId" });
    // Each field named in words, then its path (@logis/domain's French messages).
    expect(error.message).toMatch(/\[rplsId\] : identifiant RPLS attendu : 10 caractères/);
    expect(error.message).toMatch(/\[nbPieces\] : nombre de pièces principales : au moins 1/);
    expect(error.message).toMatch(/\[financement\] : financement attendu : PLAI, PLUS, PLS ou PLI/);
  });

  it("carries the PLAI-adapté flag in the unit facts, then in the freeing, and refuses it on a unit not financed in PLAI", () => {
    const plaiAdapte = unDeclare({ financement: "PLAI", plaiAdapte: true });
    const [event] = unit.given().when({ type: "DeclareUnit", bailleurId: BAILLEUR, logement: plaiAdapte }).events();
    expect(event?.payload).toMatchObject({ logement: { financement: "PLAI", plaiAdapte: true } });
    const [freeing] = unit
      .given(event as UnitEvent)
      .when({ type: "FreeUnit", libereLe: "2026-03-01", motif: "depart" })
      .events();
    expect(freeing?.payload).toMatchObject({ logement: { plaiAdapte: true } });
    const error = unit
      .given()
      .when({
        type: "DeclareUnit",
        bailleurId: BAILLEUR,
        logement: unDeclare({ financement: "PLUS", plaiAdapte: true }),
      })
      .thenError({ code: "VALIDATION", reason: "PLAI_ADAPTE_NOT_PLAI", field: "plaiAdapte" });
    expect(error.message).toMatch(/seul un logement financé en PLAI/);
    unit
      .given(event as UnitEvent)
      .when({ type: "UpdateUnit", changes: { financement: "PLS" } })
      .thenError({ reason: "PLAI_ADAPTE_NOT_PLAI", field: "plaiAdapte" });
  });

  it("is idempotent on the RPLS id: the same declaration again records nothing, a changed one records the update", () => {
    unit.given(declared).when({ type: "DeclareUnit", bailleurId: BAILLEUR, logement: unDeclare() }).then([]);
    unit
      .given(declared)
      .when({ type: "DeclareUnit", bailleurId: BAILLEUR, logement: unDeclare({ loyer: 420 }) })
      .then([
        {
          type: "UnitUpdated",
          payload: {
            bailleurId: BAILLEUR,
            logement: unLogement({ loyer: 420 }),
            champs: ["loyer"],
            modifieLe: now.toISOString(),
            modifiePar: "usr_bailleur",
          },
        },
      ]);
    unit
      .given(declared)
      .when({ type: "DeclareUnit", bailleurId: "org_autre_bailleur", logement: unDeclare() })
      .thenError({ code: "CONFLICT", reason: "UNIT_OF_ANOTHER_LANDLORD" });
  });

  it("updates some fields, re-deriving the typology", () => {
    const [event] = unit
      .given(declared)
      .when({ type: "UpdateUnit", changes: { nbPieces: 4, ascenseur: false } })
      .events();
    expect(event).toMatchObject({
      type: "UnitUpdated",
      payload: { champs: ["ascenseur", "nbPieces", "typologie"], logement: { typologie: "T4" } },
    });
    unit
      .given(declared)
      .when({ type: "UpdateUnit", changes: { surface: -3 } })
      .thenError({ code: "VALIDATION", field: "surface" });
  });
});

describe("freeing and letting a unit", () => {
  it("records the freeing with the unit facts and its reason", () => {
    unit.given(declared).when({ type: "FreeUnit", libereLe: "2026-03-01", motif: "depart" }).then([freed]);
  });

  it("keeps the subtraction reason, and marks a stock unit as outside the flux", () => {
    const [subtracted] = unit
      .given(declared)
      .when({ type: "FreeUnit", libereLe: "2026-03-01", motif: "depart", soustraction: "mutation_interne" })
      .events();
    expect(subtracted?.payload).toMatchObject({ soustraction: "mutation_interne" });
    const stock: UnitEvent = {
      ...declared,
      payload: { ...declared.payload, logement: unLogement({ exceptionStock: "etablissement_sante" }) },
    } as UnitEvent;
    const [outside] = unit.given(stock).when({ type: "FreeUnit", libereLe: "2026-03-01", motif: "depart" }).events();
    expect(outside?.payload).toMatchObject({ horsFlux: "etablissement_sante" });
    unit
      .given(stock)
      .when({ type: "FreeUnit", libereLe: "2026-03-01", motif: "depart", soustraction: "demolition" })
      .thenError({ reason: "STOCK_UNIT_NOT_SUBTRACTABLE", field: "soustraction" });
  });

  it("refuses a duplicate freeing, a freeing in the future and the freeing of an unknown unit", () => {
    unit
      .given(declared, freed)
      .when({ type: "FreeUnit", libereLe: "2026-03-02", motif: "depart" })
      .thenError({ code: "CONFLICT", reason: "UNIT_ALREADY_FREED", message: /déjà libéré depuis le 2026-03-01/ });
    unit
      .given(declared)
      .when({ type: "FreeUnit", libereLe: "2026-03-03", motif: "depart" })
      .thenError({ field: "libereLe" });
    unit.given().when({ type: "FreeUnit", libereLe: "2026-03-01", motif: "depart" }).thenError({ code: "NOT_FOUND" });
  });

  it("takes today as the Paris day: at 00:30 in Paris on 1 December (23:30 UTC), a freeing of 1 December is not in the future", () => {
    const lateEvening = { ...context, now: new Date("2026-11-30T23:30:00Z") };
    expect(
      spec(unitDecider, lateEvening)
        .given(declared)
        .when({ type: "FreeUnit", libereLe: "2026-12-01", motif: "depart" })
        .events(),
    ).toHaveLength(1);
  });

  it("a signed lease makes the unit occupied again, so it can be freed later", () => {
    const [let_] = unit.given(declared, freed).when({ type: "LetUnit", bailSigneLe: "2026-03-20" }).events();
    expect(let_).toMatchObject({ type: "UnitLet", payload: { rplsId: "5700000001", bailSigneLe: "2026-03-20" } });
    expect(
      unit
        .given(declared, freed, let_ as UnitEvent)
        .when({ type: "FreeUnit", libereLe: "2026-03-02", motif: "depart" })
        .events(),
    ).toHaveLength(1);
    unit.given(declared).when({ type: "LetUnit", bailSigneLe: "2026-03-20" }).thenError({ reason: "UNIT_NOT_FREE" });
    unit
      .given(declared, freed)
      .when({ type: "LetUnit", bailSigneLe: "2026-02-20" })
      .thenError({ field: "bailSigneLe" });
  });
});

import { describe, expect, it } from "vitest";
import {
  type ConventionCommand,
  type ConventionContext,
  type ConventionEvent,
  conventionDecider,
  conventionOn,
} from "./convention.js";
import { BAILLEUR, conditions, enVigueur, parametres, reservataires } from "./fixtures.js";
import type { ConventionEnVigueur } from "./shares.js";
import { spec, stateAfter } from "./testing.js";

const now = new Date("2026-03-15T10:00:00Z");
const context = (autresConventions: ConventionEnVigueur[] = []): ConventionContext => ({
  now,
  auteur: "usr_bailleur",
  parametresLegaux: parametres,
  autresConventions,
});

const signPrefet = (pourcentage: number, over: Partial<Extract<ConventionCommand, { type: "SignConvention" }>> = {}) =>
  ({
    type: "SignConvention",
    conventionId: "cnv_prefet",
    bailleurId: BAILLEUR,
    reservataire: reservataires.prefet,
    departement: "57",
    conditions: conditions({ pourcentage }),
    signeLe: "2026-01-10",
    ...over,
  }) as const;

const signed = (pourcentage: number): ConventionEvent => ({
  type: "ConventionSigned",
  payload: {
    conventionId: "cnv_prefet",
    bailleurId: BAILLEUR,
    reservataire: reservataires.prefet,
    codeSne: "PPRIOR",
    departement: "57",
    conditions: conditions({ pourcentage }),
    signeLe: "2026-01-10",
    signePar: "usr_bailleur",
    parametresLegaux: "flux-test",
  },
});

describe("signing a convention", () => {
  it("records the conditions, the SNE contingent code and the legal parameters checked", () => {
    spec(conventionDecider, context())
      .given()
      .when(signPrefet(25))
      .then([signed(25)]);
  });

  it("refuses a préfet share above 30 %, naming the cap, the figures and the most allowed", () => {
    const error = spec(conventionDecider, context())
      .given()
      .when(signPrefet(32))
      .thenError({ code: "RULE_VIOLATION", reason: "LEGAL_CAP_EXCEEDED", field: "conditions.pourcentage" });
    expect(error.message).toBe(
      "Plafond dépassé : contingent préfectoral à 32 % du flux (Préfet de la Moselle (publics prioritaires) 32 %) pour un plafond de 30 % (CCH R441-5). Ramenez la part de cette convention à 30 % au plus.",
    );
  });

  it("counts the State agents' convention in the préfet's 30 %", () => {
    const agents = enVigueur("cnv_agents", reservataires.agents, { pourcentage: 5 });
    const error = spec(conventionDecider, context([agents]))
      .given()
      .when(signPrefet(26))
      .thenError({ reason: "LEGAL_CAP_EXCEEDED" });
    expect(error.message).toMatch(
      /contingent préfectoral à 31 % du flux .* plafond de 30 %.* Ramenez la part de cette convention à 25 % au plus/,
    );
    spec(conventionDecider, context([agents]))
      .given()
      .when(signPrefet(25))
      .then([signed(25)]);
  });

  it("refuses more than 5 % for State agents", () => {
    spec(conventionDecider, context())
      .given()
      .when(signPrefet(6, { conventionId: "cnv_agents", reservataire: reservataires.agents }))
      .thenError({ reason: "LEGAL_CAP_EXCEEDED", message: /part des agents de l'État à 6 % du flux.*plafond de 5 %/ });
  });

  it("caps the collectivities' loan-guarantee reservations at 20 % together, not their other reservations", () => {
    const metropole = enVigueur("cnv_epci", reservataires.eurometropole, {
      pourcentage: 15,
      fondement: "garantie_emprunt",
    });
    const metz = (fondement: "garantie_emprunt" | "financement") =>
      ({
        type: "SignConvention",
        conventionId: "cnv_metz",
        bailleurId: BAILLEUR,
        reservataire: reservataires.metz,
        departement: "57",
        commune: "57463",
        conditions: conditions({ pourcentage: 10, fondement }),
        signeLe: "2026-01-10",
      }) as const;
    spec(conventionDecider, context([metropole]))
      .given()
      .when(metz("garantie_emprunt"))
      .thenError({
        reason: "LEGAL_CAP_EXCEEDED",
        message:
          /garantie des emprunts à 25 % du flux pour les logements de la commune 57463 \(Ville de Metz 10 %, Metz Métropole 15 %\).*à 5 % au plus/,
      });
    expect(
      spec(conventionDecider, context([metropole]))
        .given()
        .when(metz("financement"))
        .events(),
    ).toHaveLength(1);
  });

  it("checks caps per typology when shares are split", () => {
    const split = conditions({ pourcentage: 20, ventilation: [{ typologies: ["T1", "T2"], pourcentage: 32 }] });
    spec(conventionDecider, context())
      .given()
      .when({ ...signPrefet(20), conditions: split })
      .thenError({ reason: "LEGAL_CAP_EXCEEDED", message: /32 % du flux pour les logements T1 / });
  });

  it("refuses a flux reserved beyond 100 %", () => {
    const others = [
      enVigueur("cnv_al", reservataires.actionLogement, { pourcentage: 60, fondement: "financement" }),
      enVigueur("cnv_epci", reservataires.eurometropole, { pourcentage: 20, fondement: "financement" }),
    ];
    spec(conventionDecider, context(others))
      .given()
      .when(signPrefet(25))
      .thenError({
        reason: "SHARE_ABOVE_100",
        message: /total des réservations à 105 % du flux.*Ramenez la part de cette convention à 20 % au plus/,
      });
  });

  it("refuses a second convention with the same reserver over the same period, and a commune convention without commune", () => {
    const existing = enVigueur("cnv_prefet_old", reservataires.prefet, { pourcentage: 20, validFrom: "2025-01-01" });
    spec(conventionDecider, context([existing]))
      .given()
      .when(signPrefet(25))
      .thenError({ code: "CONFLICT", reason: "CONVENTION_OVERLAP" });
    const ended = enVigueur("cnv_prefet_old", reservataires.prefet, { validFrom: "2024-01-01", validTo: "2025-12-31" });
    spec(conventionDecider, context([ended]))
      .given()
      .when(signPrefet(25))
      .then([signed(25)]);
    spec(conventionDecider, context())
      .given()
      .when({ ...signPrefet(10), reservataire: reservataires.metz })
      .thenError({ code: "VALIDATION", field: "commune" });
  });

  it("checks the caps of the legal parameters in force when the convention takes effect", () => {
    const from2030 = { ...signPrefet(33), conditions: conditions({ pourcentage: 33, validFrom: "2030-01-01" }) };
    expect(spec(conventionDecider, context()).given().when(from2030).events()[0]?.payload).toMatchObject({
      parametresLegaux: "flux-test-2030",
    });
  });
});

describe("amending a convention", () => {
  const amend = (pourcentage: number, validFrom = "2026-07-01") =>
    ({
      type: "AmendConvention",
      conditions: conditions({ pourcentage, validFrom }),
      signeLe: "2026-03-01",
      motif: "Avenant n° 1 : révision de la part",
    }) as const;

  it("records the amendment with its number, author, changed fields, and keeps the signed conditions before its date", () => {
    const events = spec(conventionDecider, context()).given(signed(25)).when(amend(28)).events();
    expect(events).toEqual([
      {
        type: "ConventionAmended",
        payload: {
          conventionId: "cnv_prefet",
          avenant: 1,
          signeLe: "2026-03-01",
          signePar: "usr_bailleur",
          motif: "Avenant n° 1 : révision de la part",
          conditions: conditions({ pourcentage: 28, validFrom: "2026-07-01" }),
          champs: ["pourcentage", "validFrom"],
          parametresLegaux: "flux-test",
        },
      },
    ]);
    const state = stateAfter(conventionDecider, [signed(25), ...events]);
    expect(state && conventionOn(state, "2026-05-31")?.conditions.pourcentage).toBe(25);
    expect(state && conventionOn(state, "2026-07-01")?.conditions.pourcentage).toBe(28);
  });

  it("checks the caps again at amendment", () => {
    const agents = enVigueur("cnv_agents", reservataires.agents, { pourcentage: 5 });
    spec(conventionDecider, context([agents]))
      .given(signed(25))
      .when(amend(27))
      .thenError({ reason: "LEGAL_CAP_EXCEEDED", message: /contingent préfectoral à 32 %.*à 25 % au plus/ });
  });

  it("refuses an amendment of an unsigned convention or one taking effect before it; an amendment changing nothing records nothing", () => {
    spec(conventionDecider, context()).given().when(amend(20)).thenError({ code: "NOT_FOUND" });
    spec(conventionDecider, context())
      .given(signed(25))
      .when(amend(20, "2025-12-01"))
      .thenError({ field: "conditions.validFrom" });
    spec(conventionDecider, context())
      .given(signed(25))
      .when({ ...amend(25), conditions: conditions({ pourcentage: 25 }) })
      .then([]);
  });
});

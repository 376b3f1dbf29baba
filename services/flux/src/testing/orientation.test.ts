import { demoUsers } from "@logis/auth";
import type { CandidatesProposed, UnitFreed, UnitLet } from "@logis/contracts";
import { AppError, manualClock } from "@logis/domain";
import { describe, expect, it } from "vitest";
import { memoryFlux } from "../adapters/memory/stores.js";
import { conventionUseCases } from "../app/conventions.js";
import { fluxReads } from "../app/flux-reads.js";
import { ledgerWriter } from "../app/ledger-writer.js";
import { orientationUseCases } from "../app/orientation.js";
import type { Caller } from "../app/ports.js";
import { unitUseCases } from "../app/units.js";
import { parametres, unDeclare } from "../domain/fixtures.js";
import type { Referentiel } from "../domain/referentiel.js";

// The orientation use cases over the memory ports (no engine): what the consumer of UnitFreed and
// UnitLet does, a redelivery, and a crash between a vacancy's write and its ledger's.

const referentiel: Referentiel = {
  version: "test",
  bailleurs: [{ id: "org_demo_bailleur_57", nom: "Moselis (démo)", departements: ["57"] }],
  epcis: [{ siren: "200039865", nom: "Metz Métropole", communes: ["57463"] }],
};
const bailleur: Caller = { principal: demoUsers.bailleur57, correlationId: "cor_test" };
const prefecture: Caller = { principal: demoUsers.prefecture57, correlationId: "cor_test" };

async function setUp() {
  const clock = manualClock("2026-11-22T09:00:00.000Z");
  const memory = memoryFlux();
  const { ports } = memory;
  const units = unitUseCases({ units: ports.units, clock, referentiel });
  const conventions = conventionUseCases({
    conventions: ports.conventions,
    clock,
    parametresLegaux: parametres,
    referentiel,
  });
  const writer = ledgerWriter({ ...ports, clock, toleranceEquilibre: 0.5 });
  const orientation = {
    ...orientationUseCases({ writer, ...ports, clock, referentiel }),
    ...fluxReads({ writer, ...ports, clock, referentiel }),
  };
  await conventions.sign(bailleur, {
    reservataire: { id: "org_demo_ddets_57", nom: "Préfet de la Moselle", type: "prefet_prioritaires" },
    departement: "57",
    conditions: {
      pourcentage: 30,
      fondement: "contingent_legal",
      ventilation: [],
      delaiDesignationJours: 30,
      logementRendu: "compte",
      validFrom: "2026-01-01",
    },
    signeLe: "2025-12-01",
  });
  await units.declare(bailleur, unDeclare({ rplsId: "5700000001" }));
  await units.free(bailleur, "5700000001", { libereLe: "2026-11-10", motif: "depart" });
  const freed = memory.units.published.find((e) => e.type === "UnitFreed") as UnitFreed;
  return { memory: { ...memory, clock }, units, conventions, orientation, freed };
}

describe("orienting freed units (the consumer's use cases)", () => {
  it("orients a freed unit once: a redelivered UnitFreed changes nothing", async () => {
    const { memory, orientation, freed } = await setUp();
    const first = await orientation.orientFreed(freed);
    expect(first.events.map((e) => e.type)).toEqual(["FluxYearOpened", "UnitAssignedToReserver"]);
    const again = await orientation.orientFreed(freed);
    expect(again.events).toEqual([]);
    expect(memory.ledgers.published.map((e) => [e.type, e.aggregateVersion, e.causationId])).toEqual([
      ["FluxYearOpened", 1, freed.eventId],
      ["UnitAssignedToReserver", 2, freed.eventId],
    ]);
    const [vacance] = await orientation.orientationOf(prefecture, "5700000001");
    expect(vacance).toMatchObject({ id: "5700000001@2026-11-10", cible: { reservataireId: "org_demo_bailleur_57" } });
  });

  it("reads a vacancy written ahead of a ledger write that never happened as it was, and orients it once on redelivery", async () => {
    const { memory, orientation, freed } = await setUp();
    memory.ledgers.control.crashNextWrite = true;
    await expect(orientation.orientFreed(freed)).rejects.toThrow("crash before the write");
    // The vacancy was written (ahead), the ledger and its events were not.
    expect(memory.vacancies.docs.get("5700000001@2026-11-10")).toMatchObject({ ledgerVersion: 2 });
    expect(memory.ledgers.docs.size).toBe(0);
    await expect(orientation.orientationOf(prefecture, "5700000001")).rejects.toMatchObject({ code: "NOT_FOUND" });
    const redelivered = await orientation.orientFreed(freed);
    expect(redelivered.events.map((e) => e.type)).toEqual(["FluxYearOpened", "UnitAssignedToReserver"]);
    expect(memory.ledgers.published).toHaveLength(2);
    const ledger = [...memory.ledgers.docs.values()][0];
    expect(ledger).toMatchObject({ fluxBrut: 1, version: 2 });
    expect((await orientation.orientationOf(prefecture, "5700000001")).length).toBe(1);
  });

  it("counts a lease once on the reserver the unit was oriented to", async () => {
    const { memory, units, orientation, freed } = await setUp();
    await orientation.orientFreed(freed);
    await units.let(bailleur, "5700000001", { bailSigneLe: "2026-11-20" });
    const lease = memory.units.published.find((e) => e.type === "UnitLet") as UnitLet;
    expect(lease.payload.libereLe).toBe("2026-11-10");
    expect((await orientation.recordLease(lease)).events.map((e) => e.type)).toEqual(["AttributionRecorded"]);
    expect((await orientation.recordLease(lease)).events).toEqual([]);
    const balance = await orientation.balance(bailleur, { departement: "57", annee: 2026 });
    expect(balance.lignes.reduce((n, l) => n + l.attribues, 0)).toBe(1);
    expect(balance.detail).toEqual([
      expect.objectContaining({ proposes: 1, attribues: 1, periodeConstruction: "1949-1974" }),
    ]);
  });

  it("finds every undesignated unit past its deadline expired, page after page, once; skips a designated one", async () => {
    const { memory, units, orientation, freed } = await setUp();
    await orientation.orientFreed(freed);
    for (const n of [2, 3, 4, 5, 6]) {
      const rplsId = `570000000${n}`;
      await units.declare(bailleur, unDeclare({ rplsId }));
      await units.free(bailleur, rplsId, { libereLe: "2026-11-10", motif: "depart" });
      const event = memory.units.published.filter((e) => e.type === "UnitFreed").at(-1) as UnitFreed;
      await orientation.orientFreed(event);
    }
    const toPrefet = [...memory.vacancies.docs.values()].filter((v) => v.cible?.conventionId != null);
    expect(toPrefet.length).toBeGreaterThanOrEqual(2);
    const [designated, ...others] = toPrefet;
    const proposal = {
      payload: {
        logement: { rplsId: designated?.rplsId, bailleurId: "org_demo_bailleur_57", departement: "57" },
        libereLe: "2026-11-10",
        source: "reservataire",
        proposeLe: "2026-11-30T10:00:00.000Z",
      },
    } as unknown as CandidatesProposed;
    expect(await orientation.recordDesignation(proposal)).toBe("recorded");
    expect(await orientation.recordDesignation(proposal)).toBe("unchanged");

    memory.clock.set("2026-12-22T22:00:00.000Z"); // the last day in Paris (oriented on 22/11, 30 days)
    expect(await orientation.expireDue(1)).toBe(0);
    memory.clock.set("2026-12-23T08:00:00.000Z");
    expect(await orientation.expireDue(1)).toBe(others.length);
    expect(await orientation.expireDue(1)).toBe(0);
    expect(memory.ledgers.published.filter((e) => e.type === "UnitDesignationExpired")).toHaveLength(others.length);
  });

  it("records nothing when a convention breaks a cap", async () => {
    const { memory, conventions } = await setUp();
    const before = memory.conventions.published.length;
    const refused = conventions.sign(bailleur, {
      reservataire: { id: "org_demo_ddets_57_agents", nom: "Préfet (agents)", type: "prefet_agents" },
      departement: "57",
      conditions: {
        pourcentage: 5,
        fondement: "contingent_legal",
        ventilation: [],
        delaiDesignationJours: 30,
        logementRendu: "compte",
        validFrom: "2026-01-01",
      },
      signeLe: "2025-12-01",
    });
    await expect(refused).rejects.toBeInstanceOf(AppError);
    await expect(refused).rejects.toMatchObject({ reason: "LEGAL_CAP_EXCEEDED", field: "conditions.pourcentage" });
    expect(memory.conventions.docs.size).toBe(1);
    expect(memory.conventions.published.length).toBe(before);
  });

  it("decides two signatures of one landlord one after the other: together they cannot exceed a cap", async () => {
    const { memory, conventions } = await setUp();
    const epci = (id: string) =>
      conventions.sign(bailleur, {
        reservataire: { id, nom: `EPCI ${id}`, type: "epci" },
        departement: "57",
        conditions: {
          pourcentage: 15,
          fondement: "garantie_emprunt",
          ventilation: [],
          delaiDesignationJours: 30,
          logementRendu: "compte",
          validFrom: "2026-01-01",
        },
        signeLe: "2025-12-01",
      });
    const outcomes = await Promise.allSettled([epci("org_epci_a"), epci("org_epci_b")]);
    expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
    const refused = outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason).toMatchObject({ reason: "LEGAL_CAP_EXCEEDED" });
    expect(memory.conventions.docs.size).toBe(2);
  });
});

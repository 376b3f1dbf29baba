import { demandFormInput } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";
import { lifecycleWorker } from "./lifecycle.js";

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness("2026-03-15T10:00:00.000Z");
});
afterAll(async () => {
  await h.close();
});

const doc = (numero: string) => h.db.collection("demands").findOne({ numeroUnique: numero });

describe("a demand's life over time (scheduled worker, moving clock, real database and Kafka)", () => {
  it("notice → cancellation → reactivation → renewal → attribution → purge, every event on the topic in order", async () => {
    const worker = lifecycleWorker(h.deps, h.logger);
    const reg = await h.call("guichet", "POST", "/v1/demandes", { demande: demandFormInput() });
    expect(reg.status).toBe(201);
    const numero: string = reg.body.demand.numeroUnique;

    expect((await h.call("guichet", "POST", `/v1/demandes/${numero}/renouvellement`)).body.error.reason).toBe(
      "RENEWAL_TOO_EARLY",
    );
    expect(await worker.runOnce()).toEqual({ notices: 0, cancelled: 0, purged: 0, conflicts: 0 });

    h.clock.set("2027-02-16T00:00:00.000Z"); // less than a month before expiry (2027-03-15)
    expect(await worker.runOnce()).toMatchObject({ notices: 1, cancelled: 0 });
    expect(await worker.runOnce()).toMatchObject({ notices: 0 }); // once per validity period
    expect((await doc(numero))?.notices).toEqual([
      { at: "2027-02-16T00:00:00.000Z", forValidUntil: "2027-03-15T10:00:00.000Z", channel: "courrier" },
    ]);

    h.clock.set("2027-04-15T10:00:00.000Z"); // one month after expiry
    expect(await worker.runOnce()).toMatchObject({ cancelled: 1 });
    const cancelled = await h.call("guichet", "GET", `/v1/demandes/${numero}`);
    expect(cancelled.body).toMatchObject({
      status: "cancelled",
      reactivableUntil: "2027-09-15T10:00:00.000Z",
      radiation: { motif: "RADREN" },
    });
    expect((await h.call("guichet", "POST", `/v1/demandes/${numero}/renouvellement`)).status).toBe(409);

    h.clock.set("2027-05-02T09:00:00.000Z");
    const reactivated = await h.call("guichet", "POST", `/v1/demandes/${numero}/reactivation`);
    expect(reactivated.status).toBe(200);
    expect(reactivated.body).toMatchObject({
      status: "active",
      dateDepot: "2026-03-15T10:00:00.000Z",
      numeroUnique: numero,
      validUntil: "2028-05-02T09:00:00.000Z",
    });

    h.clock.set("2028-04-10T09:00:00.000Z");
    const renewed = await h.call("guichet", "POST", `/v1/demandes/${numero}/renouvellement`);
    expect(renewed.body).toMatchObject({
      validUntil: "2029-04-10T09:00:00.000Z",
      dateDernierRenouvellement: "2028-04-10T09:00:00.000Z",
      dateDepot: "2026-03-15T10:00:00.000Z",
    });

    const noData = await h.call("guichet", "POST", `/v1/demandes/${numero}/radiation`, { motif: "RADATT" });
    expect(noData.status).toBe(400);
    expect(noData.body.error.field).toBe("attribution");
    const irr = await h.call("guichet", "POST", `/v1/demandes/${numero}/radiation`, {
      motif: "RADIRR",
      sousMotif: "IRRRES",
    });
    expect(irr.status).toBe(403); // only a landlord's CAL pronounces inadmissibility
    const attribution = {
      rplsId: "6900012345",
      contingent: "COLACT",
      dalo: false,
      accordCollectif: "AUCUN",
      bailleur: "org_demo_bailleur_69",
    };
    const radiated = await h.call("guichet", "POST", `/v1/demandes/${numero}/radiation`, {
      motif: "RADATT",
      attribution,
    });
    expect(radiated.status).toBe(200);
    expect(radiated.body).toMatchObject({ status: "radiated", purgeAfter: "2029-04-10T09:00:00.000Z" });
    expect((await h.call("guichet", "POST", `/v1/demandes/${numero}/reactivation`)).body.error.reason).toBe(
      "NOT_CANCELLED",
    );

    h.clock.set("2029-04-10T09:00:00.000Z");
    expect(await worker.runOnce()).toMatchObject({ purged: 1 });
    const purged = await doc(numero);
    expect(purged).toMatchObject({
      status: "purged",
      purgedAt: "2029-04-10T09:00:00.000Z",
      radiation: { motif: "RADATT" },
    });
    expect(purged?.form).toBeUndefined();
    expect(purged?.history).toBe("[]"); // stored as JSON text (decision 0008)
    expect(purged?.searchKeys).toEqual([]);
    expect(purged?.noms).toEqual([]);
    expect(purged?.communes).toEqual([]);

    // Publish the outbox, then read the topic: one event per transition, numbered 1..n, in order
    // (as they travel: the facts sealed with a key the purge destroyed, decision 0012).
    const { relay, stop } = await h.startRelay();
    await relay.flush();
    await stop();
    const events = await h.sealedEventsOf(reg.body.demand.id);
    expect(events.map((e) => [e.aggregateVersion, e.type])).toEqual([
      [1, "DemandRegistered"],
      [2, "DemandCancelled"],
      [3, "DemandReactivated"],
      [4, "DemandRenewed"],
      [5, "DemandRadiated"],
      [6, "DemandPurged"],
    ]);
    const last = events.at(-1);
    expect(last?.payload).toEqual({
      departement: "69",
      purgedAt: "2029-04-10T09:00:00.000Z",
      motifRadiation: "RADATT",
    });
    expect((await h.keyRecords()).filter((r) => r.kid === reg.body.demand.id).map((r) => r.value === null)).toEqual([
      false,
      true,
    ]);
    expect(purged?.dataKey).toBeUndefined();
    const afterRelay = await doc(numero);
    expect(afterRelay?.outboxAt).toBeUndefined();
    expect(JSON.stringify(afterRelay)).not.toMatch(/Dupont|Aïcha|6900012345|12 rue/);
  });
});

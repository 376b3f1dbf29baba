import { demandFormInput } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";
import { lifecycleWorker } from "../workers/lifecycle.js";
import { sealLiveDemands } from "./seal-demands.js";

// Decision 0012's migration: demands stored before the data keys (no `dataKey`) get one, published
// before the write that stores it, and are restated sealed on registration.demand.v2, their events
// still waiting in clear replaced; purged demands purged before it get their tombstone.

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness("2026-03-15T10:00:00.000Z");
});
afterAll(async () => {
  await h?.close();
});

const demands = () => h.db.collection<Record<string, unknown>>("demands");

describe("demands stored before decision 0012", () => {
  it("get a key and are restated sealed (registration, checked proof, radiation); their clear events in waiting are dropped", async () => {
    const reg = await h.call("guichet", "POST", "/v1/demandes", { demande: demandFormInput() });
    expect(reg.status).toBe(201);
    const { id, numeroUnique } = reg.body.demand;
    const proof = await h.call("guichet", "POST", `/v1/demandes/${numeroUnique}/justificatifs`, {
      justificatif: "JUGEMENT_EXPULSION",
      criteres: ["EXPULSION_JUGEMENT"],
    });
    expect(proof.status).toBe(201);
    const radiated = await h.call("guichet", "POST", `/v1/demandes/${numeroUnique}/radiation`, { motif: "RADABA" });
    expect(radiated.status).toBe(200);
    const before = await demands().findOne({ _id: id } as never);
    const seq = before?.eventSeq as number;
    // As stored before: no key, and an event in clear still waiting in the outbox.
    await demands().updateOne({ _id: id } as never, {
      $unset: { dataKey: "" },
      $set: { outbox: [{ id: "legacy", envelope: '{"demande":{"demandeur":{"nom":"Dupont"}}}' }] },
    });

    expect(await sealLiveDemands(h.deps, h.demands, h.logger)).toBe(1);
    expect(await sealLiveDemands(h.deps, h.demands, h.logger)).toBe(0); // once
    const after = await demands().findOne({ _id: id } as never);
    expect(typeof after?.dataKey).toBe("string");
    expect(after?.eventSeq).toBe(seq);
    expect(JSON.stringify(after?.outbox)).not.toContain("legacy");

    const { relay, stop } = await h.startRelay();
    await relay.flush();
    await stop();
    expect((await h.keysOnTopic()).get(id)).toBe(after?.dataKey);
    const sealed = await h.sealedEventsOf(id);
    // Its outbox was replaced: only the restatement reaches the topic.
    const restated = sealed;
    expect(restated.map((e) => `${e.type}.v${e.schemaVersion}`)).toEqual([
      "DemandRegistered.v2",
      "DemandProofValidated.v1",
      "DemandRadiated.v1",
    ]);
    expect(restated.at(-1)?.aggregateVersion).toBe(seq);
    for (const e of restated) expect(JSON.stringify(e)).not.toContain("Dupont");
    // Opened with the published key, the registration carries the demand's facts.
    const [opened] = await h.demandEventsOf(id);
    expect(opened?.type === "DemandRegistered" && opened.payload.demande.demandeur.nom).toBe("Dupont");
  });

  it("a purged demand without an acknowledged tombstone gets one from the lifecycle job", async () => {
    const other = demandFormInput();
    const demande = {
      ...other,
      demandeur: { ...other.demandeur, nom: "Berthier", prenom: "Odile", nir: "279077512345658" },
      cotitulaire: undefined,
    };
    const reg = await h.call("guichet", "POST", "/v1/demandes", {
      demande: { ...demande, demandeur: { ...demande.demandeur, situationFamiliale: "D" } },
    });
    expect(reg.status, JSON.stringify(reg.body)).toBe(201);
    const { id, numeroUnique } = reg.body.demand;
    const radiated = await h.call("guichet", "POST", `/v1/demandes/${numeroUnique}/radiation`, { motif: "RADABA" });
    expect(radiated.status, JSON.stringify(radiated.body)).toBe(200);
    h.clock.set(radiated.body.purgeAfter);
    const worker = lifecycleWorker(h.deps, h.logger);
    expect(await worker.runOnce()).toMatchObject({ purged: 2 }); // the first test's radiated demand too
    // As purged before decision 0012: no acknowledgement recorded.
    await demands().updateOne({ _id: id } as never, { $unset: { keyDestroyedAt: "" } });
    expect(await worker.runOnce()).toMatchObject({ keysDestroyed: 1 });
    expect(await worker.runOnce()).not.toHaveProperty("keysDestroyed");
    expect((await demands().findOne({ _id: id } as never))?.keyDestroyedAt).toBe(radiated.body.purgeAfter);
    const records = (await h.keyRecords()).filter((r) => r.kid === id).map((r) => r.value === null);
    expect(records).toEqual([false, true, true]);
  });
});

import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openFacts, type SealedFacts, topics } from "../../packages/contracts/dist/index.js";
import { demandFormInput, eventually } from "../../packages/testing/dist/index.js";
import { loadReferenceGrid } from "../../services/cotation/src/adapters/files/reference-data.js";
import { cotationHarness } from "../../services/cotation/src/testing/harness.js";
import { type RegistrationHarness, registrationHarness } from "../../services/registration/src/testing/harness.js";
import { lifecycleWorker } from "../../services/registration/src/workers/lifecycle.js";

// Decision 0012's proof: after a purge, no personal data of the household can be read on the
// topics. The facts travel sealed with a key of their own demand; the purge destroys the key on
// the compacted key topic (a tombstone), and compaction removes its last record. Real engines:
// registration's harness with the moving clock, then the topics read from the beginning.

const EPCI = "200046977"; // Métropole de Lyon
// The household to erase: names, birth dates, address and NIR of its own, looked for everywhere.
const erased = demandFormInput({
  demandeur: {
    ...demandFormInput().demandeur,
    nom: "Quenouillard",
    prenom: "Zéphyrine",
    dateNaissance: "1979-07-23",
    nir: "279077512345658",
    situationFamiliale: "D",
  },
  cotitulaire: undefined,
  personnesACharge: [
    { nom: "Quenouillard", prenom: "Anatole", dateNaissance: "2011-02-14", sexe: "M", lienParente: "E" },
  ],
  contact: {
    ...demandFormInput().contact,
    adresse: { numero: "7", voie: "impasse des Cormorans", codePostal: "69008", commune: "69388" },
  },
});
const personal = ["Quenouillard", "Zéphyrine", "Anatole", "1979-07-23", "2011-02-14", "279077512345658", "Cormorans"];
const kept = demandFormInput({ demandeur: { ...demandFormInput().demandeur, nom: "Vasseur", prenom: "Léonie" } });

let h: RegistrationHarness;
beforeAll(async () => {
  // The key topic compacted within seconds instead of a day (decision 0012's test settings).
  h = await registrationHarness("2026-03-15T10:00:00.000Z", {
    topicConfig: (topic) =>
      topic.endsWith(topics.demandKey)
        ? { "segment.ms": "1000", "max.compaction.lag.ms": "1000", "delete.retention.ms": "1000" }
        : undefined,
  });
});
afterAll(async () => {
  await h?.close();
});

describe("erasure that reaches Kafka (decision 0012)", () => {
  it("after the purge the topics hold the household's facts only sealed, its key is destroyed, and cotation rebuilt from the topics scores only the others", async () => {
    const a = await h.call("guichet", "POST", "/v1/demandes", { demande: erased });
    const b = await h.call("guichet", "POST", "/v1/demandes", { demande: kept });
    expect([a.status, b.status], JSON.stringify(a.body)).toEqual([201, 201]);
    const { id, numeroUnique } = a.body.demand;
    const current = await h.call("guichet", "GET", `/v1/demandes/${numeroUnique}`);
    const updated = await h.call("guichet", "PUT", `/v1/demandes/${numeroUnique}`, {
      expectedVersion: current.body.version,
      demande: { ...current.body.form, souhaits: { ...current.body.form.souhaits, typologies: ["T2", "T3"] } },
      motif: "déclaration du demandeur",
    });
    expect(updated.status).toBe(200);
    const radiated = await h.call("guichet", "POST", `/v1/demandes/${numeroUnique}/radiation`, { motif: "RADABA" });
    expect(radiated.status).toBe(200);

    h.clock.set(radiated.body.purgeAfter);
    expect(await lifecycleWorker(h.deps, h.logger).runOnce()).toMatchObject({ purged: 1 });
    const { relay, stop } = await h.startRelay();
    await relay.flush();
    await stop();

    // The demand topic from the beginning: the household's events are there, their facts sealed.
    const sealed = await h.sealedEventsOf(id);
    expect(sealed.map((e) => `${e.type}.v${e.schemaVersion}`)).toEqual([
      "DemandRegistered.v2",
      "DemandUpdated.v2",
      "DemandRadiated.v1",
      "DemandPurged.v1",
    ]);
    const text = JSON.stringify(sealed);
    for (const clear of personal) expect(text).not.toContain(clear);
    const blobs = sealed.flatMap((e) =>
      "demandeScellee" in e.payload ? [{ type: e.type, blob: e.payload.demandeScellee as SealedFacts }] : [],
    );
    expect(blobs).toHaveLength(2);
    // The registration's database holds neither the facts nor the key any more.
    const stub = await h.db.collection("demands").findOne({ _id: id } as never);
    expect(stub).toMatchObject({ status: "purged", keyDestroyedAt: radiated.body.purgeAfter });
    expect(stub?.dataKey).toBeUndefined();
    for (const clear of personal) expect(JSON.stringify(stub)).not.toContain(clear);

    // The key topic: the demand's last record is a tombstone.
    const records = await h.keyRecords();
    expect(records.filter((r) => r.kid === id).at(-1)).toEqual({ kid: id, value: null });

    // Once the segment has rolled and the cleaner ran, no record of the key remains. A segment
    // rolls when a record arrives after `segment.ms`: other demands' keys keep arriving meanwhile.
    await eventually(
      async () => {
        await h.deps.dataKeys.publish([
          { kid: `dem_filler${Date.now()}`, key: Buffer.alloc(32, 1).toString("base64") },
        ]);
        const left = (await h.keyRecords()).filter((r) => r.kid === id && r.value !== null);
        expect(left).toEqual([]);
      },
      120_000,
      2_000,
    );
    // Opening the sealed facts with every key left on the topic fails.
    const keys = [...(await h.keysOnTopic()).values()];
    expect(keys.length).toBeGreaterThan(0);
    for (const { type, blob } of blobs)
      for (const key of keys) expect(() => openFacts(key, { aggregateId: id, type }, blob)).toThrow();

    // Cotation rebuilt from the topics (a new instance, a fresh database): the purged household is
    // unknown, the other one is scored.
    const cotation = await cotationHarness("2026-11-22T09:00:00.000Z", { topicPrefix: h.topicPrefix });
    try {
      await eventually(() => expect(cotation.stock.applied).toBeGreaterThan(0));
      await eventually(() =>
        expect(cotation.stock.projection.rowOfNumeroUnique(b.body.demand.numeroUnique)).toBeDefined(),
      );
      expect(cotation.stock.projection.rowOfNumeroUnique(numeroUnique)).toBeUndefined();
      const grid = loadReferenceGrid("synthetique");
      const created = await cotation.call("epci", "POST", "/v1/grilles", {
        epci: EPCI,
        kind: "unique",
        nom: grid.nom,
        rules: grid.rules,
      });
      expect(created.status).toBe(201);
      // A grid is simulated on the stock before it is published: the purged household is not in it.
      const simulated = await cotation.call("epci", "POST", `/v1/grilles/${created.body.id}/simulation`, { topN: 5 });
      expect(simulated.status).toBe(200);
      expect(JSON.stringify(simulated.body)).not.toContain(numeroUnique);
      const published = await cotation.call("epci", "POST", `/v1/grilles/${created.body.id}/publication`, {
        effectiveFrom: "2026-11-22",
      });
      expect(published.status).toBe(200);
      const scored = await cotation.call("guichet", "GET", `/v1/demandes/${b.body.demand.numeroUnique}/cotation`);
      expect(scored.status).toBe(200);
      expect(scored.body.cotations[0]).toMatchObject({ epci: EPCI });
      expect((await cotation.call("guichet", "GET", `/v1/demandes/${numeroUnique}/cotation`)).status).toBe(404);
    } finally {
      await cotation.close();
    }
  }, 240_000);
});

import {
  createEvent,
  DemandRegistered,
  DemandUpdated,
  dlqTopicOf,
  groupName,
  newDataKey,
  sealDemandEvent,
  topics,
} from "@logis/contracts";
import { eventually, household, readTopic, testKafka } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mongoDemandDirectory } from "../adapters/mongo/demands.js";
import { calHarness } from "../testing/harness.js";

// Decision 0012: the facts arrive sealed with each demand's key. The consumer opens them with the
// keys it follows in memory; a demand whose key is gone (purged) is passed over — no row made,
// nothing dead-lettered — and the others carry on.

let h: Awaited<ReturnType<typeof calHarness>>;
beforeAll(async () => {
  h = await calHarness();
});
afterAll(async () => {
  await h?.close();
});

const registered = (seq: number, nom: string) =>
  createEvent(DemandRegistered, {
    aggregateId: `dem_keys_${seq}`,
    aggregateVersion: 1,
    correlationId: "cor_test",
    occurredAt: new Date("2026-06-01T10:00:00.000Z"),
    payload: {
      numeroUnique: `0570326${String(seq).padStart(9, "0")}KK`,
      departement: "57",
      dateDepot: "2026-06-01T10:00:00.000Z",
      validUntil: "2027-06-01T00:00:00.000Z",
      guichet: { numGuichet: "057000123", organisationId: "org_demo_bailleur_57", nom: "Guichet test" },
      demande: household((d) => {
        d.demandeur.nom = nom;
      }),
    },
  });
const updated = (seq: number, nom: string) =>
  createEvent(DemandUpdated, {
    aggregateId: `dem_keys_${seq}`,
    aggregateVersion: 2,
    correlationId: "cor_test",
    occurredAt: new Date("2026-07-01T10:00:00.000Z"),
    payload: {
      numeroUnique: `0570326${String(seq).padStart(9, "0")}KK`,
      departement: "57",
      changes: ["demandeur.nom"],
      demande: household((d) => {
        d.demandeur.nom = nom;
      }),
    },
  });

describe("the CAL's demand facts from the sealed demand topic", () => {
  it("opens each demand's facts with its key; a demand whose key is gone is passed over, the others carry on", async () => {
    const directory = mongoDemandDirectory(h.platform.db);
    await h.publishDemandEvents([registered(1, "Keller"), registered(2, "Morel")]);
    await eventually(async () => {
      const rows = await directory.get(["dem_keys_1", "dem_keys_2"]);
      expect([rows.get("dem_keys_1")?.facts?.demandeur.nom, rows.get("dem_keys_2")?.facts?.demandeur.nom]).toEqual([
        "Keller",
        "Morel",
      ]);
    });

    // A demand whose key is gone from the key topic (purged, its tombstone compacted away): its
    // sealed events are passed over once the consumer has read the key topic to its end.
    const orphan = sealDemandEvent(registered(3, "Lenoir"), newDataKey());
    await h.platform.producer.publish(h.platform.topic(topics.demand), [{ envelope: orphan }]);
    await h.publishDemandEvents([updated(2, "Morel-Martin")]);
    await eventually(async () => {
      expect((await directory.get(["dem_keys_2"])).get("dem_keys_2")?.facts?.demandeur.nom).toBe("Morel-Martin");
    });
    // Every event handled (the group committed the topic's end), the orphan made no row.
    const topic = h.platform.topic(topics.demand);
    const admin = testKafka().admin();
    await admin.connect();
    try {
      await eventually(async () => {
        const ends = await admin.fetchTopicOffsets(topic);
        const [committed] = await admin.fetchOffsets({
          groupId: groupName("cal.demand-facts", h.platform.topicPrefix),
          topics: [topic],
        });
        const at = new Map(committed?.partitions.map((p) => [p.partition, p.offset]));
        for (const end of ends.filter((e) => e.high !== "0"))
          expect(BigInt(at.get(end.partition) ?? "-1")).toBeGreaterThanOrEqual(BigInt(end.high));
      });
    } finally {
      await admin.disconnect();
    }
    expect((await directory.get(["dem_keys_3"])).has("dem_keys_3")).toBe(false);
    expect(await readTopic(testKafka(), dlqTopicOf(h.platform.topic(topics.demand)))).toEqual([]);
  });
});

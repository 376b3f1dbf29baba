import { dlqTopicOf, topicName, topics } from "@logis/contracts";
import { eventually, headerText, readTopic } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type ReadModel, readModelsOf, startReadModelConsumer } from "../compose.js";
import {
  answered,
  assigned,
  attributed,
  decided,
  leaseSigned,
  proposed,
  sessionScheduled,
  unitDeclared,
  unitFreed,
  unitLet,
} from "../testing/flux-cal-events.js";
import { reportingHarness } from "../testing/harness.js";

let h: Awaited<ReturnType<typeof reportingHarness>>;
beforeAll(async () => {
  h = await reportingHarness("2026-11-29T10:00:00.000Z");
});
afterAll(() => h?.close());

const prefet = { reservataireId: "org_prefet_57", codeSne: "PPRIOR", type: "prefet_prioritaires" };
const ledger = "flux:org_demo_bailleur_57:57:2026";
const att = "att_5700000001_2026-03-01";
const u = { rplsId: "5700000001", commune: "57463", qpv: true };

const byTopic = {
  [topics.fluxUnit]: [unitDeclared(u), unitFreed(u, 2, "2026-03-01"), unitLet(u, 3, "2026-04-02")],
  [topics.fluxOrientation]: [
    assigned(ledger, 1, u, prefet, [{ ...prefet, du: 1.5 }]),
    attributed(ledger, 2, u.rplsId, prefet, "2026-04-02"),
  ],
  [topics.calAttribution]: [
    proposed(att, 1, { ...u, libereLe: "2026-03-01" }, prefet, [{ demandId: "dem_x", revenu: 8000, personnes: 2 }]),
    answered(att, 2, u.rplsId, "dem_x", "acceptee"),
    leaseSigned(att, 3, {
      rplsId: u.rplsId,
      demandId: "dem_x",
      libereLe: "2026-03-01",
      bailSigneLe: "2026-04-02",
      reservataireId: prefet.reservataireId,
      contingent: "PPRIOR",
    }),
  ],
  [topics.calSession]: [sessionScheduled("ses_int1", 1, "2026-03-20"), decided("ses_int1", 2, "ATTRIBUTION", "dem_x")],
};

describe("flux and CAL read models on the real engines", () => {
  it("folds the four topics into their rows, once per event even when redelivered", async () => {
    for (const [topic, list] of Object.entries(byTopic)) {
      // Every event twice: the relay re-sends after a lost acknowledgement.
      const envelopes = [...list, ...list].map((envelope) => ({ envelope }));
      await h.platform.producer.publish(h.platform.topic(topic), envelopes);
    }
    await eventually(async () => {
      expect(await h.models.units.rows.get("uni_5700000001")).toMatchObject({ version: 3, locations: 1, qpv: true });
      expect(await h.models.ledgers.rows.get(ledger)).toMatchObject({
        version: 2,
        fluxBrut: 1,
        lignes: [{ reservataireId: "org_prefet_57", du: 1.5, orientes: 1, attribues: 1 }],
      });
      expect(await h.models.attributions.rows.get(att)).toMatchObject({
        version: 3,
        offres: { acceptees: 1 },
        bail: { demandId: "dem_x", signeLe: "2026-04-02", contingent: "PPRIOR" },
      });
      expect(await h.models.sessions.rows.get("ses_int1")).toMatchObject({ decisions: { ATTRIBUTION: 1 } });
    }, 30_000);
    // The vacancy ended with the lease: the optional field is gone from the stored document.
    expect((await h.models.units.rows.get("uni_5700000001"))?.libereLe).toBeUndefined();
  });

  it("a malformed message goes to the dead-letter topic with its error; the batch's good events are applied", async () => {
    const u2 = { rplsId: "5700000002", commune: "57463", qpv: false };
    await h.platform.producer.sendRaw(h.platform.topic(topics.fluxUnit), [
      { key: "uni_5700000002", value: JSON.stringify({ type: "UnitDeclared", payload: { nope: true } }) },
    ]);
    await h.platform.producer.publish(h.platform.topic(topics.fluxUnit), [{ envelope: unitDeclared(u2) }]);
    await eventually(async () => {
      expect(await h.models.units.rows.get("uni_5700000002")).toMatchObject({ version: 1, qpv: false });
      const dead = await readTopic(h.platform.kafka, dlqTopicOf(topicName(topics.fluxUnit, h.platform.topicPrefix)));
      expect(dead.map((m) => headerText(m, "x-error-code"))).toEqual(["SCHEMA_MISMATCH"]);
      expect(headerText(dead[0] as (typeof dead)[number], "x-consumer-group")).toBe(
        `${h.platform.topicPrefix}.reporting.unit-rows`,
      );
    }, 60_000);
  });

  it("a rebuild (each topic replayed from the start into new collections) equals the incremental read models", async () => {
    const rebuilt = readModelsOf(h.platform.db, "_rebuild");
    const consumers = await Promise.all(
      (Object.keys(rebuilt) as (keyof typeof rebuilt)[]).map((name) =>
        startReadModelConsumer(h.platform, rebuilt[name] as ReadModel<unknown>, `${rebuilt[name].group}.rebuild-test`),
      ),
    );
    try {
      const sort = (rows: readonly { id: string }[]) => [...rows].sort((a, b) => a.id.localeCompare(b.id));
      await eventually(async () => {
        for (const name of Object.keys(rebuilt) as (keyof typeof rebuilt)[]) {
          const incremental = sort(await h.models[name].rows.list());
          expect(incremental.length, name).toBeGreaterThan(0);
          expect(sort(await rebuilt[name].rows.list()), name).toEqual(incremental);
        }
      }, 30_000);
    } finally {
      await Promise.all(consumers.map((c) => c.stop()));
    }
  });
});

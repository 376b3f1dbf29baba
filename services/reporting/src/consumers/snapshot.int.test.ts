import { groupName, topicName, topics } from "@logis/contracts";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { unitDeclared, unitLet } from "../testing/flux-cal-events.js";
import { reportingHarness } from "../testing/harness.js";

let h: Awaited<ReturnType<typeof reportingHarness>>;
beforeAll(async () => {
  h = await reportingHarness("2026-11-29T10:00:00.000Z");
});
afterAll(() => h?.close());

const units = Array.from({ length: 30 }, (_, i) => ({
  rplsId: `57000009${String(i).padStart(2, "0")}`,
  commune: "57463",
}));
const sum = (positions: Record<string, number>) => Object.values(positions).reduce((a, b) => a + b, 0);

describe("read models and their positions are one snapshot (real engines)", () => {
  it("records the positions beside the rows, and a restart resumes from them even when Kafka forgot the group", async () => {
    await h.platform.producer.publish(
      h.platform.topic(topics.fluxUnit),
      units.map((u) => ({ envelope: unitDeclared(u) })),
    );
    await eventually(async () => {
      expect(await h.models.units.rows.count()).toBe(30);
      const entry = await h.catalog.entry("unit_rows");
      expect(entry?.collection).toBe("unit_rows");
      expect(sum(entry?.positions ?? {})).toBe(30);
    }, 120_000);

    // The consumer stops; Kafka loses the group's offsets (their retention ran out, say).
    expect(await h.live.pause("unit_rows")).toBe(true);
    const group = groupName("reporting.unit-rows", h.platform.topicPrefix);
    const admin = h.platform.kafka.admin();
    await admin.connect();
    try {
      await admin.deleteGroups([group]);
      // A row the replay of the topic from its start would put back: version 0, another commune.
      const tampered = units[0]?.rplsId as string;
      await h.platform.db
        .collection("unit_rows")
        .updateOne({ _id: `uni_${tampered}` } as never, { $set: { _v: 0, commune: "99999" } });
      await h.live.resume("unit_rows");
      // The group starts at the snapshot's positions: event 1 of that unit (its declaration, which
      // would put the commune back) is not read again; event 2 (a lease, which keeps the facts) is.
      await h.platform.producer.publish(h.platform.topic(topics.fluxUnit), [
        { envelope: unitLet({ rplsId: tampered, commune: "57463" }, 2, "2026-03-01") },
      ]);
      await eventually(async () => {
        expect(await h.models.units.rows.get(`uni_${tampered}`)).toMatchObject({
          version: 2,
          commune: "99999",
          locations: 1,
        });
      }, 120_000);
      const [offsets] = await admin.fetchOffsets({
        groupId: group,
        topics: [topicName(topics.fluxUnit, h.platform.topicPrefix)],
      });
      expect((offsets?.partitions ?? []).reduce((a, p) => a + Number(p.offset), 0)).toBe(31);
      expect(sum((await h.catalog.entry("unit_rows"))?.positions ?? {})).toBe(31);
    } finally {
      await admin.disconnect();
    }
  }, 300_000);

  it("a catalog entry naming another collection is where the rows go, from its own positions", async () => {
    // What a swap leaves: the rows elsewhere, with positions behind the group's (here: none read yet).
    await h.live.pause("unit_rows");
    const before = (await h.catalog.entry("unit_rows"))?.positions ?? {};
    const fromStart = Object.fromEntries(Object.keys(before).map((p) => [p, 0]));
    expect(await h.catalog.swap("unit_rows", "unit_rows", "unit_rows_moved", fromStart)).toBe(true);
    await h.live.resume("unit_rows");
    await eventually(async () => {
      // Every event read again into the new collection, and the statistics read it.
      expect(await h.platform.db.collection("unit_rows_moved").countDocuments()).toBe(30);
      expect(await h.models.units.rows.get(`uni_${units[0]?.rplsId}`)).toMatchObject({ version: 2, commune: "57463" });
    }, 120_000);
  }, 300_000);
});

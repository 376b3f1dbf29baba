import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpdateInput } from "../../app/change-demand.js";
import { type RegistrationHarness, registrationHarness } from "../../testing/harness.js";
import { syntheticCsvFile } from "../../testing/import-files.js";

// Bulk imports carry their events in batch documents (decision 0007). A hook that throws stops the
// importer exactly where a crash would: what it wrote stays, nothing after it happens.
let h: RegistrationHarness;
let crashAt: "afterPrepare" | "afterDemands" | undefined;
const crash = (point: typeof crashAt) => () => {
  if (crashAt === point) throw new Error(`crash ${point}`);
};
beforeAll(async () => {
  h = await registrationHarness(undefined, {
    batchHooks: { afterPrepare: crash("afterPrepare"), afterDemands: crash("afterDemands") },
  });
});
afterAll(async () => {
  await h.close();
});

async function importFile(file: string) {
  const { id, done } = await h.imports.start(h.caller("guichet"), { format: "csv", departement: "69", file });
  await done;
  return h.db.collection("imports").findOne({ _id: id as never });
}

const idsOf = async (from: number, count: number) =>
  (
    await h.db
      .collection("demands")
      .find({}, { projection: { _id: 1, numeroUnique: 1 } })
      .toArray()
  )
    .filter((d) => {
      const n = Number(String(d.numeroUnique).slice(7, 16));
      return n >= from && n < from + count;
    })
    .map((d) => String(d._id));

async function publishAll() {
  const { relay, stop } = await h.startRelay();
  await relay.flush();
  await stop();
}

describe("import batches: a crash between prepare and commit neither loses nor duplicates events", () => {
  it("crash after the demands were stored: nothing leaves until the janitor commits, then each DemandRegistered once", async () => {
    crashAt = "afterDemands";
    const job = await importFile(syntheticCsvFile(4, 11, 1000));
    crashAt = undefined;
    expect(job?.status).toBe("failed");
    const ids = await idsOf(1000, 4);
    expect(ids).toHaveLength(4);

    await publishAll();
    for (const id of ids) expect(await h.demandEventsOf(id)).toEqual([]);

    expect(await h.demands.batches.completeStale(0)).toBe(1);
    expect(await h.demands.batches.completeStale(0)).toBe(0);
    await publishAll();
    for (const id of ids)
      expect((await h.demandEventsOf(id)).map((e) => [e.type, e.aggregateVersion])).toEqual([["DemandRegistered", 1]]);

    // Re-importing the same file stores and publishes nothing twice.
    const again = await importFile(syntheticCsvFile(4, 11, 1000));
    expect(again?.progress).toEqual({ read: 4, created: 0, alreadyPresent: 4, failed: 0 });
    await publishAll();
    for (const id of ids) expect(await h.demandEventsOf(id)).toHaveLength(1);
  });

  it("crash right after prepare: no demand, no event; the re-import creates and publishes each demand once", async () => {
    crashAt = "afterPrepare";
    const job = await importFile(syntheticCsvFile(3, 12, 2000));
    crashAt = undefined;
    expect(job?.status).toBe("failed");
    expect(await idsOf(2000, 3)).toEqual([]);
    expect(await h.demands.batches.completeStale(0)).toBe(1);

    const again = await importFile(syntheticCsvFile(3, 12, 2000));
    expect(again?.progress).toEqual({ read: 3, created: 3, alreadyPresent: 0, failed: 0 });
    await publishAll();
    const ids = await idsOf(2000, 3);
    expect(ids).toHaveLength(3);
    for (const id of ids)
      expect((await h.demandEventsOf(id)).map((e) => [e.type, e.aggregateVersion])).toEqual([["DemandRegistered", 1]]);
  });

  it("an update of an imported demand never leaves before its DemandRegistered, even while the batch is pending", async () => {
    crashAt = "afterDemands";
    await importFile(syntheticCsvFile(2, 13, 3000));
    crashAt = undefined;
    const [id] = await idsOf(3000, 2);
    const doc = await h.db.collection("demands").findOne({ _id: id as never });
    if (!id || !doc) throw new Error("demand not stored");

    const current = await h.uc.getDemand(h.caller("sensible"), doc.numeroUnique);
    await h.uc.updateDemand(
      h.caller("sensible"),
      doc.numeroUnique,
      UpdateInput.parse({
        expectedVersion: current.version,
        motif: "changement de situation",
        demande: { ...(current.form as object), logementActuel: { modele: "CPE", nombreOccupants: 4 } },
      }),
    );
    await publishAll();
    expect(await h.demandEventsOf(id)).toEqual([]); // held: its DemandRegistered still waits in the batch

    await h.demands.batches.completeStale(0);
    await publishAll();
    expect((await h.demandEventsOf(id)).map((e) => [e.type, e.aggregateVersion])).toEqual([
      ["DemandRegistered", 1],
      ["DemandUpdated", 2],
    ]);
    const after = await h.db.collection("demands").findOne({ _id: id as never });
    expect(after?.outbox).toEqual([]);
    expect(after?.outboxAfter).toBeUndefined();
  });

  it("a normal import leaves one batch per 500 demands, published and their events deleted after the relay", async () => {
    const job = await importFile(syntheticCsvFile(600, 14, 4000));
    expect(job?.progress).toMatchObject({ created: 600, failed: 0 });
    const batches = await h.demands.batches.collection.find({ state: "committed" }).toArray();
    expect(batches.map((b) => b.created?.length).sort()).toEqual([100, 500]);
    await publishAll();
    expect(await h.demands.batches.collection.countDocuments({ state: { $ne: "published" } })).toBe(0);
    expect(await h.db.collection("demand_import_events").countDocuments()).toBe(0);
    const ids = await idsOf(4000, 600);
    const events = await Promise.all(ids.slice(0, 20).map((id) => h.demandEventsOf(id)));
    expect(events.map((e) => e.length)).toEqual(Array(20).fill(1));
  });

  it("the janitor deletes events a crash left behind, and only those", async () => {
    const events = h.db.collection<{ _id: string; at: Date; entries: string[] }>("demand_import_events");
    const old = new Date(Date.now() - 600_000);
    await h.demands.batches.collection.insertOne({ _id: "ibt_published", state: "published", at: old });
    await events.insertMany([
      { _id: "ibt_published", at: old, entries: [] }, // crash between "published" and the delete
      { _id: "ibt_never_prepared", at: old, entries: [] }, // crash before the batch document
      { _id: "ibt_in_flight", at: new Date(), entries: [] }, // an importer about to write its batch
    ]);
    await h.demands.batches.completeStale(120_000);
    expect((await events.find({}).toArray()).map((e) => e._id)).toEqual(["ibt_in_flight"]);
  });

  it("a real crash (SIGKILL) after storing the demands: the janitor waits for the dead importer's lock, then publishes each event once", async () => {
    const child = fileURLToPath(new URL("../../testing/import-crash-child.ts", import.meta.url));
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      const p = spawn(
        process.execPath,
        ["--import", "tsx", child, h.dbName, h.topicPrefix, syntheticCsvFile(5, 15, 5000)],
        {
          cwd: fileURLToPath(new URL("../../..", import.meta.url)),
          stdio: ["ignore", "inherit", "inherit"],
        },
      );
      p.on("exit", (_code, s) => resolve(s));
    });
    expect(signal).toBe("SIGKILL");
    const ids = await idsOf(5000, 5);
    expect(ids).toHaveLength(5);
    await publishAll();
    for (const id of ids) expect(await h.demandEventsOf(id)).toEqual([]);
    // The dead importer's lock expires after its time to live; until then the janitor leaves the batch.
    await eventually(async () => expect(await h.demands.batches.completeStale(0)).toBe(1), 30_000, 500);
    await publishAll();
    for (const id of ids)
      expect((await h.demandEventsOf(id)).map((e) => [e.type, e.aggregateVersion])).toEqual([["DemandRegistered", 1]]);
  });
});

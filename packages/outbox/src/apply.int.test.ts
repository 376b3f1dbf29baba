import { testDatabase } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyIfNewer, applyManyIfNewer } from "./apply.js";

let database: Awaited<ReturnType<typeof testDatabase>>;
beforeAll(async () => {
  database = await testDatabase("apply");
});
afterAll(() => database?.close());

const collection = (name: string) => {
  const db = database.connection.db;
  if (!db) throw new Error("no db");
  return db.collection(name);
};

describe("applyIfNewer on the real database: each version once, by _id alone", () => {
  it("creates on the first event, applies newer ones, and skips a redelivered or older one", async () => {
    const c = collection("credits");
    expect(await applyIfNewer(c, "acc_1", 1, { $inc: { total: 5 }, $set: { name: "a" } })).toBe(true);
    expect(await applyIfNewer(c, "acc_1", 1, { $inc: { total: 5 } })).toBe(false);
    expect(await applyIfNewer(c, "acc_1", 3, { $inc: { total: 2 }, $unset: { name: "" } })).toBe(true);
    expect(await applyIfNewer(c, "acc_1", 2, { $inc: { total: 100 } })).toBe(false);
    expect(await c.findOne({ _id: "acc_1" } as never)).toEqual({ _id: "acc_1", total: 7, _v: 3 });
  });

  it("two writers racing to create a document apply its first event once", async () => {
    const c = collection("race");
    const results = await Promise.all(
      Array.from({ length: 6 }, () => applyIfNewer(c, "acc_r", 1, { $inc: { total: 1 } })),
    );
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await c.findOne({ _id: "acc_r" } as never)).toEqual({ _id: "acc_r", total: 1, _v: 1 });
  });

  it("a batch applies each document's newer event once, in one bulk write, and counts them", async () => {
    const c = collection("batch");
    await applyIfNewer(c, "acc_b1", 2, { $set: { total: 10 } });
    const effects = [
      { id: "acc_b1", version: 2, update: { $inc: { total: 1 } } }, // already applied
      { id: "acc_b1x", version: 1, update: { $set: { total: 1 } } }, // new
      { id: "acc_b2", version: 1, update: { $set: { total: 2 } } }, // new
    ];
    expect(await applyManyIfNewer(c, effects)).toBe(2);
    expect(await applyManyIfNewer(c, effects)).toBe(0);
    expect(await applyManyIfNewer(c, [{ id: "acc_b1", version: 3, update: { $inc: { total: 5 } } }])).toBe(1);
    const docs = await c.find({}).sort({ _id: 1 }).toArray();
    expect(docs).toEqual([
      { _id: "acc_b1", total: 15, _v: 3 },
      { _id: "acc_b1x", total: 1, _v: 1 },
      { _id: "acc_b2", total: 2, _v: 1 },
    ]);
  });
});

import { testDatabase } from "@logis/testing";
import type { mongo } from "mongoose";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { groupInsert } from "./group-insert.js";

let database: Awaited<ReturnType<typeof testDatabase>>;
let c: mongo.Collection<{ _id: string; n: number }>;
beforeAll(async () => {
  database = await testDatabase("group");
  const db = database.connection.db;
  if (!db) throw new Error("no db");
  c = db.collection("things");
});
afterAll(async () => {
  await database.close();
});

describe("group commit of concurrent inserts (real database)", () => {
  it("each caller learns the fate of its own documents, as with separate inserts", async () => {
    await c.insertOne({ _id: "taken", n: 0 });
    const grouped = groupInsert(c);
    const results = await Promise.all([
      ...Array.from({ length: 30 }, (_, i) => grouped.insert([{ _id: `a${i}`, n: i }])),
      grouped.insert([
        { _id: "b1", n: 1 },
        { _id: "taken", n: 2 },
        { _id: "b2", n: 3 },
      ]),
      grouped.insert([{ _id: "same", n: 1 }]),
      grouped.insert([{ _id: "same", n: 2 }]),
    ]);
    expect(results.slice(0, 30).flat()).toEqual(Array(30).fill(undefined));
    expect(results[30]?.map((e) => (e as { code?: number } | undefined)?.code)).toEqual([undefined, 11000, undefined]);
    // Two callers racing for one _id: exactly one wins, whether or not they share a call.
    expect([results[31]?.[0], results[32]?.[0]].filter((e) => e === undefined)).toHaveLength(1);
    expect(await c.countDocuments()).toBe(1 + 30 + 2 + 1);
    expect((await c.findOne({ _id: "taken" }))?.n).toBe(0);
  });
});

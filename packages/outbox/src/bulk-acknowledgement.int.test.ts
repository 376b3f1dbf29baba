import { testDatabase } from "@logis/testing";
import { expect, it } from "vitest";

/** Resolves `work`, or rejects once `ms` have passed without an answer. */
const within = <T>(ms: number, what: string, work: Promise<T>): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms} ms`)), ms);
  });
  return Promise.race([work, late]).finally(() => clearTimeout(timer));
};

// Decision 0009: the relay acknowledges a batch (up to 500 documents) in one bulkWrite of updateOne.
// FerretDB v1.24.2 kept each statement's read open while writing; at 100 statements the database's
// SQLite connections were all held and it never answered again (the runner's patch 0002 fixes it).
it("a bulkWrite of 300 updateOne answers, and the database answers afterwards", async () => {
  const database = await testDatabase("bulkack");
  const db = database.connection.db;
  if (!db) throw new Error("no db");
  const docs = db.collection<{ _id: string; outbox: { eventId: string }[]; outboxAt?: Date }>("docs");
  const n = 300;
  await docs.insertMany(
    Array.from({ length: n }, (_, i) => ({ _id: `d${i}`, outbox: [{ eventId: `e${i}` }], outboxAt: new Date() })),
  );
  const res = await within(
    15_000,
    `bulkWrite of ${n} updateOne`,
    docs.bulkWrite(
      Array.from({ length: n }, (_, i) => ({
        updateOne: {
          filter: { _id: `d${i}` },
          update: { $pullAll: { outbox: [{ eventId: `e${i}` }] }, $unset: { outboxAt: "" } },
        },
      })),
      { ordered: false },
    ),
  );
  expect(res.modifiedCount).toBe(n);
  // Concurrent findOneAndUpdate and findOneAndDelete (reads then writes, as updates do).
  await within(
    15_000,
    "150 concurrent findOneAndUpdate / findOneAndDelete",
    Promise.all(
      Array.from({ length: 150 }, (_, i) =>
        i % 2 === 0
          ? docs.findOneAndUpdate({ _id: `d${i}` }, { $set: { outbox: [] } })
          : docs.findOneAndDelete({ _id: `d${i}` }),
      ),
    ),
  );
  expect(await within(5_000, "count", docs.countDocuments({ "outbox.eventId": { $exists: true } }))).toBe(0);
  expect(await within(5_000, "count", docs.countDocuments())).toBe(n - 75);
  await database.close();
});

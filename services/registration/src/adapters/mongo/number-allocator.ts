import type { mongo } from "mongoose";
import type { NumberAllocator } from "../../app/ports.js";

/**
 * One counter document per département, incremented atomically by the server (`$inc` in a single
 * findOneAndUpdate): concurrent registrations never get the same sequence, and a number is never
 * reused, even after purge. The unique index on numeroUnique is a second line of defence.
 */
export function mongoNumberAllocator(db: mongo.Db): NumberAllocator {
  const counters = db.collection<{ _id: string; seq: number }>("numero_counters");
  return {
    async next(departement) {
      const doc = await counters.findOneAndUpdate(
        { _id: departement },
        { $inc: { seq: 1 } },
        { upsert: true, returnDocument: "after" },
      );
      if (!doc) throw new Error(`numéro counter for ${departement} not returned`);
      return doc.seq;
    },
  };
}

import type { mongo } from "mongoose";

/** A driver collection (mongoose `connection.collection(name)` or `Model.collection`). */
type Coll = mongo.Collection<mongo.BSON.Document>;
type Filter = mongo.Filter<mongo.BSON.Document>;

/**
 * Applies an event's effect to a projection document at most once, in one document write:
 * the document keeps the highest aggregate version applied (`_v`), and the update only matches
 * when the event is newer. Redelivered or replayed events match nothing (or hit the unique `_id`
 * on upsert) and are reported as already applied. Events of one aggregate arrive in order
 * (one partition per key), so a high-water mark is enough.
 */
export async function applyIfNewer(
  collection: Coll,
  id: string,
  version: number,
  update: { $set?: Record<string, unknown>; $inc?: Record<string, number>; $unset?: Record<string, ""> },
): Promise<boolean> {
  const c = collection;
  try {
    const res = await c.updateOne(
      { _id: id, $or: [{ _v: { $lt: version } }, { _v: { $exists: false } }] } as unknown as Filter,
      { ...update, $set: { ...update.$set, _v: version } },
      { upsert: true },
    );
    return res.modifiedCount + res.upsertedCount > 0;
  } catch (error) {
    if ((error as { code?: number }).code === 11000) return false;
    throw error;
  }
}

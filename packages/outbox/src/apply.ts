import type { mongo } from "mongoose";

/** A driver collection (mongoose `connection.collection(name)` or `Model.collection`). */
type Coll = mongo.Collection<mongo.BSON.Document>;
type Filter = mongo.Filter<mongo.BSON.Document>;
type Update = { $set?: Record<string, unknown>; $inc?: Record<string, number>; $unset?: Record<string, ""> };

const byId = (id: string) => ({ _id: id }) as unknown as Filter;
const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

/** The document a first event creates: its `$set` and `$inc` values (`$unset` has nothing to remove yet). */
const firstDocument = (id: string, version: number, update: Update) =>
  ({ _id: id, ...update.$inc, ...update.$set, _v: version }) as unknown as mongo.BSON.Document;

/**
 * Applies an event's effect to a projection document at most once: the document keeps the highest
 * aggregate version applied (`_v`); an event at or below it changes nothing and is reported as
 * already applied (false). Events of one aggregate arrive in order (one partition per key), so a
 * high-water mark is enough.
 *
 * Every read and write filters on `_id` alone: FerretDB v1 answers any other filter — `_id` with
 * `_v`, the `$or` this used to send — with a scan of the whole collection (docs/benchmarks.md,
 * "Reporting read models"). So the version is compared with the one just read, and the update is
 * by `_id`: safe with one writer per aggregate, the consumer that owns its partition. A first
 * event inserts, so two writers racing to create a document apply it once (the loser reads again).
 */
export async function applyIfNewer(collection: Coll, id: string, version: number, update: Update): Promise<boolean> {
  for (;;) {
    const current = await collection.findOne(byId(id), { projection: { _v: 1 } });
    const seen = current?._v;
    if (typeof seen === "number" && seen >= version) return false;
    if (current) {
      const res = await collection.updateOne(byId(id), { ...update, $set: { ...update.$set, _v: version } });
      return res.matchedCount > 0;
    }
    try {
      await collection.insertOne(firstDocument(id, version, update));
      return true;
    } catch (error) {
      if (!isDuplicate(error)) throw error;
      // Created meanwhile: compared again with what is there now.
    }
  }
}

/**
 * Many events' effects at once, each under the rule of `applyIfNewer` (a batch of a consumer: at
 * most one event per document, the newest): the documents read by `_id` a few dozen at a time in
 * parallel, then one unordered bulk write by `_id`. Returns how many were applied.
 */
export async function applyManyIfNewer(
  collection: Coll,
  effects: readonly { id: string; version: number; update: Update }[],
): Promise<number> {
  const seen = new Map<string, number | undefined>();
  for (let i = 0; i < effects.length; i += 32) {
    const chunk = effects.slice(i, i + 32);
    const docs = await Promise.all(chunk.map((e) => collection.findOne(byId(e.id), { projection: { _v: 1 } })));
    chunk.forEach((e, k) => {
      const doc = docs[k];
      if (doc) seen.set(e.id, typeof doc._v === "number" ? doc._v : 0);
    });
  }
  const due = effects.filter((e) => (seen.get(e.id) ?? -1) < e.version);
  if (due.length === 0) return 0;
  const ops = due.map(
    (e): mongo.AnyBulkWriteOperation<mongo.BSON.Document> =>
      seen.has(e.id)
        ? { updateOne: { filter: byId(e.id), update: { ...e.update, $set: { ...e.update.$set, _v: e.version } } } }
        : { insertOne: { document: firstDocument(e.id, e.version, e.update) } },
  );
  let applied = due.length;
  try {
    await collection.bulkWrite(ops, { ordered: false });
  } catch (error) {
    const raw = (error as { writeErrors?: unknown }).writeErrors;
    const failures = (Array.isArray(raw) ? raw : raw ? [raw] : []) as { index: number; code?: number }[];
    if (failures.length === 0 || !failures.every((f) => f.code === 11000)) throw error;
    // Created meanwhile by another writer: each applied on its own, compared with what is there.
    applied -= failures.length;
    for (const f of failures) {
      const e = due[f.index];
      if (e && (await applyIfNewer(collection, e.id, e.version, e.update))) applied++;
    }
  }
  return applied;
}

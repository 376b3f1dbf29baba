import type { mongo } from "mongoose";
import type { Rows, VersionedRow } from "../../app/read-model.js";

// A read model in MongoDB: one document per aggregate, `_id` = the aggregate id, `_v` = the last
// aggregate version folded in (the high-water mark), the row's fields beside it. A write replaces the
// whole document only where `_v` is lower (or absent), upserting; a duplicate key on the upsert means
// a newer row won the race: already applied. Reads and writes go by `_id` (FerretDB v1 scans others).

type Doc = Record<string, unknown> & { _id: string; _v: number };

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

export function mongoRows<R extends VersionedRow>(
  db: mongo.Db,
  collection: string,
  indexes: readonly string[] = [],
): Rows<R> & { ensureIndexes(): Promise<void>; drop(): Promise<void>; readonly collection: string } {
  const c = db.collection<Doc>(collection);
  const toRow = ({ _id, _v, ...rest }: Doc) => ({ id: _id, version: _v, ...rest }) as unknown as R;
  const toDoc = (row: R): Doc => {
    const { id, version, ...fields } = row as VersionedRow & Record<string, unknown>;
    const doc: Doc = { _id: id, _v: version };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) doc[k] = v;
    return doc;
  };
  const newer = (row: R) =>
    ({ _id: row.id, $or: [{ _v: { $lt: row.version } }, { _v: { $exists: false } }] }) as mongo.Filter<Doc>;
  return {
    collection,
    async ensureIndexes() {
      for (const field of indexes) await c.createIndex({ [field]: 1 });
    },
    async drop() {
      await c.drop().catch(() => undefined);
    },
    async get(id) {
      const doc = await c.findOne({ _id: id });
      return doc ? toRow(doc) : undefined;
    },
    async getMany(ids) {
      if (ids.length === 0) return [];
      return (await c.find({ _id: { $in: [...ids] } }).toArray()).map(toRow);
    },
    async put(row) {
      try {
        const res = await c.replaceOne(newer(row), toDoc(row), { upsert: true });
        return res.modifiedCount + res.upsertedCount > 0;
      } catch (error) {
        if (isDuplicate(error)) return false;
        throw error;
      }
    },
    async putMany(rows) {
      if (rows.length === 0) return;
      try {
        await c.bulkWrite(
          rows.map((row) => ({ replaceOne: { filter: newer(row), replacement: toDoc(row), upsert: true } })),
          { ordered: false },
        );
      } catch (error) {
        const errors = (error as { writeErrors?: unknown }).writeErrors;
        const list = Array.isArray(errors) ? errors : errors ? [errors] : [];
        if (list.length === 0 || !list.every((e) => (e as { code?: number }).code === 11000)) throw error;
      }
    },
    async list(filter) {
      const query: Record<string, unknown> = {};
      for (const [k, vs] of Object.entries(filter ?? {})) query[k] = { $in: [...vs] };
      return (await c.find(query as mongo.Filter<Doc>).toArray()).map(toRow);
    },
    async count() {
      return c.countDocuments();
    },
  };
}

import type { mongo } from "mongoose";
import type { Rows, VersionedRow } from "../../app/read-model.js";

// A read model in MongoDB: one document per aggregate, `_id` = the aggregate id, `_v` = the last
// aggregate version folded in (the high-water mark), the row's fields beside it. A write replaces the
// whole document only where `_v` is lower (or absent), upserting; a duplicate key on the upsert means
// a newer row won the race: already applied. Reads and writes go by `_id` (FerretDB v1 scans others).

type Doc = Record<string, unknown> & { _id: string; _v: number };

const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

/** The per-document errors of a bulk write (one object or an array, depending on the driver's path). */
const writeErrorsOf = (error: unknown): { index: number; code?: number }[] => {
  const errors = (error as { writeErrors?: unknown }).writeErrors;
  return (Array.isArray(errors) ? errors : errors ? [errors] : []) as { index: number; code?: number }[];
};

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
    async putMany(rows, created) {
      if (rows.length === 0) return;
      const fresh = created ? rows.filter((r) => created.has(r.id)) : [];
      const known = created ? rows.filter((r) => !created.has(r.id)) : rows;
      const racing: R[] = [];
      if (fresh.length > 0) {
        try {
          await c.insertMany(fresh.map(toDoc), { ordered: false });
        } catch (error) {
          const list = writeErrorsOf(error);
          if (list.length === 0 || !list.every((e) => e.code === 11000)) throw error;
          // Written meanwhile by another writer: replaced below if ours is newer.
          for (const e of list) if (fresh[e.index]) racing.push(fresh[e.index] as R);
        }
      }
      const replace = [...known, ...racing];
      if (replace.length === 0) return;
      try {
        await c.bulkWrite(
          replace.map((row) => ({ replaceOne: { filter: newer(row), replacement: toDoc(row), upsert: true } })),
          { ordered: false },
        );
      } catch (error) {
        const list = writeErrorsOf(error);
        if (list.length === 0 || !list.every((e) => e.code === 11000)) throw error;
      }
    },
    async overwriteMany(rows, created) {
      const fresh = rows.filter((r) => created.has(r.id));
      const known = rows.filter((r) => !created.has(r.id));
      for (let i = 0; i < fresh.length; i += 10_000)
        await c.insertMany(fresh.slice(i, i + 10_000).map(toDoc), { ordered: false });
      for (let i = 0; i < known.length; i += 10_000)
        await c.bulkWrite(
          known.slice(i, i + 10_000).map((row) => ({
            replaceOne: { filter: { _id: row.id } as mongo.Filter<Doc>, replacement: toDoc(row), upsert: true },
          })),
          { ordered: false },
        );
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

import type { mongo } from "mongoose";
import type { Rows, VersionedRow } from "../../app/read-model.js";
import { readModelCatalog } from "./catalog.js";

// A read model in MongoDB: one document per aggregate, `_id` = the aggregate id, `_v` = the last
// aggregate version folded in (the high-water mark), the row's fields beside it. Every read and write
// filters on `_id` ALONE: FerretDB v1 answers any other filter — `_id` with `_v`, `$or`, even
// `_id: {$in}` — with a scan of the whole collection (measured: 20 versioned replaces on 20,000
// documents, 10–16 s; the same by `_id` alone, 0.14 s). So the high-water mark is checked on the
// version read just before (`put` reads `_v`; the folds compare with the row they loaded), and a
// row is replaced by `_id`: writes of one aggregate come from the consumer that owns its partition
// in the read model's group, one at a time.

type Doc = Record<string, unknown> & { _id: string; _v: number };

/** The per-document errors of a bulk write (one object or an array, depending on the driver's path). */
const writeErrorsOf = (error: unknown): { index: number; code?: number }[] => {
  const errors = (error as { writeErrors?: unknown }).writeErrors;
  return (Array.isArray(errors) ? errors : errors ? [errors] : []) as { index: number; code?: number }[];
};

export function mongoRows<R extends VersionedRow>(
  db: mongo.Db,
  collection: string,
  indexes: readonly string[] = [],
): Rows<R> & {
  ensureIndexes(): Promise<void>;
  drop(): Promise<void>;
  readonly collection: string;
  /** The collection that holds the rows now. */
  physical(): string;
} {
  const catalog = readModelCatalog(db);
  const physical = () => catalog.physical(collection);
  const coll = () => db.collection<Doc>(physical());
  const toRow = ({ _id, _v, ...rest }: Doc) => ({ id: _id, version: _v, ...rest }) as unknown as R;
  const toDoc = (row: R): Doc => {
    const { id, version, ...fields } = row as VersionedRow & Record<string, unknown>;
    const doc: Doc = { _id: id, _v: version };
    for (const [k, v] of Object.entries(fields)) if (v !== undefined) doc[k] = v;
    return doc;
  };
  const byId = (id: string) => ({ _id: id }) as mongo.Filter<Doc>;
  /** Reads by `_id`, a few dozen at a time in parallel (an `$in` would scan the collection). */
  const getMany = async (ids: readonly string[]) => {
    const c = coll();
    const out: R[] = [];
    for (let i = 0; i < ids.length; i += 32) {
      const docs = await Promise.all(ids.slice(i, i + 32).map((id) => c.findOne(byId(id))));
      for (const d of docs) if (d) out.push(toRow(d));
    }
    return out;
  };
  return {
    collection,
    physical,
    async ensureIndexes() {
      for (const field of indexes) await coll().createIndex({ [field]: 1 });
    },
    async drop() {
      await coll()
        .drop()
        .catch(() => undefined);
    },
    async get(id) {
      const doc = await coll().findOne({ _id: id });
      return doc ? toRow(doc) : undefined;
    },
    getMany,
    async put(row) {
      const c = coll();
      const current = await c.findOne(byId(row.id), { projection: { _v: 1 } });
      if (current && current._v >= row.version) return false;
      await c.replaceOne(byId(row.id), toDoc(row), { upsert: true });
      return true;
    },
    async overwriteMany(rows, created) {
      const c = coll();
      const fresh = rows.filter((r) => created.has(r.id));
      const known = rows.filter((r) => !created.has(r.id));
      const racing: R[] = [];
      for (let i = 0; i < fresh.length; i += 10_000) {
        const chunk = fresh.slice(i, i + 10_000);
        try {
          await c.insertMany(chunk.map(toDoc), { ordered: false });
        } catch (error) {
          const list = writeErrorsOf(error);
          if (list.length === 0 || !list.every((e) => e.code === 11000)) throw error;
          // Written meanwhile (a redelivered batch): replaced by `_id` below.
          for (const e of list) if (chunk[e.index]) racing.push(chunk[e.index] as R);
        }
      }
      const replace = [...known, ...racing];
      for (let i = 0; i < replace.length; i += 10_000)
        await c.bulkWrite(
          replace.slice(i, i + 10_000).map((row) => ({
            replaceOne: { filter: byId(row.id), replacement: toDoc(row), upsert: true },
          })),
          { ordered: false },
        );
    },
    async insertNew(rows) {
      const there = new Set<string>();
      const c = coll();
      for (let i = 0; i < rows.length; i += 10_000) {
        const chunk = rows.slice(i, i + 10_000);
        try {
          if (chunk.length) await c.insertMany(chunk.map(toDoc), { ordered: false });
        } catch (error) {
          const list = writeErrorsOf(error);
          if (list.length === 0 || !list.every((e) => e.code === 11000)) throw error;
          for (const e of list) if (chunk[e.index]) there.add((chunk[e.index] as R).id);
        }
      }
      return there;
    },
    async list(filter) {
      const query: Record<string, unknown> = {};
      for (const [k, vs] of Object.entries(filter ?? {})) query[k] = { $in: [...vs] };
      return (
        await coll()
          .find(query as mongo.Filter<Doc>)
          .toArray()
      ).map(toRow);
    },
    async count() {
      return coll().countDocuments();
    },
  };
}

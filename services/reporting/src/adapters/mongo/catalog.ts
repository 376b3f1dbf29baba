import type { mongo } from "mongoose";
import type { Positions, ReadModelCatalog } from "../../app/read-model.js";

// The catalog of the read models (`read_models`): for each read model's logical name (`demand_rows`,
// `unit_rows`…), the collection that holds it now and the topic positions its rows contain (the next
// offset to read, by partition), written just after the rows of each batch. A read model and its
// positions are one snapshot: a restart resumes from it, and a rebuilt collection is swapped in with
// its own positions in one write of one document. Six documents: the filters on `collection` that
// guard the writes cost nothing here (FerretDB scans only these few documents).

type Entry = { _id: string; collection: string; positions?: Record<string, number>; swappedAt?: Date };

const key = (partition: number | string) => `p${partition}`;
const fromDoc = (positions: Record<string, number> | undefined): Positions =>
  Object.fromEntries(Object.entries(positions ?? {}).map(([k, v]) => [k.slice(1), v]));

const catalogs = new WeakMap<mongo.Db, ReturnType<typeof build>>();

/** The catalog of this database (one per process and database: the rows' adapters resolve their collection through it). */
export function readModelCatalog(db: mongo.Db) {
  let catalog = catalogs.get(db);
  if (!catalog) {
    catalog = build(db);
    catalogs.set(db, catalog);
  }
  return catalog;
}

function build(db: mongo.Db) {
  const c = db.collection<Entry>("read_models");
  const current = new Map<string, string>();
  const advancing = new Map<string, Promise<boolean>>();
  const write = async (name: string, collection: string, positions: Positions): Promise<boolean> => {
    const $set: Record<string, number> = {};
    for (const [p, offset] of Object.entries(positions)) $set[`positions.${key(p)}`] = offset;
    try {
      // The upsert inserts the entry the first time; an entry naming another collection (swapped
      // meanwhile) makes it collide on `_id`, and these rows' positions are not recorded.
      const res = await c.updateOne({ _id: name, collection }, { $set }, { upsert: true });
      return res.matchedCount + res.upsertedCount > 0;
    } catch (error) {
      if ((error as { code?: number }).code !== 11000) throw error;
      // Or another partition's consumer inserted the entry first: recorded beside its positions.
      const res = await c.updateOne({ _id: name, collection }, { $set });
      return res.matchedCount > 0;
    }
  };
  const catalog: ReadModelCatalog & { load(): Promise<void>; physical(name: string): string } = {
    /** Reads where every read model lives (at start, and after another process swapped one). */
    async load() {
      for (const e of await c.find({}).toArray()) current.set(e._id, e.collection);
    },
    /** The collection that holds the read model now (its logical name until a rebuild is swapped in). */
    physical: (name) => current.get(name) ?? name,
    async entry(name) {
      const e = await c.findOne({ _id: name });
      if (!e) return undefined;
      current.set(name, e.collection);
      return { collection: e.collection, positions: fromDoc(e.positions) };
    },
    advance(name, collection, positions) {
      // One write at a time per read model in this process (reporting runs one replica, decision
      // 0030): FerretDB v1 applies an update by reading the document and writing it back whole, so
      // two partitions' $set of different positions at once lost one of them (the snapshot test
      // saw 17 of 30). On MongoDB the queue costs one round trip of waiting at most.
      const previous = advancing.get(name) ?? Promise.resolve();
      const next = previous.then(
        () => write(name, collection, positions),
        () => write(name, collection, positions),
      );
      advancing.set(name, next);
      void next
        .finally(() => {
          if (advancing.get(name) === next) advancing.delete(name);
        })
        .catch(() => undefined);
      return next;
    },
    async swap(name, from, to, positions) {
      const doc = {
        collection: to,
        positions: Object.fromEntries(Object.entries(positions).map(([p, o]) => [key(p), o])),
        swappedAt: new Date(),
      };
      // Upserted: a read model swapped for the first time may have no entry yet (its logical name is its collection).
      const res = await c
        .updateOne({ _id: name, collection: from }, { $set: doc }, { upsert: true })
        .catch((error: { code?: number }) => {
          if (error.code === 11000) return { matchedCount: 0, upsertedCount: 0 };
          throw error;
        });
      const swapped = res.matchedCount + res.upsertedCount > 0;
      if (swapped) current.set(name, to);
      return swapped;
    },
  };
  return catalog;
}
export type MongoCatalog = ReturnType<typeof readModelCatalog>;

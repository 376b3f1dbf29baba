import type { KeyedLock } from "@logis/domain";
import type { mongo } from "mongoose";
import type { OutboxEntry } from "./entries.js";

export interface PendingDocument {
  id: unknown;
  entries: OutboxEntry[];
}

/** Where the relay finds pending events and acknowledges published ones. */
export interface OutboxStore {
  readonly name: string;
  fetchPending(limit: number): Promise<PendingDocument[]>;
  /** Removes the published entries; returns how many documents changed. */
  acknowledge(published: readonly PendingDocument[]): Promise<number>;
}

/** A driver collection (mongoose `connection.collection(name)` or `Model.collection`). */
type Coll = mongo.Collection<mongo.BSON.Document>;
type Filter = mongo.Filter<mongo.BSON.Document>;

/** Creates the index the relay polls on; call once at start-up. */
export async function ensureOutboxIndex<T extends mongo.BSON.Document>(collection: mongo.Collection<T>): Promise<void> {
  await collection.createIndex({ outboxAt: 1 });
}

export interface OutboxStoreOptions {
  /**
   * Taken per document (key `<collection>:<_id>`) around the acknowledgement. Required whenever
   * other writers may update the same documents concurrently — always, in a service — because a
   * MongoDB-wire server may lose one of two concurrent updates of a document (decision 0005).
   */
  lock?: KeyedLock;
  /** Documents acknowledged in parallel when a lock is used. */
  concurrency?: number;
}

/** The outbox of one MongoDB collection whose documents carry `outbox: OutboxEntry[]`. */
export function mongoOutboxStore<T extends mongo.BSON.Document>(
  collection: mongo.Collection<T>,
  options: OutboxStoreOptions = {},
): OutboxStore {
  const c = collection as unknown as Coll;
  const { lock, concurrency = 32 } = options;
  const ackOne = async ({ id, entries }: PendingDocument): Promise<number> => {
    const res = await c.updateOne(
      { _id: id } as Filter,
      { $pullAll: { outbox: entries } } as unknown as mongo.UpdateFilter<mongo.BSON.Document>,
    );
    await c.updateOne({ _id: id, outbox: { $size: 0 } } as Filter, { $unset: { outboxAt: "" } });
    return res.modifiedCount;
  };
  return {
    name: c.collectionName,
    async fetchPending(limit) {
      const docs = await c
        .find({ outboxAt: { $lte: new Date(8.64e15) } }, { projection: { outbox: 1 } })
        .sort({ outboxAt: 1 })
        .limit(limit)
        .toArray();
      const pending = docs.map((d) => ({ id: d._id, entries: (d.outbox ?? []) as OutboxEntry[] }));
      const drained = pending.filter((d) => d.entries.length === 0).map((d) => d.id);
      // A crash between the two acknowledgement writes leaves a mark on an empty outbox: clear it.
      if (drained.length > 0)
        await c.updateMany({ _id: { $in: drained }, outbox: { $size: 0 } } as Filter, { $unset: { outboxAt: "" } });
      return pending.filter((d) => d.entries.length > 0);
    },
    async acknowledge(published) {
      if (published.length === 0) return 0;
      if (lock) {
        let changed = 0;
        for (let i = 0; i < published.length; i += concurrency) {
          const slice = published.slice(i, i + concurrency);
          const counts = await Promise.all(
            slice.map((doc) => lock.run(`${c.collectionName}:${String(doc.id)}`, () => ackOne(doc))),
          );
          changed += counts.reduce((a, b) => a + b, 0);
        }
        return changed;
      }
      // $pullAll with the entries exactly as read: FerretDB v1 ignores $pull conditions on
      // sub-document fields ({ eventId: { $in } } matches but removes nothing); exact values work
      // on FerretDB and MongoDB alike, and entries are written back unchanged, field order included.
      const res = await c.bulkWrite(
        published.map(({ id, entries }) => ({
          updateOne: {
            filter: { _id: id } as Filter,
            update: { $pullAll: { outbox: entries } } as unknown as mongo.UpdateFilter<mongo.BSON.Document>,
          },
        })),
        { ordered: false },
      );
      // Clear the mark only where nothing new arrived meanwhile: a concurrent $push keeps it set.
      await c.bulkWrite(
        published.map(({ id }) => ({
          updateOne: { filter: { _id: id, outbox: { $size: 0 } } as Filter, update: { $unset: { outboxAt: "" } } },
        })),
        { ordered: false },
      );
      return res.modifiedCount;
    },
  };
}

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
const FAR_FUTURE = new Date(8.64e15);

/** Creates the index the scanning relay polls on; call once at start-up. */
export async function ensureOutboxIndex<T extends mongo.BSON.Document>(collection: mongo.Collection<T>): Promise<void> {
  await collection.createIndex({ outboxAt: 1 } as never);
}

/**
 * The "pending" markers of a collection (`<collection>_outbox`, one document per aggregate with
 * unpublished events, `_id` = the aggregate's `_id`). Writers upsert the marker inside the
 * aggregate's lock, before writing it; the relay reads markers (a small collection) and loads each
 * aggregate by `_id` — no scan of the aggregates, which FerretDB cannot index (decision 0005).
 */
export const markersOf = <T extends mongo.BSON.Document>(collection: mongo.Collection<T>) =>
  collection.db.collection<{ _id: unknown; at: Date }>(`${collection.collectionName}_outbox`);

/** Marks an aggregate as having pending events; call inside its lock, before writing it. */
export async function markPending<T extends mongo.BSON.Document>(
  collection: mongo.Collection<T>,
  id: unknown,
  now = new Date(),
) {
  await markersOf(collection).updateOne({ _id: id } as never, { $setOnInsert: { at: now } }, { upsert: true });
}

export interface OutboxStoreOptions {
  /**
   * Taken per document (key `<collection>:<_id>`) around the acknowledgement. Required whenever
   * other writers may update the same documents concurrently — always, in a service — because a
   * MongoDB-wire server may lose one of two concurrent updates of a document (decision 0005).
   */
  lock?: KeyedLock;
  /** Documents acknowledged in parallel. */
  concurrency?: number;
  /**
   * Writers mark pending aggregates (markPending): the relay reads markers instead of scanning.
   * A full scan still runs at start and every `fullScanEveryMs`, to repair any missing marker.
   */
  markers?: { fullScanEveryMs?: number };
}

/** The outbox of one MongoDB collection whose documents carry `outbox: OutboxEntry[]`. */
export function mongoOutboxStore<T extends mongo.BSON.Document>(
  collection: mongo.Collection<T>,
  options: OutboxStoreOptions = {},
): OutboxStore {
  const c = collection as unknown as Coll;
  const { lock, concurrency = 32 } = options;
  const markers = markersOf(c);
  let lastFullScan = 0;

  const locked = <R>(id: unknown, fn: () => Promise<R>) =>
    lock ? lock.run(`${c.collectionName}:${String(id)}`, fn) : fn();

  /** Clears `outboxAt` (and the marker) once nothing is pending; a concurrent $push keeps both. */
  const clearIfDrained = async (id: unknown) => {
    const doc = await c.findOne({ _id: id } as Filter, { projection: { outbox: 1 } });
    if (doc && (doc.outbox?.length ?? 0) > 0) return;
    if (doc) await c.updateOne({ _id: id } as Filter, { $unset: { outboxAt: "" } });
    if (options.markers) await markers.deleteOne({ _id: id } as never);
  };

  // $pullAll with the entries exactly as read: FerretDB v1 ignores $pull conditions on sub-document
  // fields ({ eventId: { $in } } matches but removes nothing); exact values work on FerretDB and
  // MongoDB alike, and entries are written back unchanged, field order included.
  // With a lock, every writer of the document holds it: read by _id, decide in code, write by _id —
  // the only filters FerretDB v1 does not answer with a scan of the whole collection (decision 0005).
  const ackLocked = async ({ id, entries }: PendingDocument): Promise<number> => {
    const doc = await c.findOne({ _id: id } as Filter, { projection: { outbox: 1 } });
    if (!doc) {
      if (options.markers) await markers.deleteOne({ _id: id } as never);
      return 0;
    }
    const published = new Set(entries.map((e) => e.eventId));
    const current = (doc.outbox ?? []) as OutboxEntry[];
    const remaining = current.filter((e) => !published.has(e.eventId));
    if (remaining.length === current.length) return 0;
    if (remaining.length > 0) {
      await c.updateOne({ _id: id } as Filter, { $set: { outbox: remaining } });
      return 1;
    }
    await c.updateOne({ _id: id } as Filter, { $set: { outbox: [] }, $unset: { outboxAt: "" } });
    if (options.markers) await markers.deleteOne({ _id: id } as never);
    return 1;
  };

  // Without a lock (single writer, or MongoDB's atomic updates): remove exactly the published entries.
  // $pullAll with the entries as read: FerretDB v1 ignores $pull conditions on sub-document fields
  // ({ eventId: { $in } } matches but removes nothing); exact values work on FerretDB and MongoDB.
  const ackUnlocked = async ({ id, entries }: PendingDocument): Promise<number> => {
    const res = await c.updateOne(
      { _id: id } as Filter,
      { $pullAll: { outbox: entries } } as unknown as mongo.UpdateFilter<mongo.BSON.Document>,
    );
    await clearIfDrained(id);
    return res.modifiedCount;
  };

  const ackOne = (doc: PendingDocument) => (lock ? ackLocked(doc) : ackUnlocked(doc));

  const scan = async (limit: number): Promise<PendingDocument[]> => {
    const docs = await c
      .find({ outboxAt: { $lte: FAR_FUTURE } }, { projection: { outbox: 1 } })
      .sort({ outboxAt: 1 })
      .limit(limit)
      .toArray();
    const pending = docs.map((d) => ({ id: d._id as unknown, entries: (d.outbox ?? []) as OutboxEntry[] }));
    // A crash between the two acknowledgement writes leaves a mark on an empty outbox: clear it.
    for (const d of pending.filter((p) => p.entries.length === 0)) await locked(d.id, () => clearIfDrained(d.id));
    return pending.filter((d) => d.entries.length > 0);
  };

  const fetchByMarkers = async (limit: number): Promise<PendingDocument[]> => {
    if (Date.now() - lastFullScan > (options.markers?.fullScanEveryMs ?? 10 * 60_000)) {
      lastFullScan = Date.now();
      // Repair: aggregates with pending events but no marker (a crash before the marker, a manual edit).
      const stray = await c
        .find({ outboxAt: { $lte: FAR_FUTURE } }, { projection: { _id: 1 } })
        .limit(100_000)
        .toArray();
      for (const d of stray)
        await markers.updateOne({ _id: d._id } as never, { $setOnInsert: { at: new Date(0) } }, { upsert: true });
    }
    const marks = await markers.find({}).sort({ at: 1 }).limit(limit).toArray();
    const docs = await Promise.all(
      marks.map((m) => c.findOne({ _id: m._id } as Filter, { projection: { outbox: 1 } })),
    );
    const pending: PendingDocument[] = [];
    const graceStart = Date.now() - 60_000;
    for (const [i, m] of marks.entries()) {
      const doc = docs[i];
      const entries = (doc?.outbox ?? []) as OutboxEntry[];
      if (entries.length > 0) pending.push({ id: m._id, entries });
      // A marker without its document may belong to an insert in flight (bulk writers mark first
      // without holding each document's lock): only markers older than a minute are dropped.
      else if (doc || m.at.getTime() < graceStart) await locked(m._id, () => clearIfDrained(m._id));
    }
    return pending;
  };

  return {
    name: c.collectionName,
    fetchPending: (limit) => (options.markers ? fetchByMarkers(limit) : scan(limit)),
    async acknowledge(published) {
      let changed = 0;
      for (let i = 0; i < published.length; i += concurrency) {
        const counts = await Promise.all(
          published.slice(i, i + concurrency).map((doc) => locked(doc.id, () => ackOne(doc))),
        );
        changed += counts.reduce((a, b) => a + b, 0);
      }
      return changed;
    },
  };
}

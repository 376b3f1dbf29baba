import type { KeyedLock } from "@logis/redis";
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
  /** Makes the next fetch run the repair scan (a relay starting: signals or markers may have been lost). */
  repairOnNextFetch?(): void;
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

/**
 * Where writers signal "this document has pending events" when marker writes cost too much (a
 * Redis set, say): `add` after writing the document (inside its lock when it has one). The relay
 * of a collection of aggregates `take`s ids (removing them) before reading the documents, so a
 * write made after that read signals again; stores that keep a document pending across ticks read
 * `pending` ids and `remove` them once done. Signals may be lost (a crash between the write and
 * `add`): the scan at start and every `fullScanEveryMs` repairs them. Ids are the documents'
 * `_id`s as strings.
 */
export interface OutboxSignals {
  add(collection: string, ids: readonly string[]): Promise<void>;
  pending(collection: string, limit: number): Promise<string[]>;
  /** Removes and returns up to `limit` ids. */
  take(collection: string, limit: number): Promise<string[]>;
  remove(collection: string, ids: readonly string[]): Promise<void>;
}

/** Creates the index the signals' repair scan reads (`outbox.eventId` exists); call once at start-up. */
export async function ensureOutboxSignalsIndex<T extends mongo.BSON.Document>(
  collection: mongo.Collection<T>,
): Promise<void> {
  await collection.createIndex({ "outbox.eventId": 1 } as never, { sparse: true });
}

/**
 * Holds every key's lock while `fn` runs. Keys are taken in parallel: the callers (one relay per
 * collection, taking ids it alone popped) never wait for each other's sets, and a lock that cannot
 * be had fails the whole call (it is retried on the next tick).
 */
async function runLockedAll<R>(lock: KeyedLock, keys: readonly string[], fn: () => Promise<R>): Promise<R> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  const holds = keys.map((key) => {
    let acquired!: () => void;
    const got = new Promise<void>((resolve) => {
      acquired = resolve;
    });
    const held = lock.run(key, async () => {
      acquired();
      await released;
    });
    return { got: Promise.race([got, held]), held };
  });
  try {
    await Promise.all(holds.map((h) => h.got));
    return await fn();
  } finally {
    release();
    await Promise.allSettled(holds.map((h) => h.held));
  }
}

/**
 * Holds a document's events back while an earlier event of the same aggregate waits elsewhere (in
 * a bulk-import batch document): while `released(document[field])` is false the document is not
 * relayed. Once released the field is removed with the acknowledgement. `released` must be
 * monotonic (once true, always true).
 */
export interface OutboxHold {
  field: string;
  released(ref: unknown): Promise<boolean>;
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
  /** Like `markers`, but writers signal pending documents outside the database (no marker writes). */
  signals?: OutboxSignals & { fullScanEveryMs?: number };
  hold?: OutboxHold;
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

  const { signals, hold } = options;
  const locked = <R>(id: unknown, fn: () => Promise<R>) =>
    lock ? lock.run(`${c.collectionName}:${String(id)}`, fn) : fn();
  /** Drops the marker or the signal of a drained (or deleted) document. */
  const forget = async (id: unknown) => {
    if (options.markers) await markers.deleteOne({ _id: id } as never);
    if (signals) await signals.remove(c.collectionName, [String(id)]);
  };
  const readProjection = hold ? { outbox: 1, [hold.field]: 1 } : { outbox: 1 };
  const unsetHold = hold ? { [hold.field]: "" } : {};
  /** A document is relayed once nothing it waits for is pending elsewhere. */
  const isHeld = async (doc: mongo.BSON.Document | null) =>
    hold !== undefined && doc?.[hold.field] !== undefined && !(await hold.released(doc[hold.field]));

  /** Clears `outboxAt` (and the marker) once nothing is pending; a concurrent $push keeps both. */
  const clearIfDrained = async (id: unknown) => {
    const doc = await c.findOne({ _id: id } as Filter, { projection: { outbox: 1 } });
    if (doc && (doc.outbox?.length ?? 0) > 0) return;
    if (doc) await c.updateOne({ _id: id } as Filter, { $unset: { outboxAt: "" } });
    await forget(id);
  };

  // $pullAll with the entries exactly as read: FerretDB v1 ignores $pull conditions on sub-document
  // fields ({ eventId: { $in } } matches but removes nothing); exact values work on FerretDB and
  // MongoDB alike, and entries are written back unchanged, field order included.
  // With a lock, every writer of the document holds it: read by _id, decide in code, write by _id —
  // the only filters FerretDB v1 does not answer with a scan of the whole collection (decision 0005).
  const ackLocked = async ({ id, entries }: PendingDocument): Promise<number> => {
    const doc = await c.findOne({ _id: id } as Filter, { projection: { outbox: 1 } });
    if (!doc) {
      await forget(id);
      return 0;
    }
    const published = new Set(entries.map((e) => e.eventId));
    const current = (doc.outbox ?? []) as OutboxEntry[];
    const remaining = current.filter((e) => !published.has(e.eventId));
    if (remaining.length === current.length) return 0;
    if (remaining.length > 0) {
      await c.updateOne(
        { _id: id } as Filter,
        hold ? { $set: { outbox: remaining }, $unset: unsetHold } : { $set: { outbox: remaining } },
      );
      return 1;
    }
    await c.updateOne({ _id: id } as Filter, { $set: { outbox: [] }, $unset: { outboxAt: "", ...unsetHold } });
    await forget(id);
    return 1;
  };

  // Without a lock (single writer, or MongoDB's atomic updates): remove exactly the published entries.
  // $pullAll with the entries as read: FerretDB v1 ignores $pull conditions on sub-document fields
  // ({ eventId: { $in } } matches but removes nothing); exact values work on FerretDB and MongoDB.
  const ackUnlocked = async ({ id, entries }: PendingDocument): Promise<number> => {
    const res = await c.updateOne(
      { _id: id } as Filter,
      (hold
        ? { $pullAll: { outbox: entries }, $unset: unsetHold }
        : { $pullAll: { outbox: entries } }) as unknown as mongo.UpdateFilter<mongo.BSON.Document>,
    );
    await clearIfDrained(id);
    return res.modifiedCount;
  };

  const ackOne = (doc: PendingDocument) => (lock ? ackLocked(doc) : ackUnlocked(doc));

  const scan = async (limit: number): Promise<PendingDocument[]> => {
    const docs = await c
      .find({ outboxAt: { $lte: FAR_FUTURE } }, { projection: readProjection })
      .sort({ outboxAt: 1 })
      .limit(limit)
      .toArray();
    const pending: PendingDocument[] = [];
    for (const d of docs) {
      const entries = (d.outbox ?? []) as OutboxEntry[];
      // A crash between the two acknowledgement writes leaves a mark on an empty outbox: clear it.
      if (entries.length === 0) await locked(d._id, () => clearIfDrained(d._id));
      else if (!(await isHeld(d))) pending.push({ id: d._id, entries });
    }
    return pending;
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
      marks.map((m) => c.findOne({ _id: m._id } as Filter, { projection: readProjection })),
    );
    const pending: PendingDocument[] = [];
    const graceStart = Date.now() - 60_000;
    for (const [i, m] of marks.entries()) {
      const doc = docs[i];
      const entries = (doc?.outbox ?? []) as OutboxEntry[];
      if (entries.length > 0) {
        if (!(await isHeld(doc ?? null))) pending.push({ id: m._id, entries });
      }
      // A marker without its document may belong to an insert in flight (bulk writers mark first
      // without holding each document's lock): only markers older than a minute are dropped.
      else if (doc || m.at.getTime() < graceStart) await locked(m._id, () => clearIfDrained(m._id));
    }
    return pending;
  };

  // With signals, ids are taken (removed) before their documents are read: an event written after
  // the read signals again, so acknowledging never has to look for newer entries. Ids taken by a
  // tick that failed before acknowledging are read again by the next one (`inFlight`); a crash
  // loses them, and the scan at start finds their documents.
  let inFlight: string[] = [];
  const fetchBySignals = async (s: OutboxSignals & { fullScanEveryMs?: number }, limit: number) => {
    if (Date.now() - lastFullScan > (s.fullScanEveryMs ?? 10 * 60_000)) {
      lastFullScan = Date.now();
      // Repair: aggregates with pending events whose signal was lost (a crash right after the write).
      const stray = await c
        .find({ "outbox.eventId": { $exists: true } }, { projection: { _id: 1 } })
        .limit(100_000)
        .toArray();
      if (stray.length > 0)
        await s.add(
          c.collectionName,
          stray.map((d) => String(d._id)),
        );
    }
    const taken = inFlight.length < limit ? await s.take(c.collectionName, limit - inFlight.length) : [];
    const ids = [...new Set([...inFlight, ...taken])];
    inFlight = ids;
    const docs = await Promise.all(
      ids.map((id) => c.findOne({ _id: id } as unknown as Filter, { projection: readProjection })),
    );
    const pending: PendingDocument[] = [];
    const held: string[] = [];
    for (const [i, id] of ids.entries()) {
      const doc = docs[i];
      const entries = (doc?.outbox ?? []) as OutboxEntry[];
      // A document without events here was drained (or deleted) after its signal: nothing to do.
      if (entries.length === 0) continue;
      if (await isHeld(doc ?? null)) held.push(id);
      else pending.push({ id, entries });
    }
    // Held documents wait for their import batch: signalled again, read on a later tick.
    if (held.length > 0) await s.add(c.collectionName, held);
    if (pending.length === 0) inFlight = [];
    return pending;
  };

  /**
   * Acknowledges with signals: one write for all the documents, under all their locks. Each
   * update removes exactly the published entries ($pullAll of the values read), so an entry
   * written meanwhile stays, and its writer has signalled it again.
   */
  const acknowledgeSignalled = async (published: readonly PendingDocument[]): Promise<number> => {
    if (published.length === 0) return 0;
    const write = () =>
      c.bulkWrite(
        published.map(({ id, entries }) => ({
          updateOne: {
            filter: { _id: id } as Filter,
            update: { $pullAll: { outbox: entries }, $unset: { outboxAt: "", ...unsetHold } } as never,
          },
        })),
        { ordered: false },
      );
    const res = lock
      ? await runLockedAll(
          lock,
          published.map(({ id }) => `${c.collectionName}:${String(id)}`),
          write,
        )
      : await write();
    inFlight = [];
    return res.modifiedCount;
  };
  return {
    name: c.collectionName,
    repairOnNextFetch() {
      lastFullScan = 0;
    },
    fetchPending: (limit) =>
      signals ? fetchBySignals(signals, limit) : options.markers ? fetchByMarkers(limit) : scan(limit),
    async acknowledge(published) {
      if (signals) return acknowledgeSignalled(published);
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

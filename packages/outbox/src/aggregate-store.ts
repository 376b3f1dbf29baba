import type { AnyEnvelope } from "@logis/contracts";
import type { KeyedLock } from "@logis/redis";
import type { mongo } from "mongoose";
import { type OutboxEntry, outboxEntries } from "./entries.js";
import { ensureOutboxSignalsIndex, mongoOutboxStore, type OutboxSignals, type OutboxStore } from "./store.js";

/** An aggregate as stored: its own fields; the outbox fields stay inside the store. */
export type AggregateDoc = { _id: string } & mongo.BSON.Document;

/** What a use case decided for one aggregate: its next state and its events. */
export interface Change<D extends AggregateDoc> {
  /** The whole next state (`_id` aside): fields it lacks, or sets to `undefined`, are removed. */
  state: Omit<D, "_id">;
  /** The events others must see, written in the same document write (the outbox). */
  events?: readonly AnyEnvelope[];
}

export interface AggregateStore<D extends AggregateDoc> {
  readonly name: string;
  /** The aggregate by id, without its outbox fields; undefined when it does not exist. */
  get(id: string): Promise<D | undefined>;
  /** The aggregates by id, in the order asked, missing ones left out. */
  getMany(ids: readonly string[]): Promise<D[]>;
  /** Creates the aggregate with its events; false when one with that id already exists. */
  insert(doc: D, events?: readonly AnyEnvelope[]): Promise<boolean>;
  /** Creates many aggregates (each with its events); returns the ids that already existed. */
  insertMany(items: readonly { doc: D; events?: readonly AnyEnvelope[] }[]): Promise<string[]>;
  /**
   * Changes one aggregate: under its lock, reads it, asks `decide` for the change (undefined: no
   * change), writes the state and its events in one write, signals the relay. Returns the new
   * state (undefined when the aggregate does not exist and `decide` made none).
   */
  update<R = void>(
    id: string,
    decide: (current: D | undefined) => Promise<ChangeWith<D, R> | undefined> | ChangeWith<D, R> | undefined,
  ): Promise<{ state: D | undefined; result: R | undefined }>;
  /** Where the relay reads this store's pending events. */
  readonly outbox: OutboxStore;
  /** The indexes the store itself needs (the relay's repair scan); call once at start. */
  ensureIndexes(): Promise<void>;
  /** The collection, for read-only queries in the service's Mongo adapters (never for writes). */
  readonly collection: mongo.Collection<D>;
}

/**
 * What use cases see of an aggregate store (their port): read, create, change. The Mongo store adds
 * its outbox and collection for the composition root and the adapters; a memory store (use-case
 * unit tests, `@logis/testing`) implements just this.
 */
export type Aggregates<D extends AggregateDoc> = Pick<
  AggregateStore<D>,
  "get" | "getMany" | "insert" | "insertMany" | "update"
>;

/** A change plus a value handed back to the caller (what the decision produced: a view, a count…). */
export type ChangeWith<D extends AggregateDoc, R> = Change<D> & { result?: R };

export interface AggregateStoreOptions {
  /** The topic of the aggregate's events (an aggregate that emits none, a job say, has none). */
  topic?: string;
  /** Every writer of a document holds its lock (decision 0005). */
  lock: KeyedLock;
  /** Pending documents are signalled after each write (decision 0007). */
  signals: OutboxSignals;
  /** Clock of the outbox marks (tests move it). */
  now?: () => Date;
}

const OUTBOX_FIELDS = { outbox: 0, outboxAt: 0 } as const;

/**
 * One aggregate collection with its outbox: the only way application code writes an aggregate and
 * its events. The choices forced by FerretDB v1 stay here: a Redis lock per document around every
 * update (it does not isolate concurrent updates of one document), reads and writes by `_id` only
 * (other filters are scans), the envelope as JSON text (decision 0008), pending documents signalled
 * in Redis instead of marker documents (decision 0007). On MongoDB the same code is correct, the lock
 * merely redundant.
 */
export function mongoAggregateStore<D extends AggregateDoc>(
  db: mongo.Db,
  name: string,
  { topic, lock, signals, now = () => new Date() }: AggregateStoreOptions,
): AggregateStore<D> {
  const c = db.collection<D>(name);
  const byId = (id: string) => ({ _id: id }) as mongo.Filter<D>;
  const entries = (events: readonly AnyEnvelope[] | undefined): OutboxEntry[] => {
    if (!events || events.length === 0) return [];
    if (topic === undefined) throw new Error(`aggregate store ${name} has no topic for its events`);
    return outboxEntries(topic, events);
  };
  const strip = (doc: mongo.WithId<D> | null): D | undefined => {
    if (!doc) return undefined;
    const { outbox: _o, outboxAt: _a, ...rest } = doc as mongo.BSON.Document;
    return rest as D;
  };
  const signal = async (ids: string[]) => {
    if (ids.length > 0) await signals.add(name, ids);
  };
  const isDuplicate = (error: unknown) => (error as { code?: number }).code === 11000;

  return {
    name,
    collection: c,
    outbox: mongoOutboxStore(c, { lock, signals }),
    ensureIndexes: () => ensureOutboxSignalsIndex(c),

    async get(id) {
      return strip(await c.findOne(byId(id), { projection: OUTBOX_FIELDS }));
    },

    async getMany(ids) {
      const docs = await Promise.all(ids.map((id) => c.findOne(byId(id), { projection: OUTBOX_FIELDS })));
      return docs.map(strip).filter((d): d is D => d !== undefined);
    },

    async insert(doc, events) {
      const pending = entries(events);
      // A new document needs no lock (decision 0005): nobody else can be writing it yet.
      try {
        await c.insertOne({ ...doc, outbox: pending, ...(pending.length ? { outboxAt: now() } : {}) } as never);
      } catch (error) {
        if (isDuplicate(error)) return false;
        throw error;
      }
      await signal(pending.length ? [doc._id] : []);
      return true;
    },

    async insertMany(items) {
      if (items.length === 0) return [];
      const at = now();
      const docs = items.map(({ doc, events }) => {
        const pending = entries(events);
        return { ...doc, outbox: pending, ...(pending.length ? { outboxAt: at } : {}) };
      });
      const existing: string[] = [];
      try {
        await c.insertMany(docs as never[], { ordered: false });
      } catch (error) {
        const writeErrors = (error as { writeErrors?: { index: number; code?: number }[] | { index: number } })
          .writeErrors;
        const list = Array.isArray(writeErrors) ? writeErrors : writeErrors ? [writeErrors] : [];
        if (list.length === 0 || !list.every((e) => (e as { code?: number }).code === 11000)) throw error;
        for (const e of list) existing.push(items[e.index]?.doc._id ?? "");
      }
      const refused = new Set(existing);
      await signal(
        items.filter(({ doc, events }) => !refused.has(doc._id) && (events?.length ?? 0) > 0).map(({ doc }) => doc._id),
      );
      return existing;
    },

    async update(id, decide) {
      return lock.run(`${name}:${id}`, async () => {
        const current = strip(await c.findOne(byId(id), { projection: OUTBOX_FIELDS }));
        const change = await decide(current);
        if (!change) return { state: current, result: undefined };
        const set: Record<string, unknown> = {};
        for (const [field, value] of Object.entries(change.state))
          if (field !== "_id" && value !== undefined) set[field] = value;
        const unset: Record<string, ""> = {};
        for (const field of Object.keys(current ?? {})) if (field !== "_id" && !(field in set)) unset[field] = "";
        const pending = entries(change.events);
        const next = { _id: id, ...set } as Record<string, unknown>;
        if (!current) {
          await c.insertOne({ ...next, outbox: pending, ...(pending.length ? { outboxAt: now() } : {}) } as never);
        } else {
          const update: Record<string, unknown> = {};
          if (Object.keys(set).length) update.$set = set;
          if (Object.keys(unset).length) update.$unset = unset;
          if (pending.length) {
            update.$push = { outbox: { $each: pending } };
            update.$min = { outboxAt: now() };
          }
          if (Object.keys(update).length) await c.updateOne(byId(id), update as mongo.UpdateFilter<D>);
        }
        await signal(pending.length ? [id] : []);
        return { state: next as D, result: change.result };
      });
    },
  };
}

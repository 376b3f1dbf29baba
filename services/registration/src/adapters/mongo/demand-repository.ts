import type { AnyEnvelope } from "@logis/contracts";
import { topicName, topics } from "@logis/contracts";
import { AppError } from "@logis/domain";
import {
  ensureOutboxSignalsIndex,
  mongoOutboxStore,
  type OutboxSignals,
  type OutboxStore,
  outboxEntries,
  outboxFieldsForInsert,
  withOutbox,
} from "@logis/outbox";
import type { KeyedLock } from "@logis/redis";
import type { mongo } from "mongoose";
import type { DemandRepository, DemandSearch } from "../../app/ports.js";
import type { Demand } from "../../domain/demand.js";
import { normalizeName, TRANSLITERATED_LETTERS } from "../../domain/normalize.js";
import { type DemandDoc, exactKeys, fromDoc, insertNew, STATE_FIELDS, stateProjection, toDoc } from "./demand-docs.js";
import { groupInsert } from "./group-insert.js";
import { type BatchHooks, importBatches } from "./import-batches.js";
import { lookupTables } from "./lookup-tables.js";

type Doc = DemandDoc;
type Filter = mongo.Filter<Doc>;

/** What happened to one imported demand: stored now, already there (re-import), or its numéro is another demand's. */
export type ImportOutcome = "created" | "present" | "numero-taken";

const projection = stateProjection;

/**
 * Exact keys (same names and birth date, same NIR) before near-name blocks: a block shared by
 * hundreds of demands must not push the demands that match exactly past the candidates read.
 */
const byPrecision = (keys: string[]) =>
  [...keys].sort((a, b) => Number(!/^(np|nir):/.test(a)) - Number(!/^(np|nir):/.test(b)));

/**
 * Demands in MongoDB: one document per demand, carrying its own outbox (decision 0002). Every
 * update holds the demand's lock (decision 0005), so the version check is reliable on FerretDB as
 * on MongoDB. Writers signal pending events in Redis after writing (no marker documents); bulk
 * imports carry their events in batch documents (decision 0007).
 */
export function mongoDemandRepository(
  db: mongo.Db,
  {
    topicPrefix = "",
    lock,
    signals,
    batchHooks,
    onEvents = () => {},
  }: {
    topicPrefix?: string;
    lock: KeyedLock;
    signals: OutboxSignals;
    /** Test seams of the import batches (crash tests). */
    batchHooks?: BatchHooks;
    /** Called after a write that carried events (main wakes the outbox relay with it). */
    onEvents?: () => void;
  },
): DemandRepository & {
  collection: mongo.Collection<Doc>;
  batches: ReturnType<typeof importBatches>;
  /** What the relay publishes, import batches first: they hold the oldest events of their demands. */
  outboxStores(): OutboxStore[];
  ensureIndexes(): Promise<void>;
  /** Rewrites documents stored before decision 0008 (nested form and history, no `communes`); once. */
  migrateStorage(): Promise<number>;
  /** Adds the near-name keys to demands registered before them; once. */
  migrateKeys(): Promise<number>;
  maxSequence(departement: string): Promise<number>;
  /**
   * Decision 0012's migration: the demand with its data key and the events restating it, which
   * replace the events still waiting in its outbox (those were in clear).
   */
  restate(demand: Demand, expectedVersion: number, events: AnyEnvelope[]): Promise<void>;
  importMany(
    items: { demand: Demand; events: AnyEnvelope[] }[],
    beforeWrite?: (demands: Demand[]) => Promise<void>,
  ): Promise<ImportOutcome[]>;
} {
  const c = db.collection<Doc>("demands");
  const tables = lookupTables(db, lock);
  const inserts = groupInsert(c);
  const batches = importBatches({ db, demands: c, tables, lock, signals, hooks: batchHooks ?? {} });
  const demandTopic = topicName(topics.demand, topicPrefix);
  const entries = (events: AnyEnvelope[]) => outboxEntries(demandTopic, events);

  /**
   * A one-time rewrite, recorded in `schema_migrations`: every demand matching `filter` is read
   * under its lock and passed to `rewrite` (true when it changed it). Returns how many changed.
   */
  async function migrateOnce(id: string, filter: object, rewrite: (doc: Doc) => Promise<boolean>) {
    const migrations = db.collection<{ _id: string; at: Date; rewritten: number }>("schema_migrations");
    if (await migrations.findOne({ _id: id })) return 0;
    let rewritten = 0;
    const cursor = c.find(filter as Filter, { projection: { _id: 1 }, batchSize: 1000 });
    for await (const { _id } of cursor) {
      await lock.run(`${c.collectionName}:${_id}`, async () => {
        const doc = await c.findOne({ _id } as Filter);
        if (doc && (await rewrite(doc))) rewritten++;
      });
    }
    await migrations.insertOne({ _id: id, at: new Date(), rewritten }).catch((error: unknown) => {
      // Another replica finished first: same result.
      if ((error as { code?: number }).code !== 11000) throw error;
    });
    return rewritten;
  }

  return {
    collection: c,
    batches,
    outboxStores: () => [
      batches.store,
      mongoOutboxStore(c, { lock, signals, hold: { field: "outboxAfter", released: batches.released } }),
    ],
    async ensureIndexes() {
      await c.createIndex({ numeroUnique: 1 }, { unique: true });
      await c.createIndex({ departement: 1, status: 1 });
      await c.createIndex({ noms: 1 });
      await c.createIndex({ communes: 1 });
      await c.createIndex({ status: 1, validUntil: 1 });
      await c.createIndex({ status: 1, purgeAfter: 1 });
      await c.createIndex({ status: 1, "procedure.dueAt": 1 });
      await ensureOutboxSignalsIndex(c);
      await c.createIndex({ departement: 1, sequence: -1 });
      // No query reads these any more (duplicate keys live in demand_keys; pending events are
      // signalled): every index costs each insert, so the old ones go.
      for (const name of ["searchKeys_1", "outboxAt_1", "form.souhaits.communes_1"])
        await c.dropIndex(name).catch(() => undefined);
    },
    migrateStorage: () =>
      // Documents without `communes` predate the JSON-text storage.
      migrateOnce("demands-json-text-0008", { communes: { $exists: false } }, async (doc) => {
        if ((doc as { communes?: unknown }).communes !== undefined) return false;
        const { form, history, communes } = toDoc(fromDoc(doc));
        await c.updateOne(
          { _id: doc._id } as Filter,
          { $set: { history, communes, ...(form === undefined ? {} : { form }) } } as mongo.UpdateFilter<Doc>,
        );
        return true;
      }),
    // Demands registered before the near-name blocks (nb:, pb:) get them in the key table, so that a
    // registration finds them. Adding a key twice is harmless (slots are verified on read).
    // Names with a ligature or a letter without a mark (æ, œ, ß, đ, ł, ø…) are compared spelt out
    // since issue 15: those demands get their new keys and searchable names too.
    async migrateKeys() {
      const addMissingKeys = async (doc: Doc) => {
        if (!doc.form) return false;
        const demand = fromDoc(doc);
        const missing = exactKeys(demand).filter((k) => !doc.searchKeys.includes(k));
        const { searchKeys, noms } = toDoc(demand);
        const nomsChanged = JSON.stringify(noms) !== JSON.stringify((doc as { noms?: unknown }).noms);
        if (missing.length === 0 && !nomsChanged) return false;
        if (missing.length > 0)
          await tables.addKeys([{ departement: demand.departement, demandId: demand.id, keys: missing }]);
        await c.updateOne({ _id: doc._id } as Filter, { $set: { searchKeys, noms } } as mongo.UpdateFilter<Doc>);
        return true;
      };
      const nearNames = await migrateOnce("demand-keys-near-names", { status: { $ne: "purged" } }, addMissingKeys);
      const transliterated = await migrateOnce(
        "demand-keys-transliteration",
        { status: { $ne: "purged" }, form: { $regex: TRANSLITERATED_LETTERS } },
        addMissingKeys,
      );
      return nearNames + transliterated;
    },
    async maxSequence(departement) {
      const top = await c
        .find({ departement }, { projection: { sequence: 1 } })
        .sort({ sequence: -1 })
        .limit(1)
        .toArray();
      return top[0]?.sequence ?? 0;
    },
    async get(id) {
      const doc = await c.findOne({ _id: id } as Filter, { projection });
      return doc ? fromDoc(doc) : undefined;
    },
    async importMany(items, beforeWrite) {
      const outcomes: ImportOutcome[] = items.map(() => "created");
      // 1. Numéros: a duplicate is a re-import (same deterministic id) or another demand's number.
      const taken = await insertNew(
        tables.keys,
        items.map(({ demand }) => tables.numeroDoc(demand.numeroUnique, demand.id)),
      );
      for (const i of taken) {
        const item = items[i];
        if (!item) continue;
        const owner = await tables.demandIdOf(item.demand.numeroUnique);
        if (owner !== item.demand.id) outcomes[i] = "numero-taken";
        else if (await c.findOne({ _id: item.demand.id } as Filter, { projection: { _id: 1 } }))
          outcomes[i] = "present";
      }
      const fresh = items.map((item, i) => ({ item, i })).filter(({ i }) => outcomes[i] === "created");
      if (fresh.length > 0) await beforeWrite?.(fresh.map(({ item }) => item.demand));
      // 2. The demands and their events through one batch document (prepared → demands → committed).
      const created = await batches.write(
        fresh.map(({ item }) => ({ doc: toDoc(item.demand), entries: entries(item.events) })),
      );
      for (const { item, i } of fresh) if (!created.has(item.demand.id)) outcomes[i] = "present";
      if (outcomes.includes("created")) onEvents();
      return outcomes;
    },
    async getByNumero(numeroUnique) {
      const id = await tables.demandIdOf(numeroUnique);
      if (!id) return undefined;
      const doc = await c.findOne({ _id: id } as Filter, { projection });
      return doc ? fromDoc(doc) : undefined;
    },
    async reserve(demand) {
      const demandKeys = exactKeys(demand);
      const sharedKeys = await tables
        .reserve(demand.departement, demand.id, demand.numeroUnique, demandKeys)
        .catch((error: unknown) => {
          if ((error as { code?: number }).code !== 11000) throw error;
          throw new AppError("CONFLICT", "Numéro unique déjà attribué", { reason: "NUMERO_TAKEN", cause: error });
        });
      const ids = sharedKeys.length > 0 ? await tables.idsFor(demand.departement, byPrecision(sharedKeys)) : [];
      const docs = await Promise.all(
        ids
          .filter((id) => id !== demand.id)
          .slice(0, 50)
          .map((id) => c.findOne({ _id: id } as Filter, { projection })),
      );
      return {
        holders: docs.filter((d): d is Doc => d !== null && d.status !== "purged").map(fromDoc),
        async complete(final, events) {
          // Everything that can fail goes before the one write that makes the demand exist: keys
          // other demands hold already (this one goes in their next free slot) first, then the
          // demand with its events. A failure before that write leaves no demand and no event
          // (the keys then point to a demand that does not exist, which readers skip); after it,
          // the registration is done.
          if (sharedKeys.length > 0)
            await tables.addKeys([{ departement: final.departement, demandId: final.id, keys: sharedKeys }]);
          // A new document needs no lock (decision 0005); the signal follows the write.
          const [refused] = await inserts.insert([
            { ...toDoc(final), ...outboxFieldsForInsert(entries(events), new Date()) } as Doc,
          ]);
          if (refused) throw refused;
          if (events.length > 0) {
            // A lost signal only delays publication: the relay's scan finds pending documents.
            await signals.add(c.collectionName, [final.id]).catch(() => undefined);
            onEvents();
          }
        },
        /** The demand will not be written (a possible duplicate to examine): its numéro and keys are given back. */
        release: () =>
          tables.release(
            demand.departement,
            demand.id,
            demand.numeroUnique,
            demandKeys.filter((k) => !sharedKeys.includes(k)),
          ),
      };
    },
    async restate(demand, expectedVersion, events) {
      const { _id, ...fields } = toDoc(demand);
      const written = await lock.run(`${c.collectionName}:${_id}`, async () => {
        const current = await c.findOne({ _id } as Filter, { projection: { version: 1 } });
        if (!current || current.version !== expectedVersion) return false;
        const pending = outboxFieldsForInsert(entries(events), new Date());
        await c.updateOne({ _id } as Filter, { $set: { ...fields, ...pending } } as mongo.UpdateFilter<Doc>);
        await signals.add(c.collectionName, [_id]).catch(() => undefined);
        return true;
      });
      if (!written)
        throw new AppError("CONFLICT", "La demande a été modifiée entre-temps ; rechargez-la", {
          reason: "STALE_VERSION",
          context: { expectedVersion },
        });
      onEvents();
    },
    async save(demand, expectedVersion, events) {
      const doc = toDoc(demand);
      const { _id, ...fields } = doc;
      const unset = Object.fromEntries(STATE_FIELDS.filter((k) => demand[k] === undefined).map((k) => [k, ""]));
      const update = withOutbox(
        { $set: fields, ...(Object.keys(unset).length ? { $unset: unset } : {}) },
        entries(events),
        new Date(),
      );
      // Under the demand's lock: check the version by reading by _id, then write by _id (a filter on
      // _id and version would make FerretDB scan the collection; the lock makes the check reliable).
      // What can fail goes before the write: keys the new form adds first (a key pointing to a
      // demand that does not have it is skipped by readers), so that a failure leaves the demand
      // and its events as they were. After the write the change is done: a lost signal is found by
      // the relay's scan, a key left behind by a failed removal only costs a lookup.
      const newKeys = exactKeys(demand);
      const before = await lock.run(`${c.collectionName}:${_id}`, async () => {
        const current = await c.findOne({ _id } as Filter, { projection: { version: 1, searchKeys: 1 } });
        if (!current || current.version !== expectedVersion) return undefined;
        const oldKeys = (current.searchKeys ?? []).filter((k) => !k.startsWith("dn:"));
        const added = newKeys.filter((k) => !oldKeys.includes(k));
        await tables.addKeys([{ departement: demand.departement, demandId: demand.id, keys: added }]);
        await c.updateOne({ _id } as Filter, update as mongo.UpdateFilter<Doc>);
        if (events.length > 0) await signals.add(c.collectionName, [_id]).catch(() => undefined);
        return { oldKeys };
      });
      if (!before) {
        throw new AppError("CONFLICT", "La demande a été modifiée entre-temps ; rechargez-la", {
          reason: "STALE_VERSION",
          context: { expectedVersion },
        });
      }
      await tables
        .removeKeys(
          demand.departement,
          demand.id,
          before.oldKeys.filter((k) => !newKeys.includes(k)),
        )
        .catch(() => undefined);
      if (events.length > 0) onEvents();
    },
    async findByKeys(departement, keys) {
      const ids = await tables.idsFor(departement, byPrecision(keys.filter((k) => !k.startsWith("dn:"))));
      const docs = await Promise.all(ids.slice(0, 50).map((id) => c.findOne({ _id: id } as Filter, { projection })));
      return docs.filter((d): d is NonNullable<typeof d> => d !== null && d.status !== "purged").map(fromDoc);
    },
    async search(q: DemandSearch) {
      const filter: Record<string, unknown> = { departement: { $in: q.departements } };
      if (q.numeroUnique) filter.numeroUnique = q.numeroUnique;
      if (q.nom) {
        const prefix = normalizeName(q.nom);
        if (prefix) filter.noms = { $regex: `^${prefix}` };
      }
      if (q.commune) filter.communes = q.commune;
      if (q.statut) filter.status = q.statut;
      const [items, total] = await Promise.all([
        c
          .find(filter as Filter, { projection })
          .sort({ _id: 1 })
          .skip((q.page - 1) * q.pageSize)
          .limit(q.pageSize)
          .toArray(),
        c.countDocuments(filter as Filter),
      ]);
      return { items: items.map(fromDoc), total };
    },
    async activeExpiringBefore(before, limit, afterId) {
      const filter: Record<string, unknown> = { status: "active", validUntil: { $lte: before.toISOString() } };
      if (afterId) filter._id = { $gt: afterId };
      const docs = await c
        .find(filter as Filter, { projection })
        .sort({ _id: 1 })
        .limit(limit)
        .toArray();
      return docs.map(fromDoc);
    },
    async procedureDueBefore(before, limit) {
      const docs = await c
        .find({ status: "active", "procedure.dueAt": { $lte: before.toISOString() } } as Filter, { projection })
        .limit(limit)
        .toArray();
      return docs.map(fromDoc);
    },
    async purgedWithKeyLeft(limit) {
      const docs = await c
        .find({ status: "purged", keyDestroyedAt: { $exists: false } } as Filter, { projection })
        .limit(limit)
        .toArray();
      return docs.map(fromDoc);
    },
    async withoutDataKey(limit) {
      const docs = await c
        .find({ status: { $ne: "purged" }, dataKey: { $exists: false } } as Filter, { projection })
        .limit(limit)
        .toArray();
      return docs.map(fromDoc);
    },
    async purgeableBefore(before, limit) {
      const docs = await c
        .find({ status: { $in: ["cancelled", "radiated"] }, purgeAfter: { $lte: before.toISOString() } } as Filter, {
          projection,
        })
        .limit(limit)
        .toArray();
      return docs.map(fromDoc);
    },
  };
}

import type { AnyEnvelope } from "@logis/contracts";
import { topicName, topics } from "@logis/contracts";
import { AppError, type KeyedLock } from "@logis/domain";
import { markersOf, markPending, outboxEntries, outboxFieldsForInsert, withOutbox } from "@logis/outbox";
import type { mongo } from "mongoose";
import type { DemandRepository, DemandSearch } from "../../app/ports.js";
import type { Demand } from "../../domain/demand.js";
import { searchKeys } from "../../domain/duplicates.js";
import { normalizeName } from "../../domain/normalize.js";
import { isValidNumeroUnique } from "../../domain/numero-unique.js";
import { lookupTables } from "./lookup-tables.js";

type Doc = Omit<Demand, "id"> & {
  _id: string;
  /** The numéro's sequence, to seed the allocator (see number-allocator.ts). */
  sequence: number;
  searchKeys: string[];
  noms: string[];
  outbox?: unknown[];
  outboxAt?: Date;
};
type Filter = mongo.Filter<Doc>;

/** What happened to one imported demand: stored now, already there (re-import), or its numéro is another demand's. */
export type ImportOutcome = "created" | "present" | "numero-taken";

/** insertMany that tolerates documents already present; returns the indexes refused as duplicates. */
async function insertNew<T extends mongo.BSON.Document>(c: mongo.Collection<T>, docs: T[]): Promise<Set<number>> {
  const duplicates = new Set<number>();
  if (docs.length === 0) return duplicates;
  try {
    await c.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
  } catch (error) {
    const writeErrors = (error as { writeErrors?: { index: number; code: number }[] }).writeErrors;
    // Only duplicate-key refusals are expected; anything else (a lost connection has none) fails the batch.
    if (!writeErrors?.length || writeErrors.some((e) => e.code !== 11000)) throw error;
    for (const e of writeErrors) duplicates.add(e.index);
  }
  return duplicates;
}

const STATE_FIELDS = [
  "numeroUnique",
  "departement",
  "status",
  "version",
  "eventSeq",
  "dateDepot",
  "dateDernierRenouvellement",
  "validUntil",
  "guichet",
  "form",
  "radiation",
  "reactivableUntil",
  "purgeAfter",
  "purgedAt",
  "notices",
  "distinctFrom",
  "history",
] as const;

const derived = (d: Demand) => ({
  // Numbers imported from the SNE or another system have their own structure: no Logis sequence.
  sequence: isValidNumeroUnique(d.numeroUnique) ? Number(d.numeroUnique.slice(7, 16)) : 0,
  searchKeys: d.form ? searchKeys(d.form) : [],
  noms: d.form
    ? [d.form.demandeur.nom, d.form.demandeur.nomNaissance, d.form.cotitulaire?.nom, d.form.cotitulaire?.nomNaissance]
        .filter((n): n is string => Boolean(n))
        .map(normalizeName)
    : [],
});

function toDoc(d: Demand): Doc {
  const { id, ...rest } = d;
  const doc: Record<string, unknown> = { _id: id, ...derived(d) };
  for (const [k, v] of Object.entries(rest)) if (v !== undefined) doc[k] = v;
  return doc as Doc;
}

function fromDoc(doc: Doc): Demand {
  const d: Record<string, unknown> = { id: doc._id };
  for (const k of STATE_FIELDS) if (doc[k] !== undefined) d[k] = doc[k];
  return d as unknown as Demand;
}

const projection = { outbox: 0, outboxAt: 0, searchKeys: 0, noms: 0, sequence: 0 } as const;

/**
 * Demands in MongoDB: one document per demand, carrying its own outbox (decision 0002). Every
 * update holds the demand's lock (decision 0005), so the version check in the filter is reliable
 * on FerretDB as on MongoDB.
 */
export function mongoDemandRepository(
  db: mongo.Db,
  {
    topicPrefix = "",
    lock,
    onEvents = () => {},
  }: {
    topicPrefix?: string;
    lock: KeyedLock;
    /** Called after a write that carried events (main wakes the outbox relay with it). */
    onEvents?: () => void;
  },
): DemandRepository & {
  collection: mongo.Collection<Doc>;
  ensureIndexes(): Promise<void>;
  maxSequence(departement: string): Promise<number>;
  importMany(items: { demand: Demand; events: AnyEnvelope[] }[]): Promise<ImportOutcome[]>;
} {
  const c = db.collection<Doc>("demands");
  const tables = lookupTables(db, lock);
  const exactKeys = (d: Demand) => (d.form ? searchKeys(d.form).filter((k) => !k.startsWith("dn:")) : []);
  const demandTopic = topicName(topics.demand, topicPrefix);
  const entries = (events: AnyEnvelope[]) => outboxEntries(demandTopic, events);

  return {
    collection: c,
    async ensureIndexes() {
      await c.createIndex({ numeroUnique: 1 }, { unique: true });
      await c.createIndex({ departement: 1, status: 1 });
      await c.createIndex({ searchKeys: 1 });
      await c.createIndex({ noms: 1 });
      await c.createIndex({ "form.souhaits.communes": 1 });
      await c.createIndex({ status: 1, validUntil: 1 });
      await c.createIndex({ status: 1, purgeAfter: 1 });
      await c.createIndex({ outboxAt: 1 });
      await c.createIndex({ departement: 1, sequence: -1 });
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
    async importMany(items) {
      const now = new Date();
      const outcomes: ImportOutcome[] = items.map(() => "created");
      // 1. Numéros: a duplicate is a re-import (same deterministic id) or another demand's number.
      const taken = await insertNew(
        tables.numeros,
        items.map(({ demand }) => ({ _id: demand.numeroUnique, demandId: demand.id })),
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
      // 2. Markers first, then the demands with their events (one document write each).
      await insertNew(
        markersOf(c),
        fresh.filter(({ item }) => item.events.length > 0).map(({ item }) => ({ _id: item.demand.id, at: now })),
      );
      const present = await insertNew(
        c,
        fresh.map(
          ({ item }) => ({ ...toDoc(item.demand), ...outboxFieldsForInsert(entries(item.events), now) }) as Doc,
        ),
      );
      for (const j of present) {
        const f = fresh[j];
        if (f) outcomes[f.i] = "present";
      }
      // 3. Duplicate keys: new key documents in one insertMany, existing ones extended under their lock.
      const byKey = new Map<string, { departement: string; key: string; ids: string[] }>();
      for (const { item, i } of fresh) {
        if (outcomes[i] !== "created") continue;
        for (const key of exactKeys(item.demand)) {
          const id = `${item.demand.departement}|${key}`;
          const entry = byKey.get(id) ?? { departement: item.demand.departement, key, ids: [] };
          entry.ids.push(item.demand.id);
          byKey.set(id, entry);
        }
      }
      const keyDocs = [...byKey.entries()].map(([id, e]) => ({ _id: id, ids: e.ids }));
      const existingKeys = await insertNew(tables.keys, keyDocs);
      await Promise.all(
        [...existingKeys].map((k) => {
          const doc = keyDocs[k];
          return doc
            ? lock.run(`demand_keys:${doc._id}`, () =>
                tables.keys.updateOne({ _id: doc._id }, { $addToSet: { ids: { $each: doc.ids } } }),
              )
            : undefined;
        }),
      );
      if (outcomes.includes("created")) onEvents();
      return outcomes;
    },
    async getByNumero(numeroUnique) {
      const id = await tables.demandIdOf(numeroUnique);
      if (!id) return undefined;
      const doc = await c.findOne({ _id: id } as Filter, { projection });
      return doc ? fromDoc(doc) : undefined;
    },
    async insert(demand, events) {
      const now = new Date();
      try {
        // The numéro is reserved first: its table's _id makes it unique on any engine.
        await tables.reserveNumero(demand.numeroUnique, demand.id);
      } catch (error) {
        if ((error as { code?: number }).code === 11000) {
          throw new AppError("CONFLICT", "Numéro unique déjà attribué", { reason: "NUMERO_TAKEN", cause: error });
        }
        throw error;
      }
      await lock.run(`${c.collectionName}:${demand.id}`, async () => {
        if (events.length > 0) await markPending(c, demand.id, now);
        await c.insertOne({ ...toDoc(demand), ...outboxFieldsForInsert(entries(events), now) } as Doc);
      });
      await tables.indexKeys(demand.departement, demand.id, exactKeys(demand), []);
      if (events.length > 0) onEvents();
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
      const before = await lock.run(`${c.collectionName}:${_id}`, async () => {
        const current = await c.findOne({ _id } as Filter, { projection: { version: 1, searchKeys: 1 } });
        if (!current || current.version !== expectedVersion) return undefined;
        if (events.length > 0) await markPending(c, _id);
        await c.updateOne({ _id } as Filter, update as mongo.UpdateFilter<Doc>);
        return current;
      });
      if (!before) {
        throw new AppError("CONFLICT", "La demande a été modifiée entre-temps ; rechargez-la", {
          reason: "STALE_VERSION",
          context: { expectedVersion },
        });
      }
      const oldKeys = (before?.searchKeys ?? []).filter((k) => !k.startsWith("dn:"));
      const newKeys = exactKeys(demand);
      await tables.indexKeys(
        demand.departement,
        demand.id,
        newKeys.filter((k) => !oldKeys.includes(k)),
        oldKeys.filter((k) => !newKeys.includes(k)),
      );
      if (events.length > 0) onEvents();
    },
    async findByKeys(departement, keys) {
      const ids = await tables.idsFor(
        departement,
        keys.filter((k) => !k.startsWith("dn:")),
      );
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
      if (q.commune) filter["form.souhaits.communes"] = q.commune;
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

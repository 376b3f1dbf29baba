import type { KeyedLock } from "@logis/redis";
import type { mongo } from "mongoose";
import { groupInsert, type InsertRefused } from "./group-insert.js";

/** Most slots read at once while walking a chain (a key may be shared by any number of demands). */
const WINDOW = 16;

/**
 * Key → ids tables read by `_id` only: the one lookup FerretDB v1 pushes down to its storage (any
 * other filter decodes the whole collection), and MongoDB's primary index. They are derived from the
 * demands and verified on read (a stale id only costs a lookup); the stock scan rebuilds them.
 *
 * A duplicate key is a chain of slot documents `<dép>|<key>`, `<dép>|<key>#1`, `#2`, … each holding
 * ids. Adding an id inserts a document (the first free slot): inserts need no lock and cost the
 * same whatever the size of the table, where FerretDB v1 makes every update, upsert included, read
 * the whole collection. Only removals (a changed name) update a slot, under its lock. A chain has no
 * length limit: a common key (three letters of a name and 1 January) may be shared by thousands
 * of demands; its slots are read a window at a time.
 */
export function lookupTables(db: mongo.Db, lock: KeyedLock) {
  /** Numéros reserved before numéros moved into `demand_keys`: read only. */
  const legacyNumeros = db.collection<{ _id: string; demandId: string }>("demand_numeros");
  const keys = db.collection<{ _id: string; ids: string[] }>("demand_keys");
  const slotId = (base: string, n: number) => (n === 0 ? base : `${base}#${n}`);
  const keyId = (departement: string, key: string) => `${departement}|${key}`;
  /** A numéro's document: its `_id` makes the numéro unique on any engine. */
  const numeroId = (numero: string) => `numero|${numero}`;
  const grouped = groupInsert(keys);

  /**
   * The slots of one key, in order, up to the first missing one. Most keys have no slot or one: the
   * first is read alone, then windows of 4, then of `WINDOW`, each window's slots at once.
   */
  async function slotsOf(base: string, from = 0) {
    const found: { _id: string; ids: string[] }[] = [];
    let n = from;
    let size = 1;
    for (;;) {
      const window = await Promise.all(
        Array.from({ length: size }, (_, i) => keys.findOne({ _id: slotId(base, n + i) })),
      );
      const missing = window.indexOf(null);
      found.push(...(window.slice(0, missing === -1 ? size : missing) as { _id: string; ids: string[] }[]));
      if (missing !== -1) return found;
      n += size;
      size = Math.min(size * 4, WINDOW);
    }
  }

  /** Adds ids to a key whose first slot exists: the first free slot gets the ids no slot holds yet. */
  async function place(base: string, ids: string[]) {
    let missing = ids;
    let from = 0;
    for (;;) {
      const slots = await slotsOf(base, from);
      missing = missing.filter((id) => !slots.some((slot) => slot.ids.includes(id)));
      if (missing.length === 0) return;
      const free = from + slots.length;
      try {
        await keys.insertOne({ _id: slotId(base, free), ids: missing });
        return;
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        from = free; // taken meanwhile: read it, then go on
      }
    }
  }

  return {
    keys,
    numeroDoc: (numero: string, demandId: string) => ({ _id: numeroId(numero), ids: [demandId] }),
    /**
     * Reserves a new demand's numéro and adds it to the first slot of each of its keys, in ONE
     * insert; the keys whose first slot was already there (other demands hold them) are returned:
     * the insert is also the duplicate probe, no read when nothing matches. Throws E11000 (code
     * 11000) when the numéro is taken; what was inserted then only points to a demand that will
     * never exist, which readers skip.
     */
    async reserve(departement: string, demandId: string, numero: string, demandKeys: string[]): Promise<string[]> {
      const docs = [
        { _id: numeroId(numero), ids: [demandId] },
        ...demandKeys.map((k) => ({ _id: keyId(departement, k), ids: [demandId] })),
      ];
      const [numeroRefused, ...keysRefused] = await grouped.insert(docs);
      const failure = [numeroRefused, ...keysRefused].find((e) => e && (e as InsertRefused).code !== 11000);
      if (failure) throw failure;
      if (numeroRefused) throw numeroRefused;
      return demandKeys.filter((_, i) => keysRefused[i] !== undefined);
    },
    /**
     * Gives back what `reserve` took for a demand that will not be written (a possible duplicate
     * shown to the desk): the numéro's document, and the demand's id in the first slots it created.
     * Those slots stay, empty: another demand may already have chained a slot after them.
     */
    async release(departement: string, demandId: string, numero: string, createdKeys: string[]) {
      await keys.deleteOne({ _id: numeroId(numero) });
      for (const k of createdKeys) {
        const _id = keyId(departement, k);
        await lock.run(`demand_keys:${_id}`, () => keys.updateOne({ _id }, { $pull: { ids: demandId } }));
      }
    },
    async demandIdOf(numero: string) {
      const doc = await keys.findOne({ _id: numeroId(numero) });
      return doc ? doc.ids[0] : (await legacyNumeros.findOne({ _id: numero }))?.demandId;
    },
    /**
     * Adds demands to keys: one insertMany of first slots, then, for keys that already exist, the
     * next free slot. Idempotent (an id already in a slot of its key is not added again).
     */
    async addKeys(entries: { departement: string; demandId: string; keys: string[] }[]) {
      const byKey = new Map<string, string[]>();
      for (const e of entries) {
        for (const k of e.keys) {
          const base = keyId(e.departement, k);
          byKey.set(base, [...(byKey.get(base) ?? []), e.demandId]);
        }
      }
      const docs = [...byKey].map(([_id, ids]) => ({ _id, ids }));
      if (docs.length === 0) return;
      let taken: number[] = [];
      try {
        await keys.insertMany(docs, { ordered: false });
      } catch (error) {
        const writeErrors = (error as { writeErrors?: { index: number; code: number }[] }).writeErrors;
        if (!writeErrors?.length || writeErrors.some((e) => e.code !== 11000)) throw error;
        taken = writeErrors.map((e) => e.index);
      }
      await Promise.all(taken.map((i) => (docs[i] ? place(docs[i]._id, docs[i].ids) : undefined)));
    },
    /** Removes a demand from keys it no longer has; each slot holding it is updated under its lock. */
    async removeKeys(departement: string, demandId: string, removed: string[]) {
      for (const k of removed) {
        for (const slot of await slotsOf(keyId(departement, k))) {
          if (!slot.ids.includes(demandId)) continue;
          await lock.run(`demand_keys:${slot._id}`, () =>
            keys.updateOne({ _id: slot._id }, { $pull: { ids: demandId } }),
          );
        }
      }
    },
    async idsFor(departement: string, searchKeys: string[]): Promise<string[]> {
      const slots = await Promise.all(searchKeys.map((k) => slotsOf(keyId(departement, k))));
      return [...new Set(slots.flat().flatMap((d) => d.ids))];
    },
  };
}
export type LookupTables = ReturnType<typeof lookupTables>;

import type { KeyedLock } from "@logis/domain";
import type { mongo } from "mongoose";

/**
 * Key → ids tables read by `_id` only: the one lookup FerretDB v1 pushes down to its storage (any
 * other filter decodes the whole collection), and MongoDB's primary index. They are derived from the
 * demands and verified on read (a stale id only costs a lookup); the stock scan rebuilds them.
 */
export function lookupTables(db: mongo.Db, lock: KeyedLock) {
  const numeros = db.collection<{ _id: string; demandId: string }>("demand_numeros");
  const keys = db.collection<{ _id: string; ids: string[] }>("demand_keys");
  const keyId = (departement: string, key: string) => `${departement}|${key}`;

  return {
    numeros,
    keys,
    /** Reserves a numéro for a demand; E11000 (code 11000) when the numéro is taken. */
    reserveNumero: (numero: string, demandId: string) => numeros.insertOne({ _id: numero, demandId }),
    async demandIdOf(numero: string) {
      return (await numeros.findOne({ _id: numero }))?.demandId;
    },
    /** Adds and removes a demand's keys; each key document is written under its lock (decision 0005). */
    async indexKeys(departement: string, demandId: string, added: string[], removed: string[]) {
      await Promise.all([
        ...added.map((k) =>
          lock.run(`demand_keys:${keyId(departement, k)}`, () =>
            keys.updateOne({ _id: keyId(departement, k) }, { $addToSet: { ids: demandId } }, { upsert: true }),
          ),
        ),
        ...removed.map((k) =>
          lock.run(`demand_keys:${keyId(departement, k)}`, () =>
            keys.updateOne({ _id: keyId(departement, k) }, { $pull: { ids: demandId } }),
          ),
        ),
      ]);
    },
    async idsFor(departement: string, searchKeys: string[]): Promise<string[]> {
      const docs = await Promise.all(searchKeys.map((k) => keys.findOne({ _id: keyId(departement, k) })));
      return [...new Set(docs.flatMap((d) => d?.ids ?? []))];
    },
  };
}
export type LookupTables = ReturnType<typeof lookupTables>;

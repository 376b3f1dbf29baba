import { applyIfNewer } from "@logis/outbox";
import type { mongo } from "mongoose";
import type { DemandRows } from "../../app/ports.js";
import type { DemandRow } from "../../domain/demand-row.js";
import { readModelCatalog } from "./catalog.js";

// The demands read model in MongoDB: one document per demand, `_id` = the demand's aggregate id,
// `_v` = the last aggregate version folded in (applyIfNewer's high-water mark), the row's fields
// beside it. Movements are kept as an array of small objects; nothing personal is stored.

type Doc = Omit<DemandRow, "id" | "version"> & { _id: string; _v: number };

const toRow = ({ _id, _v, ...rest }: Doc): DemandRow => ({ id: _id, version: _v, ...rest });

export function mongoDemandRows(
  db: mongo.Db,
  collection = "demand_rows",
): DemandRows & {
  ensureIndexes(): Promise<void>;
  drop(): Promise<void>;
} {
  // The collection that holds the read model now (the catalog's: another one once a rebuild is swapped in).
  const coll = () => db.collection<Doc>(readModelCatalog(db).physical(collection));
  return {
    async ensureIndexes() {
      await coll().createIndex({ departement: 1 });
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
    async getMany(ids) {
      // By `_id`, a few dozen at a time: FerretDB v1 answers `_id: {$in}` with a scan.
      const out: DemandRow[] = [];
      for (let i = 0; i < ids.length; i += 32) {
        const docs = await Promise.all(ids.slice(i, i + 32).map((id) => coll().findOne({ _id: id })));
        for (const d of docs) if (d) out.push(toRow(d));
      }
      return out;
    },
    async put(row) {
      const { id, version, ...fields } = row;
      const $set: Record<string, unknown> = { ...fields };
      const $unset: Record<string, ""> = {};
      for (const optional of [
        "commune",
        "typologie",
        "attribution",
        "dalo",
        "naissance",
        "ressourcesMensuelles",
        "uc",
      ] as const)
        if (fields[optional] === undefined) {
          delete $set[optional];
          $unset[optional] = "";
        }
      return applyIfNewer(
        coll() as unknown as Parameters<typeof applyIfNewer>[0],
        id,
        version,
        Object.keys($unset).length ? { $set, $unset } : { $set },
      );
    },
    async list(filter) {
      const query = filter.departements ? { departement: { $in: [...filter.departements] } } : {};
      return (await coll().find(query).toArray()).map(toRow);
    },
  };
}

import { applyIfNewer } from "@logis/outbox";
import type { mongo } from "mongoose";
import type { ScoreRows } from "../../app/ports.js";
import type { ScoreRow } from "../../domain/score-row.js";
import { readModelCatalog } from "./catalog.js";

// Each demand's last cotation per EPCI in MongoDB: `_id` = `<demandId>@<epci>` (the event's aggregate
// id), `_v` = the last aggregate version applied (applyIfNewer), the row's fields beside it.

type Doc = Omit<ScoreRow, "id" | "version"> & { _id: string; _v: number };

const toRow = ({ _id, _v, ...rest }: Doc): ScoreRow => ({ id: _id, version: _v, ...rest });

export function mongoScoreRows(
  db: mongo.Db,
  collection = "score_rows",
): ScoreRows & { ensureIndexes(): Promise<void> } {
  // The collection that holds the read model now (the catalog's: another one once a rebuild is swapped in).
  const coll = () => db.collection<Doc>(readModelCatalog(db).physical(collection));
  return {
    async ensureIndexes() {
      await coll().createIndex({ epci: 1 });
    },
    async get(id) {
      const doc = await coll().findOne({ _id: id });
      return doc ? toRow(doc) : undefined;
    },
    async put(row) {
      const { id, version, ...fields } = row;
      return applyIfNewer(coll() as unknown as Parameters<typeof applyIfNewer>[0], id, version, {
        $set: { ...fields },
      });
    },
    async list(epcis) {
      return (
        await coll()
          .find(epcis ? { epci: { $in: [...epcis] } } : {})
          .toArray()
      ).map(toRow);
    },
  };
}

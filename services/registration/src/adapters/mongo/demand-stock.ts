import type { DemandForm, DemandStatus } from "@logis/contracts";
import type { mongo } from "mongoose";
import type { Demand } from "../../domain/demand.js";
import { type DemandDoc, formOf, fromDoc, stateProjection } from "./demand-docs.js";

/** A demand as the stock scans read it: its form and the demands a desk declared distinct. */
export interface StockEntry {
  id: string;
  numeroUnique: string;
  form: DemandForm;
  distinctFrom: string[];
}

/**
 * Read-only walks over a département's demands (duplicate scans, exports), in `_id` order, in
 * batches. Every cursor is read to its end or closed: an abandoned walk (a client that hung up)
 * closes its cursor when the generator returns.
 */
export function mongoDemandStock(db: mongo.Db) {
  const c = db.collection<DemandDoc>("demands");
  const filterOf = (departement: string, statuses: readonly DemandStatus[]) =>
    ({ departement, status: { $in: [...statuses] } }) as mongo.Filter<DemandDoc>;
  return {
    count: (departement: string, statuses: readonly DemandStatus[]) =>
      c.countDocuments(filterOf(departement, statuses)),

    async *entries(departement: string, statuses: readonly DemandStatus[]): AsyncGenerator<StockEntry> {
      const cursor = c.find(filterOf(departement, statuses), {
        projection: { numeroUnique: 1, form: 1, distinctFrom: 1 },
        batchSize: 1000,
      });
      try {
        for await (const d of cursor) {
          const form = formOf(d as { form?: unknown });
          if (!form) continue;
          yield { id: String(d._id), numeroUnique: d.numeroUnique, form, distinctFrom: d.distinctFrom ?? [] };
        }
      } finally {
        await cursor.close();
      }
    },

    async *demands(departement: string, statuses: readonly DemandStatus[]): AsyncGenerator<Demand> {
      const cursor = c.find(filterOf(departement, statuses), { projection: stateProjection, batchSize: 500 }).sort({
        _id: 1,
      });
      try {
        for await (const doc of cursor) yield fromDoc(doc as unknown as DemandDoc);
      } finally {
        await cursor.close();
      }
    },
  };
}
export type DemandStock = ReturnType<typeof mongoDemandStock>;

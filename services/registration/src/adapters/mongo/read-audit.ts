import type { mongo } from "mongoose";
import type { ReadAudit, ReadAuditEntry } from "../../app/ports.js";

/** Every read of a whole file, kept apart from the demand (it survives the purge: no personal data). */
export function mongoReadAudit(db: mongo.Db): ReadAudit & { ensureIndexes(): Promise<void> } {
  const c = db.collection<ReadAuditEntry>("read_audit");
  return {
    async ensureIndexes() {
      await c.createIndex({ demandId: 1, at: -1 });
    },
    async record(entry) {
      await c.insertOne({ ...entry });
    },
    async recordMany(entries) {
      if (entries.length > 0) await c.insertMany(entries.map((e) => ({ ...e })));
    },
    async list(demandId) {
      return (await c
        .find({ demandId }, { projection: { _id: 0 } })
        .sort({ at: -1 })
        .limit(500)
        .toArray()) as ReadAuditEntry[];
    },
  };
}

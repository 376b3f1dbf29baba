import type { mongo } from "mongoose";
import type { ExportFiles } from "../../app/ports.js";

interface PartDoc {
  _id: string;
  job: string;
  run: number;
  n: number;
  /** The part's text (500 demands of CSV or XML): a string, which FerretDB v1 stores cheaply (decision 0008). */
  text: string;
}

/** `<job>:<run>:000042`: a part is read, replaced and removed by `_id` alone (other filters scan on FerretDB v1). */
const partId = (job: string, run: number, n: number) => `${job}:${run}:${String(n).padStart(6, "0")}`;

/**
 * Export files in the service's own database, GridFS-like: one document per part of about 500
 * demands (well under the 16 MB document limit), numbered within a run of its job, written and read
 * by `_id` only. Each run writes its own parts, so no lock is needed.
 */
export function mongoExportFiles(db: mongo.Db): ExportFiles {
  const c = db.collection<PartDoc>("export_files");
  return {
    async write(job, run, n, text) {
      const _id = partId(job, run, n);
      // A run writes each of its parts once: an insert (cheaper than an upsert on FerretDB v1); a
      // part left by a failed write of the same run is replaced.
      try {
        await c.insertOne({ _id, job, run, n, text });
      } catch (error) {
        if ((error as { code?: number }).code !== 11000) throw error;
        await c.replaceOne({ _id }, { job, run, n, text });
      }
    },
    async *read(job, run, count) {
      for (let n = 0; n < count; n++) {
        const part = await c.findOne({ _id: partId(job, run, n) });
        // A finished file lost a part (removed by hand): refuse rather than serve it short.
        if (!part) throw new Error(`export ${job}: part ${n} of ${count} missing`);
        yield part.text;
      }
    },
    async remove(job, run, from, to) {
      if (to <= from) return;
      const ids = Array.from({ length: to - from }, (_, i) => partId(job, run, from + i));
      await c.deleteMany({ _id: { $in: ids } });
    },
  };
}

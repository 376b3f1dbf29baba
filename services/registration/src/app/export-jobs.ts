import { assertCan, assertInDepartement } from "@logis/auth";
import { AppError, JOB_SILENCE_MS, newId } from "@logis/domain";
import { avancementOf } from "@logis/http";
import type { Logger } from "@logis/observability";
import type { Aggregates } from "@logis/outbox";
import type { Caller, Deps } from "./context.js";
import { type DemandWalk, EXPORTED_STATUSES, exportParts, type Reader, readerOf } from "./export-demands.js";
import type { ImportFormat } from "./import-demands.js";
import type { JobBase } from "./jobs.js";
import type { ExportFiles } from "./ports.js";

/** The finished file: what the download serves. */
export interface ExportFile {
  nom: string;
  type: string;
  octets: number;
  morceaux: number;
}

/**
 * How long a finished file is kept: it holds names and birth dates, which must not outlive the
 * demands' own erasure, nor pile up; a desk downloads it the same day (decision 0036).
 */
export const EXPORT_KEPT_MS = 24 * 3_600_000;

export interface ExportDoc extends JobBase {
  format: ImportFormat;
  reader: Reader;
  /** Demands to write (counted when the run starts) and written so far. */
  total?: number;
  done: number;
  /** Parts of the file stored so far (`export_files`), and their bytes. */
  chunks: number;
  bytes: number;
  /** Runs of the job: a run a restart cut short is run again from the start, under a new number. */
  attempt: number;
  fichier?: ExportFile;
  /** When the file was removed, its time kept over (the job stays, as a record of the export). */
  expiredAt?: Date;
}

const mediaTypes: Record<ImportFormat, string> = {
  csv: "text/csv; charset=utf-8",
  "sne-xml": "application/xml; charset=utf-8",
};

const notFound = (id: string) => new AppError("NOT_FOUND", `Export ${id} introuvable`, { reason: "EXPORT_NOT_FOUND" });

/** A run that another run replaced (the job was taken for dead and run again): it stops writing. */
class Superseded extends Error {}

/**
 * Exports as jobs (issue 15): the file is written in the background into the service's own store,
 * a part of 500 demands at a time, with its progress; the desk downloads it once done. A job whose
 * run stopped with its process (no news for two minutes) is run again from the start by
 * `resumeStale`; parts are stored by number, so a second run replaces the first one's, and only a
 * finished file is ever served.
 */
export function exportJobs(
  deps: Deps & {
    stock: DemandWalk & { count(departement: string, statuses: typeof EXPORTED_STATUSES): Promise<number> };
  },
  jobs: Aggregates<ExportDoc>,
  files: ExportFiles,
  logger: Logger,
) {
  /** Sets fields of the job, if `attempt` is still its run. */
  const record = async (id: string, attempt: number, fields: Partial<ExportDoc>) => {
    const { result } = await jobs.update(id, (current) =>
      current?.attempt === attempt ? { state: { ...current, ...fields }, result: true } : undefined,
    );
    if (!result) throw new Superseded();
  };

  async function run(job: ExportDoc) {
    const { _id: id, attempt, departement, format } = job;
    let chunks = 0;
    try {
      const total = await deps.stock.count(departement, EXPORTED_STATUSES);
      await record(id, attempt, { total, done: 0, chunks: 0, bytes: 0, heartbeatAt: deps.clock.now() });
      let done = 0;
      let bytes = 0;
      for await (const part of exportParts(deps, job.reader, format, departement)) {
        // Counted before the write: a part that may exist is removed with the others.
        const n = chunks++;
        await files.write(id, attempt, n, part.text);
        done += part.demands;
        bytes += Buffer.byteLength(part.text, "utf8");
        await record(id, attempt, { done, chunks, bytes, heartbeatAt: deps.clock.now() });
      }
      const fichier: ExportFile = {
        nom: `demandes-${departement}.${format === "csv" ? "csv" : "xml"}`,
        type: mediaTypes[format],
        octets: bytes,
        morceaux: chunks,
      };
      await record(id, attempt, { status: "done", finishedAt: deps.clock.now(), total: done, fichier });
      logger.info({ export: id, demandes: done, octets: bytes, attempt }, "export done");
    } catch (error) {
      // A run replaced by another, or failed: its parts are of no file.
      await files.remove(id, attempt, 0, chunks).catch(() => undefined);
      throw error;
    } finally {
      // The run cut short before this one: its parts recorded, and the one it may have been writing.
      if (attempt > 1) await files.remove(id, attempt - 1, 0, job.chunks + 1).catch(() => undefined);
    }
  }

  /** Runs the job in the background; a failure fails the job (its text stays in the log). */
  const launch = (job: ExportDoc) =>
    run(job).catch(async (error: unknown) => {
      if (error instanceof Superseded) return;
      const e = error instanceof Error ? error : new Error(String(error));
      logger.warn(
        { export: job._id, failure: { type: e.name, stack: e.stack?.split("\n").slice(1).join("\n") } },
        "export failed",
      );
      await record(job._id, job.attempt, {
        status: "failed",
        finishedAt: deps.clock.now(),
        error: "Erreur interne pendant l'export : relancez-le",
      }).catch(() => undefined);
    });

  async function visible(caller: Caller, id: string) {
    assertCan(caller.principal, "demand.export");
    const job = await jobs.get(id);
    // Another département's export answers as an unknown one.
    if (!job || !caller.principal.territories.departements.includes(job.departement)) throw notFound(id);
    return job;
  }

  return {
    /** Creates the job and starts it; resolves with its id at once (`done`: the run, for tests). */
    async start(caller: Caller, input: { format: ImportFormat; departement: string }) {
      assertCan(caller.principal, "demand.export");
      assertInDepartement(caller.principal, input.departement);
      const now = deps.clock.now();
      const job: ExportDoc = {
        _id: newId("job"),
        format: input.format,
        departement: input.departement,
        status: "running",
        startedAt: now,
        heartbeatAt: now,
        startedBy: { userId: caller.principal.userId, organisationId: caller.principal.organisation.id },
        reader: readerOf(caller),
        done: 0,
        chunks: 0,
        bytes: 0,
        attempt: 1,
      };
      await jobs.insert(job);
      return { id: job._id, done: launch(job) };
    },

    /** The job as desks and outside systems follow it: state, progress, and the file once done. */
    async get(caller: Caller, id: string) {
      const job = await visible(caller, id);
      const now = deps.clock.now();
      return {
        id: job._id,
        format: job.format,
        departement: job.departement,
        status: job.status,
        startedAt: job.startedAt,
        heartbeatAt: job.heartbeatAt,
        ...(job.finishedAt ? { finishedAt: job.finishedAt } : {}),
        startedBy: job.startedBy,
        ...(job.error ? { error: job.error } : {}),
        avancement: avancementOf(job, job.done, job.total, "demandes", now),
        ...(job.expiredAt ? { fichierSupprimeLe: job.expiredAt } : {}),
        ...(job.fichier && !job.expiredAt
          ? {
              fichier: {
                nom: job.fichier.nom,
                type: job.fichier.type,
                octets: job.fichier.octets,
                adresse: `/v1/exports/${job._id}/fichier`,
              },
            }
          : {}),
        ...(job.attempt > 1 ? { relances: job.attempt - 1 } : {}),
      };
    },

    /** The finished file, a part at a time (CONFLICT while the job runs: nothing half-written is served). */
    async file(caller: Caller, id: string) {
      const job = await visible(caller, id);
      if (job.expiredAt)
        throw new AppError(
          "CONFLICT",
          `Le fichier de l'export ${id} n'est plus gardé (24 heures) : relancez l'export`,
          {
            reason: "EXPORT_EXPIRED",
          },
        );
      if (job.status !== "done" || !job.fichier) {
        const percent = job.total ? Math.floor((job.done / job.total) * 100) : 0;
        throw new AppError(
          "CONFLICT",
          job.status === "failed"
            ? `L'export ${id} a échoué : relancez-le`
            : `L'export ${id} n'est pas terminé (${percent} %) : téléchargez-le une fois terminé`,
          { reason: job.status === "failed" ? "EXPORT_FAILED" : "EXPORT_NOT_READY" },
        );
      }
      return { fichier: job.fichier, parts: files.read(id, job.attempt, job.fichier.morceaux) };
    },

    /** Removes the files of exports finished more than `EXPORT_KEPT_MS` ago; returns their jobs' ids. */
    async expire(ids: readonly string[]): Promise<string[]> {
      const expired: string[] = [];
      for (const id of ids) {
        const now = deps.clock.now();
        const { result } = await jobs.update<ExportDoc>(id, (current) => {
          if (!current?.finishedAt || current.expiredAt) return undefined;
          if (now.getTime() - current.finishedAt.getTime() < EXPORT_KEPT_MS) return undefined;
          return { state: { ...current, expiredAt: now }, result: current };
        });
        if (!result) continue;
        // Marked first: a download that starts now is refused, rather than served a file being removed.
        await files.remove(id, result.attempt, 0, Math.max(result.chunks, result.fichier?.morceaux ?? 0));
        expired.push(id);
      }
      return expired;
    },

    /**
     * Runs again the jobs whose run stopped with its process (running, silent for longer than a job
     * may be). Each is taken under its lock with a new run number, so one replica re-runs it and a
     * late-waking old run stops at its next write.
     */
    async resumeStale(ids: readonly string[]): Promise<{ id: string; done: Promise<void> }[]> {
      const resumed: { id: string; done: Promise<void> }[] = [];
      for (const id of ids) {
        const now = deps.clock.now();
        const { result } = await jobs.update<ExportDoc>(id, (current) => {
          if (current?.status !== "running") return undefined;
          if (now.getTime() - current.heartbeatAt.getTime() <= JOB_SILENCE_MS) return undefined;
          const next = { ...current, attempt: current.attempt + 1, heartbeatAt: now };
          return { state: next, result: { ...next, _id: id } };
        });
        if (!result) continue;
        logger.info({ export: id, attempt: result.attempt }, "export run again after a stop");
        resumed.push({ id, done: launch(result) });
      }
      return resumed;
    },
  };
}
export type ExportJobs = ReturnType<typeof exportJobs>;

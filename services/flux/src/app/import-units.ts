import { createReadStream } from "node:fs";
import { rm } from "node:fs/promises";
import { createInterface } from "node:readline";
import type { LogementDeclare } from "@logis/contracts";
import { AppError, type Clock, newId } from "@logis/domain";
import type { Logger } from "@logis/observability";
import { type EnTete, parseEnTete, parseLigneRpls } from "../domain/rpls-csv.js";
import { landlordOf, notFound } from "./access.js";
import type { Caller, ImportJob, ImportJobsPort, ImportLineError } from "./ports.js";
import type { UnitUseCases } from "./units.js";

const MAX_REPORTED_ERRORS = 1_000;
const REFUSALS = new Set(["VALIDATION", "FORBIDDEN", "NOT_FOUND", "CONFLICT", "RULE_VIOLATION"]);
/** Units declared at once: the database writes of one overlap the checks of the next. */
const CONCURRENCY = 4;
/** Progress is saved every this many lines (and at the end). */
const PROGRESS_EVERY = 200;

/** A job still `running` without news for two minutes died with its process. */
const interrupted = (job: ImportJob, now: Date) =>
  job.status === "running" && now.getTime() - job.heartbeatAt.getTime() > 120_000
    ? {
        status: "interrupted" as const,
        error: "Import interrompu (arrêt du service) : renvoyez le fichier, rien ne sera déclaré deux fois",
      }
    : {};

/**
 * The housing-stock import (CSV in the RPLS shape, `domain/rpls-csv.ts`): a job that reads the
 * stored upload line by line, checks each line on its own (errors per line and field, the rest goes
 * on) and declares each unit as the API does, so a re-import of the same file changes nothing
 * (idempotent on the RPLS id) and a changed line updates its unit.
 */
export function unitImports({
  jobs,
  units,
  clock,
  logger,
}: {
  jobs: ImportJobsPort;
  units: UnitUseCases;
  clock: Clock;
  logger: Logger;
}) {
  async function run(job: ImportJob, file: string, caller: Caller) {
    const { progress, errors } = job;
    const fail = (e: ImportLineError) => {
      progress.erreurs++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
    };
    const save = () => jobs.update(job._id, { progress, errors, heartbeatAt: clock.now() });

    async function declare(logement: LogementDeclare, ligne: number) {
      try {
        const { events } = await units.declare(caller, logement);
        if (events.includes("UnitDeclared")) progress.crees++;
        else if (events.includes("UnitUpdated")) progress.modifies++;
        else progress.inchanges++;
      } catch (error) {
        // A refusal of this unit goes to the report; anything else (an engine down) stops the import.
        if (!(error instanceof AppError) || !REFUSALS.has(error.code)) throw error;
        // A unit outside the landlord's départements is refused for its commune.
        const champ = error.field ?? (error.reason === "OUT_OF_TERRITORY" ? "commune" : "logement");
        fail({ ligne, rplsId: logement.rplsId, champ, message: error.message });
      }
    }

    const lines = createInterface({ input: createReadStream(file, "utf8"), crlfDelay: Number.POSITIVE_INFINITY });
    let enTete: EnTete | undefined;
    let ligne = 0;
    let inFlight: Promise<void>[] = [];
    for await (const line of lines) {
      ligne++;
      if (enTete === undefined) {
        const header = parseEnTete(line);
        if (!header.ok) {
          for (const e of header.error) fail({ ...e });
          throw new AppError("VALIDATION", "En-tête du fichier invalide : aucune ligne n'a été lue", {
            reason: "BAD_HEADER",
            field: header.error[0]?.champ,
          });
        }
        enTete = header.value;
        continue;
      }
      if (line.trim() === "") continue;
      progress.lus++;
      const parsed = parseLigneRpls(enTete, line, ligne);
      if (!parsed.ok) {
        for (const e of parsed.error) fail({ ...e, rplsId: undefined });
      } else {
        inFlight.push(declare(parsed.value, ligne));
        if (inFlight.length >= CONCURRENCY) {
          await Promise.all(inFlight);
          inFlight = [];
        }
      }
      if (progress.lus % PROGRESS_EVERY === 0) await save();
    }
    await Promise.all(inFlight);
    await jobs.update(job._id, { status: "done", finishedAt: clock.now(), heartbeatAt: clock.now(), progress, errors });
    logger.info({ import: job._id, ...progress }, "housing-stock import done");
  }

  return {
    /** Starts importing the stored upload `file` (removed afterwards); resolves with the job id at once. */
    async start(caller: Caller, file: string) {
      const bailleurId = landlordOf(caller, "unit.declare");
      const now = clock.now();
      const job: ImportJob = {
        _id: newId("import"),
        bailleurId,
        status: "running",
        startedAt: now,
        heartbeatAt: now,
        startedBy: caller.principal.userId,
        progress: { lus: 0, crees: 0, modifies: 0, inchanges: 0, erreurs: 0 },
        errors: [],
      };
      await jobs.create(job);
      const done = run(job, file, caller)
        .catch(async (error: unknown) => {
          logger.warn({ err: error, import: job._id }, "housing-stock import failed");
          await jobs.update(job._id, {
            status: "failed",
            finishedAt: clock.now(),
            progress: job.progress,
            errors: job.errors,
            error: error instanceof Error ? error.message : String(error),
          });
        })
        .finally(() => rm(file, { force: true }));
      return { id: job._id, status: job.status, done };
    },

    async get(caller: Caller, id: string) {
      const bailleurId = landlordOf(caller, "unit.declare");
      const job = await jobs.get(id);
      if (!job || job.bailleurId !== bailleurId) throw notFound(`Import ${id}`, "IMPORT_NOT_FOUND");
      const { _id, ...rest } = job;
      return { id: _id, ...rest, ...interrupted(job, clock.now()) };
    },
  };
}
export type UnitImports = ReturnType<typeof unitImports>;

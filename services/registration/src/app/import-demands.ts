import { createHash } from "node:crypto";
import { createReadStream } from "node:fs";
import { rm, stat } from "node:fs/promises";
import { assertCan, assertInDepartement } from "@logis/auth";
import { DemandForm, DemandRegistered, NumeroUnique, newDataKey } from "@logis/contracts";
import { AppError, describeZodIssues, newId } from "@logis/domain";
import { avancementOf } from "@logis/http";
import type { Logger } from "@logis/observability";
import type { Aggregates } from "@logis/outbox";
import { checkCommunes, type Demand, demandErrorMessage, toFacts } from "../domain/demand.js";
import { addMonths } from "../domain/rules.js";
import { readCsv, recordFromCsv } from "../interchange/csv.js";
import { type ImportedRecord, readSneXml, recordFromXml } from "../interchange/sne-xml.js";
import { eventsFor } from "./commit.js";
import { actorOf, type Caller, type Deps } from "./context.js";
import { interrupted, type JobBase } from "./jobs.js";

export type ImportFormat = "sne-xml" | "csv";

export interface RecordError {
  record: number;
  numUnique?: string | undefined;
  field?: string | undefined;
  message: string;
}

export interface ImportDoc extends JobBase {
  format: ImportFormat;
  progress: { read: number; created: number; alreadyPresent: number; failed: number };
  /** Bytes of the file read so far and its size: how far the job is, before the records are counted. */
  bytes?: { read: number; total: number };
  errors: RecordError[];
}

const BATCH = 500;
const MAX_REPORTED_ERRORS = 1_000;

/** The same numéro always gives the same demand id: a re-import finds what an earlier one stored. */
export const importedDemandId = (departement: string, numero: string) =>
  `dem_${createHash("sha256").update(`${departement}:${numero}`).digest("hex").slice(0, 16)}`;

/** What happened to one imported demand: stored now, already there (re-import), or its numéro is another demand's. */
export type ImportOutcome = "created" | "present" | "numero-taken";

type Importer = {
  /** `beforeWrite`: the demands about to be created (not those already there), before their write. */
  importMany(
    items: { demand: Demand; events: ReturnType<typeof eventsFor> }[],
    beforeWrite: (demands: Demand[]) => Promise<void>,
  ): Promise<ImportOutcome[]>;
};

/**
 * Bulk import of an existing stock (SNE XML v02.01 or CSV): streamed, in batches, with progress.
 * Each record is checked on its own; a bad one goes to the error report and never stops the batch.
 * Idempotent: a demand keeps its numéro and gets an id derived from it, so a second import of the
 * same file creates nothing twice. Imported demands keep their deposit date (ancienneté).
 */
export function demandImports(deps: Deps & { jobs: Aggregates<ImportDoc>; importer: Importer; logger: Logger }) {
  const { jobs } = deps;
  /** Sets fields of a job (under its lock, as every write of an aggregate). */
  const record = (id: string, fields: Partial<ImportDoc>) =>
    jobs.update(id, (current) => (current ? { state: { ...current, ...fields } } : undefined));

  async function toDemand(
    rec: ImportedRecord & { dateDernierRenouvellement?: string | undefined },
    caller: Caller,
    departement: string,
    job: string,
  ) {
    const parsed = DemandForm.safeParse(rec.form);
    if (!parsed.success) {
      const { field, message } = describeZodIssues(parsed.error);
      return { error: { record: rec.index, numUnique: rec.numUnique, field, message } };
    }
    const form = parsed.data;
    const communes = checkCommunes(form);
    if (!communes.ok) {
      const field = communes.error.code === "DEPARTEMENT_MISMATCH" ? communes.error.field : undefined;
      return {
        error: { record: rec.index, numUnique: rec.numUnique, field, message: demandErrorMessage(communes.error) },
      };
    }
    const numero = NumeroUnique.safeParse(rec.numUnique);
    if (!numero.success)
      return {
        error: {
          record: rec.index,
          numUnique: rec.numUnique,
          field: "numUnique",
          message: "numéro unique absent ou invalide (18 caractères)",
        },
      };
    // A numéro begins with its département (3 characters): another département's numéro would
    // take a number its desks will allocate, and put the demand in the wrong territory downstream.
    const prefix = departement.padStart(3, "0");
    if (!numero.data.startsWith(prefix))
      return {
        error: {
          record: rec.index,
          numUnique: rec.numUnique,
          field: "numUnique",
          message: `numéro unique d'un autre département : l'import dans le ${departement} n'accepte que les numéros commençant par ${prefix}`,
        },
      };
    const deposit = new Date(`${rec.dateCreationDemande}T00:00:00.000Z`);
    if (!rec.dateCreationDemande || Number.isNaN(deposit.getTime())) {
      return {
        error: {
          record: rec.index,
          numUnique: rec.numUnique,
          field: "dateCreationDemande",
          message: "date de dépôt absente ou invalide (AAAA-MM-JJ)",
        },
      };
    }
    const renewal = rec.dateDernierRenouvellement
      ? new Date(`${rec.dateDernierRenouvellement}T00:00:00.000Z`)
      : undefined;
    const from = renewal && !Number.isNaN(renewal.getTime()) ? renewal : deposit;
    const now = deps.clock.now();
    const guichet = {
      numGuichet: caller.principal.organisation.guichet ?? caller.principal.organisation.id,
      organisationId: caller.principal.organisation.id,
      nom: caller.principal.organisation.name,
    };
    const demand: Demand = {
      id: importedDemandId(departement, numero.data),
      numeroUnique: numero.data,
      departement,
      status: "active",
      version: 1,
      eventSeq: 1,
      dateDepot: deposit.toISOString(),
      ...(renewal ? { dateDernierRenouvellement: from.toISOString() } : {}),
      validUntil: addMonths(from, deps.rules(now).validityMonths).toISOString(),
      guichet,
      form,
      dataKey: newDataKey(),
      notices: [],
      distinctFrom: [],
      history: [
        {
          at: now.toISOString(),
          by: actorOf(caller),
          action: "register",
          changes: [],
          comment: `Importée (import ${job})`,
        },
      ],
    };
    const events = eventsFor(demand, 0, caller, now, [
      {
        definition: DemandRegistered,
        payload: {
          numeroUnique: demand.numeroUnique,
          departement,
          dateDepot: demand.dateDepot,
          validUntil: demand.validUntil,
          guichet,
          demande: toFacts(form),
        },
      },
    ]);
    return { demand, events };
  }

  async function run(id: string, format: ImportFormat, departement: string, file: string, caller: Caller) {
    const progress = { read: 0, created: 0, alreadyPresent: 0, failed: 0 };
    const input = createReadStream(file);
    const size = (await stat(file)).size;
    const bytes = () => ({ read: Math.min(input.bytesRead, size), total: size });
    const errors: RecordError[] = [];
    let batch: { demand: Demand; events: ReturnType<typeof eventsFor> }[] = [];
    const fail = (e: RecordError) => {
      progress.failed++;
      if (errors.length < MAX_REPORTED_ERRORS) errors.push(e);
    };
    // One batch in the database at a time, while the next one is read and checked: parsing and
    // validation (Node) overlap the writes (the database). A failed batch fails the next flush.
    const write = async (current: typeof batch) => {
      // The new demands' keys reach Kafka before the demands are written (decision 0012); a demand
      // already there (a re-import) keeps its own key.
      const outcomes = await deps.importer.importMany(current, (demands) =>
        deps.dataKeys.publish(
          demands.flatMap((d) => (d.dataKey ? [{ kid: d.id, key: d.dataKey }] : [])),
          { untilAcknowledged: true }, // a job in the background waits out a broker restart
        ),
      );
      outcomes.forEach((o, i) => {
        if (o === "created") progress.created++;
        else if (o === "present") progress.alreadyPresent++;
        else
          fail({
            record: -1,
            numUnique: current[i]?.demand.numeroUnique,
            field: "numUnique",
            message: "numéro unique déjà attribué à une autre demande",
          });
      });
      await record(id, { progress, bytes: bytes(), errors, heartbeatAt: deps.clock.now() });
    };
    let writing: Promise<void> | undefined;
    const flush = async () => {
      await writing;
      writing = undefined;
      if (batch.length === 0) return;
      const current = batch;
      batch = [];
      writing = write(current);
      writing.catch(() => {}); // observed by the next flush
    };
    const records = (async function* () {
      if (format === "sne-xml") {
        let i = 0;
        for await (const node of readSneXml(input)) yield recordFromXml(node, ++i, departement);
      } else {
        let i = 0;
        for await (const row of readCsv(input)) yield recordFromCsv(row, ++i, departement);
      }
    })();
    for await (const rec of records) {
      progress.read++;
      const result = await toDemand(rec, caller, departement, id);
      if ("error" in result) fail(result.error as RecordError);
      else batch.push(result);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    await writing;
    await record(id, {
      status: "done",
      finishedAt: deps.clock.now(),
      progress,
      bytes: { read: size, total: size },
      errors,
    });
    deps.logger.info({ import: id, ...progress }, "import done");
  }

  return {
    jobs,
    /** Starts importing `file` (removed afterwards); resolves with the job id at once. */
    async start(caller: Caller, input: { format: ImportFormat; departement: string; file: string }) {
      assertCan(caller.principal, "demand.import");
      assertInDepartement(caller.principal, input.departement);
      const id = newId("import");
      await jobs.insert({
        _id: id,
        format: input.format,
        departement: input.departement,
        status: "running",
        startedAt: deps.clock.now(),
        heartbeatAt: deps.clock.now(),
        startedBy: { userId: caller.principal.userId, organisationId: caller.principal.organisation.id },
        progress: { read: 0, created: 0, alreadyPresent: 0, failed: 0 },
        errors: [],
      });
      const done = run(id, input.format, input.departement, input.file, caller)
        .catch(async (error: unknown) => {
          // A file that is not well-formed at all (broken XML) fails the job, with what was read so
          // far kept, and the job says where the file breaks. Any other failure is internal: its
          // text (a driver's message may quote duplicate keys: names, birth dates) reaches neither
          // the job nor the log.
          const e = error instanceof Error ? error : new Error(String(error));
          const fileFault = /^\d+:\d+: /.test(e.message);
          deps.logger.warn(
            {
              import: id,
              failure: {
                type: e.name,
                code: (e as { code?: unknown }).code,
                ...(fileFault ? { message: e.message } : {}),
                stack: e.stack?.split("\n").slice(1).join("\n"),
              },
            },
            "import failed",
          );
          await record(id, {
            status: "failed",
            finishedAt: deps.clock.now(),
            error: fileFault
              ? `Fichier illisible (ligne:colonne) : ${e.message}`
              : "Erreur interne pendant l'import : renvoyez le fichier, rien ne sera créé deux fois",
          });
        })
        .finally(() => rm(input.file, { force: true }));
      return { id, done };
    },
    async get(caller: Caller, id: string) {
      assertCan(caller.principal, "demand.import");
      const job = await jobs.get(id);
      if (!job || !caller.principal.territories.departements.includes(job.departement)) {
        throw new AppError("NOT_FOUND", `Import ${id} introuvable`, { reason: "IMPORT_NOT_FOUND" });
      }
      const { _id, ...rest } = job;
      const now = deps.clock.now();
      // How far: the share of the file read (records are only counted as they come), and the end
      // expected at the pace so far.
      return {
        id: _id,
        ...rest,
        avancement: {
          ...avancementOf(job, job.bytes?.read ?? 0, job.bytes?.total, "octets", now),
          enregistrementsLus: job.progress.read,
        },
        ...interrupted(
          job,
          now,
          "Import interrompu (arrêt du service) : renvoyez le fichier, rien ne sera créé deux fois",
        ),
      };
    },
  };
}
export type DemandImports = ReturnType<typeof demandImports>;

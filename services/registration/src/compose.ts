import { topics } from "@logis/contracts";
import { type Clock, newId } from "@logis/domain";
import { restRoutesOf, trpcRouterOf } from "@logis/http";
import { mongoAggregateStore } from "@logis/outbox";
import type { Platform, ServiceParts } from "@logis/runtime";
import type { mongo } from "mongoose";
import { loadGuichets } from "./adapters/files/guichets.js";
import { loadLegalRules } from "./adapters/files/legal-rules.js";
import { officialPlaceNames } from "./adapters/files/places.js";
import { kafkaDataKeys } from "./adapters/kafka/data-keys.js";
import { mongoDemandRepository } from "./adapters/mongo/demand-repository.js";
import { mongoDemandStock } from "./adapters/mongo/demand-stock.js";
import { mongoExportFiles } from "./adapters/mongo/export-files.js";
import type { BatchHooks } from "./adapters/mongo/import-batches.js";
import { redisNumberAllocator } from "./adapters/mongo/number-allocator.js";
import { mongoReadAudit } from "./adapters/mongo/read-audit.js";
import { exportDemands } from "./app/export-demands.js";
import { type ExportDoc, exportJobs } from "./app/export-jobs.js";
import { demandImports, type ImportDoc } from "./app/import-demands.js";
import { duplicateScans, type ScanDoc } from "./app/scan-duplicates.js";
import { sealLiveDemands } from "./app/seal-demands.js";
import { useCases } from "./app/use-cases.js";
import type { Config } from "./config.js";
import { startLeaseSignedConsumer } from "./consumers/lease-signed.js";
import { openApiFor, operations } from "./http/operations.js";
import { lifecycleWorker } from "./workers/lifecycle.js";

/** The topics this service writes, and reads (the CAL's leases). */
export const topicsOf = {
  produces: [topics.demand, topics.demandKey, topics.duplicate],
  consumes: [topics.calAttribution],
};

export interface ComposeOptions {
  clock: Clock;
  /** Test seams: a database wrapper (fault injection) and the import batches' crash hooks. */
  wrapDb?: (db: mongo.Db) => mongo.Db;
  batchHooks?: BatchHooks;
}

/**
 * The registration service's parts, wired once: used by main.ts and by the test harness, so tests
 * run the service exactly as it runs in production. Start-up work (indexes, one-time migrations)
 * happens here, before anything serves.
 */
export async function composeRegistration(
  platform: Platform,
  config: Pick<Config, "LIFECYCLE_INTERVAL_MS" | "IMPORT_MAX_BYTES">,
  options: ComposeOptions,
) {
  const { lock, signals, logger, topicPrefix, clock } = { ...platform, clock: options.clock };
  const db = options.wrapDb ? options.wrapDb(platform.db) : platform.db;
  const demands = mongoDemandRepository(db, {
    topicPrefix,
    lock,
    signals,
    ...(options.batchHooks ? { batchHooks: options.batchHooks } : {}),
  });
  const audit = mongoReadAudit(db);
  await demands.ensureIndexes();
  const migrated = await demands.migrateStorage();
  if (migrated > 0) logger.info({ migrated }, "demands rewritten to the JSON-text storage (decision 0008)");
  const keyed = await demands.migrateKeys();
  if (keyed > 0) logger.info({ keyed }, "near-name duplicate keys added to demands registered before them");
  await audit.ensureIndexes();

  const numbers = redisNumberAllocator(platform.redis, demands.maxSequence, topicPrefix);
  const deps = {
    demands,
    numbers,
    audit,
    clock,
    rules: loadLegalRules(),
    places: officialPlaceNames(),
    dataKeys: kafkaDataKeys(platform.producer, platform.topic, () => clock.now()),
    guichets: loadGuichets(),
  };
  // Demands registered before decision 0012 get their data key and are restated, sealed, on the
  // demand topic (once: afterwards every live demand has a key).
  const sealed = await sealLiveDemands(deps, demands, logger);
  if (sealed > 0) logger.info({ sealed }, "live demands restated on the sealed demand topic (decision 0012)");
  const stock = mongoDemandStock(db);
  const scanJobs = mongoAggregateStore<ScanDoc>(db, "duplicate_scans", {
    topic: platform.topic(topics.duplicate),
    lock,
    signals,
  });
  await scanJobs.ensureIndexes();
  const scans = duplicateScans({ ...deps, jobs: scanJobs, stock, logger });
  const importJobs = mongoAggregateStore<ImportDoc>(db, "imports", { lock, signals });
  const imports = demandImports({ ...deps, jobs: importJobs, importer: demands, logger });
  const exportStore = mongoAggregateStore<ExportDoc>(db, "exports", { lock, signals });
  const exports = exportJobs({ ...deps, stock }, exportStore, mongoExportFiles(db), logger);
  /** Export jobs still said to run (a handful: the collection holds one document per export). */
  const runningExports = async () =>
    (await exportStore.collection.find({ status: "running" }, { projection: { _id: 1 } }).toArray()).map((d) => d._id);
  /** Finished exports whose file is still kept (the expiry pass looks at their end). */
  const keptExports = async () =>
    (
      await exportStore.collection
        .find({ finishedAt: { $exists: true }, expiredAt: { $exists: false } }, { projection: { _id: 1 } })
        .toArray()
    ).map((d) => d._id);
  const uc = useCases(deps, scans, imports, exportDemands({ ...deps, stock }), exports);
  const ops = operations(uc, { importMaxBytes: config.IMPORT_MAX_BYTES });
  const routes = restRoutesOf(Object.values(ops));
  const worker = lifecycleWorker(deps, logger);

  const parts: ServiceParts = {
    http: { trpc: trpcRouterOf(ops), rest: routes, openApi: openApiFor(routes) },
    outbox: [...demands.outboxStores(), scanJobs.outbox],
    jobs: [
      { name: "lifecycle", everyMs: config.LIFECYCLE_INTERVAL_MS, run: () => worker.runOnce() },
      // An export whose run stopped with its process (two minutes without news) is run again.
      { name: "exports:resume", everyMs: 30_000, run: async () => exports.resumeStale(await runningExports()) },
      // Finished files are kept a day (they hold personal data), then removed.
      { name: "exports:expire", everyMs: 3_600_000, run: async () => exports.expire(await keptExports()) },
      // Import batches left prepared by a crashed importer (two minutes without commit) are redone.
      {
        name: "lifecycle:import-batches",
        everyMs: 60_000,
        run: () => demands.batches.completeStale(120_000),
      },
    ],
    workers: {
      // A lease signed in the CAL radiates the demand for attribution.
      "lease-signed consumer": async () => {
        const consumer = await startLeaseSignedConsumer({
          kafka: platform.kafka,
          producer: platform.producer,
          deps,
          logger,
          topicPrefix,
        });
        return { stop: () => consumer.stop() };
      },
    },
  };
  return {
    parts,
    uc,
    deps,
    demands,
    scans,
    imports,
    exports,
    runningExports,
    keptExports,
    worker,
    db,
    newCorrelation: () => newId("correlation"),
  };
}
export type Registration = Awaited<ReturnType<typeof composeRegistration>>;

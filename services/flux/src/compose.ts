import { topics } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import { restRoutesOf, trpcRouterOf } from "@logis/http";
import type { Platform, ServiceParts } from "@logis/runtime";
import { fairLock, redisFairLock } from "./adapters/fair-lock.js";
import { loadLegalParameters } from "./adapters/legal-parameters-file.js";
import {
  mongoConventions,
  mongoImportJobs,
  mongoLedgers,
  mongoUnits,
  mongoVacancies,
} from "./adapters/mongo/stores.js";
import { loadReferentiel } from "./adapters/referentiel-file.js";
import { conventionUseCases } from "./app/conventions.js";
import { fluxReads } from "./app/flux-reads.js";
import { fluxYearUseCases } from "./app/flux-year.js";
import { unitImports } from "./app/import-units.js";
import { ledgerWriter } from "./app/ledger-writer.js";
import { orientationUseCases } from "./app/orientation.js";
import { unitUseCases } from "./app/units.js";
import type { Config } from "./config.js";
import { startLeaseSignedConsumer } from "./consumers/lease-signed.js";
import { startUnitEventsConsumer } from "./consumers/unit-events.js";
import { openApiFor, operations } from "./http/operations.js";
import { designationDeadlinesJob } from "./workers/designation-deadlines.js";

/** The topics this service writes and reads (it reads its own unit events to orient freed units). */
export const topicsOf = {
  produces: [topics.fluxUnit, topics.fluxConvention, topics.fluxOrientation],
  consumes: [topics.fluxUnit, topics.calAttribution],
};

type Settings = Pick<Config, "IMPORT_MAX_BYTES" | "ORIENTATION_TOLERANCE"> &
  Partial<Pick<Config, "DESIGNATION_CHECK_EVERY_MS">>;

/**
 * The flux service's parts, wired once: used by main.ts and by the test harness, so tests run the
 * service exactly as it runs in production. Reference data (legal parameters, landlords, EPCI
 * communes) is loaded here and passed in.
 */
export async function composeFlux(platform: Platform, config: Settings, options: { clock: Clock }) {
  const { db, signals, logger } = platform;
  // The writers and the relays of every replica take each document's lock in turn (adapters/fair-lock.ts),
  // on the same Redis keys as the platform's plain lock.
  const lock = fairLock(redisFairLock(platform.redis, { prefix: platform.key("lock:") }));
  const { clock } = options;
  const [parametresLegaux, referentiel] = await Promise.all([loadLegalParameters(), loadReferentiel()]);
  const units = mongoUnits(db, { topic: platform.topic(topics.fluxUnit), lock, signals });
  const conventions = mongoConventions(db, { topic: platform.topic(topics.fluxConvention), lock, signals });
  const ledgers = mongoLedgers(db, { topic: platform.topic(topics.fluxOrientation), lock, signals });
  const vacancies = mongoVacancies(db, { topic: platform.topic(topics.fluxOrientation), lock, signals });
  for (const { store } of [units, conventions, ledgers, vacancies]) await store.ensureIndexes();

  const unitsUc = unitUseCases({ units, clock, referentiel });
  const writer = ledgerWriter({
    ledgers,
    vacancies,
    conventions,
    clock,
    toleranceEquilibre: config.ORIENTATION_TOLERANCE,
  });
  const uc = {
    units: unitsUc,
    imports: unitImports({ jobs: mongoImportJobs(db), units: unitsUc, clock, logger }),
    conventions: conventionUseCases({ conventions, clock, parametresLegaux, referentiel }),
    orientation: orientationUseCases({ writer, ledgers, units, vacancies, clock, referentiel }),
    years: fluxYearUseCases({ writer, clock }),
    reads: fluxReads({ writer, ledgers, vacancies, units, conventions, clock, referentiel }),
  };
  // One definition per operation: REST routes, tRPC procedures and the OpenAPI document come from it.
  const ops = operations(uc, { importMaxBytes: config.IMPORT_MAX_BYTES });
  const rest = restRoutesOf(Object.values(ops));

  const parts: ServiceParts = {
    http: {
      trpc: trpcRouterOf(ops),
      rest,
      openApi: openApiFor(rest),
    },
    outbox: [units.store.outbox, conventions.store.outbox, ledgers.store.outbox],
    jobs: [designationDeadlinesJob(uc.orientation, config.DESIGNATION_CHECK_EVERY_MS ?? 15 * 60_000)],
    workers: {
      "unit events": async () => {
        const consumer = await startUnitEventsConsumer({
          kafka: platform.kafka,
          producer: platform.producer,
          orientation: uc.orientation,
          logger,
          topicPrefix: platform.topicPrefix,
        });
        return { stop: () => consumer.stop() };
      },
      // A lease signed in the CAL lets the unit (the unit events consumer then counts the attribution);
      // the reserver's candidates proposed in the CAL are its designation.
      "CAL leases": async () => {
        const consumer = await startLeaseSignedConsumer({
          kafka: platform.kafka,
          producer: platform.producer,
          units: uc.units,
          orientation: uc.orientation,
          logger,
          topicPrefix: platform.topicPrefix,
        });
        return { stop: () => consumer.stop() };
      },
    },
  };
  return { parts, uc, units, conventions, ledgers, vacancies, parametresLegaux, referentiel };
}
export type Flux = Awaited<ReturnType<typeof composeFlux>>;

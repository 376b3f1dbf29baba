import { topics } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import { openApiDocument, restRoutesOf, trpcRouterOf } from "@logis/http";
import type { Platform, ServiceParts } from "@logis/runtime";
import { loadTerritoires } from "./adapters/files/territoires.js";
import { mongoDemandRows } from "./adapters/mongo/demand-rows.js";
import { mongoScoreRows } from "./adapters/mongo/score-rows.js";
import { demandProjection, scoreProjection } from "./app/projection.js";
import { statisticsUseCases } from "./app/statistics.js";
import { startDemandEventsConsumer } from "./consumers/demand-events.js";
import { startScoreEventsConsumer } from "./consumers/score-events.js";
import { territoryOf } from "./domain/territory.js";
import { operations } from "./http/operations.js";

/** The topics this service reads (created at start, with their dead-letter topics); it writes none yet. */
export const topicsOf = { produces: [], consumes: [topics.demand, topics.score] };

/**
 * The service's parts, wired once: main.ts and the test harness both call this, so tests run the
 * service exactly as production does. The territory referential is loaded here and passed in.
 */
export async function composeReporting(platform: Platform, options: { clock: Clock }) {
  const territory = territoryOf(loadTerritoires());
  const rows = mongoDemandRows(platform.db);
  const scores = mongoScoreRows(platform.db);
  await Promise.all([rows.ensureIndexes(), scores.ensureIndexes()]);
  const projection = demandProjection(rows);
  const scoring = scoreProjection(scores);
  const uc = { statistics: statisticsUseCases({ rows, scores, territory, clock: options.clock }) };
  const ops = operations(uc.statistics, options.clock);
  const rest = restRoutesOf(Object.values(ops));
  const parts: ServiceParts = {
    http: {
      trpc: trpcRouterOf(ops),
      rest,
      openApi: openApiDocument({ title: "Logis — reporting", version: "0.1.0" }, rest),
    },
    outbox: [],
    workers: {
      "demand rows": async () => {
        const consumer = await startDemandEventsConsumer({
          kafka: platform.kafka,
          producer: platform.producer,
          projection,
          logger: platform.logger,
          topicPrefix: platform.topicPrefix,
        });
        return { stop: () => consumer.stop() };
      },
      "score rows": async () => {
        const consumer = await startScoreEventsConsumer({
          kafka: platform.kafka,
          producer: platform.producer,
          projection: scoring,
          logger: platform.logger,
          topicPrefix: platform.topicPrefix,
        });
        return { stop: () => consumer.stop() };
      },
    },
  };
  return { parts, uc, rows, scores, projection, territory };
}

/** The console imports this type only. */
export type ReportingRouter = ReturnType<typeof trpcRouterOf<ReturnType<typeof operations>>>;

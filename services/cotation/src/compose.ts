import { hostname } from "node:os";
import { topics } from "@logis/contracts";
import { type Clock, newId } from "@logis/domain";
import { restRoutesOf, trpcRouterOf } from "@logis/http";
import type { Platform, ServiceParts } from "@logis/runtime";
import { loadReferentiels, loadTerritoires } from "./adapters/files/reference-data.js";
import { hmacExplanationLinks } from "./adapters/links.js";
import { mongoGridVersions } from "./adapters/mongo/grid-versions.js";
import { mongoScoreStates } from "./adapters/mongo/score-states.js";
import { gridStore } from "./app/grids.js";
import { scoringService } from "./app/scoring.js";
import { Stock } from "./app/stock.js";
import { useCases } from "./app/use-cases.js";
import type { Config } from "./config.js";
import { startProjectionConsumer } from "./consumers/demand-projection.js";
import { factCatalogueOf } from "./domain/facts.js";
import { openApiFor, operations } from "./http/operations.js";
import { scoreEvents } from "./workers/score-events.js";

/** The topics this service writes and reads. */
export const topicsOf = { produces: [topics.grid, topics.score], consumes: [topics.demand, topics.demandKey] };

type Settings = Pick<
  Config,
  | "PROJECTION_CAPACITY"
  | "SCORE_BAND_WIDTH"
  | "GRIDS_REFRESH_MS"
  | "SCORE_EVENTS_INTERVAL_MS"
  | "EXPLANATION_LINK_SECRET"
  | "EXPLANATION_LINK_DAYS"
>;

/**
 * The cotation service's parts, wired once: used by main.ts and by the test harness, so tests run
 * the service exactly as it runs in production.
 */
export async function composeCotation(platform: Platform, config: Settings, options: { clock: Clock }) {
  const { db, lock, signals, logger, topicPrefix } = platform;
  const { clock } = options;
  // Reference data (config/*.json), read once here and passed in: domain code does no I/O.
  const catalogue = factCatalogueOf(loadReferentiels());
  const territoires = loadTerritoires();
  const stock = new Stock(catalogue, territoires, config.PROJECTION_CAPACITY);
  const versions = mongoGridVersions(db, { topic: platform.topic(topics.grid), lock, signals });
  const states = mongoScoreStates(db, { topic: platform.topic(topics.score), lock, signals });
  await versions.store.ensureIndexes();
  await states.store.ensureIndexes();
  const grids = gridStore({ versions, clock, catalogue });
  const scoring = scoringService({ stock, grids, clock });
  if (!config.EXPLANATION_LINK_SECRET)
    logger.warn("EXPLANATION_LINK_SECRET unset: applicants' links hold only for this process");
  const signer = hmacExplanationLinks(config.EXPLANATION_LINK_SECRET);
  const uc = useCases(grids, scoring, catalogue, { signer, days: config.EXPLANATION_LINK_DAYS, clock });
  const scores = scoreEvents({ states, clock, stock, scoring, bandWidth: config.SCORE_BAND_WIDTH });
  await scoring.refresh();
  // One definition per operation: REST routes, tRPC procedures and the OpenAPI document come from it.
  const ops = operations(uc);
  const rest = restRoutesOf(Object.values(ops));

  let projectionReady = () => false;
  const parts: ServiceParts = {
    http: {
      trpc: trpcRouterOf(ops),
      rest,
      openApi: openApiFor(rest),
    },
    outbox: [versions.store.outbox, states.store.outbox],
    workers: {
      // The projection lives in memory: every instance rebuilds it from the topic (decision 0006).
      "demand projection": async () => {
        const projection = await startProjectionConsumer({
          kafka: platform.kafka,
          producer: platform.producer,
          stock,
          logger,
          topicPrefix,
          instance: `${hostname()}-${process.pid}-${Date.now()}`,
        });
        projectionReady = projection.isReady;
        return { stop: projection.stop, isReady: projection.isReady };
      },
    },
    jobs: [
      // Publications made by other instances: every instance reloads its grids.
      { name: "grid refresh", everyMs: config.GRIDS_REFRESH_MS, everyInstance: true, run: () => scoring.refresh() },
      // DemandScored: one instance at a time, once the projection has caught up with the topic.
      {
        name: "score-events",
        everyMs: config.SCORE_EVENTS_INTERVAL_MS,
        when: () => projectionReady(),
        run: async () => {
          await scoring.refresh();
          const { emitted, scored } = await scores.runOnce(newId("correlation"));
          logger.info({ emitted, scored }, "DemandScored run");
        },
      },
    ],
  };
  return { parts, catalogue, territoires, stock, grids, versions, states, scoring, uc, scores };
}
export type Cotation = Awaited<ReturnType<typeof composeCotation>>;

import { topics } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import { openApiDocument, restRoutesOf, trpcRouterOf } from "@logis/http";
import type { Platform, ServiceParts } from "@logis/runtime";
import { loadReferentiel } from "./adapters/files/reference.js";
import { mongoAttributionReader, mongoAttributions } from "./adapters/mongo/attributions.js";
import { mongoCommissions, mongoSessions } from "./adapters/mongo/sessions.js";
import { attributionUseCases } from "./app/attributions.js";
import { sessionUseCases } from "./app/sessions.js";
import { startOrientationsConsumer } from "./consumers/orientations.js";
import { operations } from "./http/operations.js";
import { offerLapsesJob } from "./workers/offer-lapses.js";

/** The topics this service writes and reads (created at start). */
export const topicsOf = { produces: [topics.calSession, topics.calAttribution], consumes: [topics.fluxOrientation] };

/**
 * The service's parts, wired once: main.ts and the test harness both call this, so tests run the
 * service exactly as production does. The reference data (ceilings, zones, rules) is read here and
 * passed to the domain. Flux's orientations open the attributions (consumers/orientations.ts).
 */
export async function composeCal(platform: Platform, options: { clock: Clock }) {
  const referentiel = loadReferentiel();
  const attributions = mongoAttributions(platform.db, {
    topic: platform.topic(topics.calAttribution),
    lock: platform.lock,
    signals: platform.signals,
  });
  const sessions = mongoSessions(platform.db, {
    topic: platform.topic(topics.calSession),
    lock: platform.lock,
    signals: platform.signals,
  });
  const commissions = mongoCommissions(platform.db, { lock: platform.lock, signals: platform.signals });
  await Promise.all([attributions.ensureIndexes(), sessions.ensureIndexes(), commissions.ensureIndexes()]);
  const attributionCases = attributionUseCases({
    attributions,
    clock: options.clock,
    referentiel,
    reader: mongoAttributionReader(attributions),
  });
  const uc = {
    attributions: attributionCases,
    sessions: sessionUseCases({
      commissions,
      sessions,
      attributions,
      attributionUseCases: attributionCases,
      clock: options.clock,
    }),
  };
  const ops = operations(uc);
  const rest = restRoutesOf(Object.values(ops));
  const parts: ServiceParts = {
    http: {
      trpc: trpcRouterOf(ops),
      rest,
      openApi: openApiDocument({ title: "Logis — cal", version: "0.1.0" }, rest),
    },
    outbox: [attributions.outbox, sessions.outbox],
    jobs: [offerLapsesJob(attributionCases)],
    workers: {
      // Each unit flux orients opens its attribution, waiting for candidates.
      "flux orientations": async () => {
        const consumer = await startOrientationsConsumer({
          kafka: platform.kafka,
          producer: platform.producer,
          attributions: attributionCases,
          logger: platform.logger,
          topicPrefix: platform.topicPrefix,
        });
        return { stop: () => consumer.stop() };
      },
    },
  };
  return { parts, uc, referentiel };
}

/** The console imports this type only. */
export type CalRouter = ReturnType<typeof trpcRouterOf<ReturnType<typeof operations>>>;

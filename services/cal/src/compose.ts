import { topics } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import { openApiDocument, restRoutesOf, trpcRouterOf } from "@logis/http";
import type { Platform, ServiceParts } from "@logis/runtime";
import { loadReferentiel } from "./adapters/files/reference.js";
import { mongoAttributionReader, mongoAttributions } from "./adapters/mongo/attributions.js";
import { mongoDemandDirectory } from "./adapters/mongo/demands.js";
import {
  mongoCommissionReader,
  mongoCommissions,
  mongoLeaseFiles,
  mongoSessionReader,
  mongoSessions,
} from "./adapters/mongo/sessions.js";
import { accessChecks } from "./app/access.js";
import { attributionUseCases } from "./app/attributions.js";
import { candidateUseCases } from "./app/candidates.js";
import { convocationUseCases } from "./app/convocation.js";
import { listUseCases } from "./app/lists.js";
import { occupancyUseCases } from "./app/occupancy.js";
import { planningUseCases } from "./app/planning.js";
import type { Ranking } from "./app/ports.js";
import { sessionUseCases } from "./app/sessions.js";
import { startDemandsConsumer } from "./consumers/demands.js";
import { startOrientationsConsumer } from "./consumers/orientations.js";
import { operations } from "./http/operations.js";
import { occupancyExaminationsJob } from "./workers/occupancy-examinations.js";
import { offerLapsesJob } from "./workers/offer-lapses.js";

/** The topics this service writes and reads (created at start). */
export const topicsOf = {
  produces: [topics.calSession, topics.calAttribution],
  consumes: [topics.fluxOrientation, topics.demand],
};

/**
 * The service's parts, wired once: main.ts and the test harness both call this, so tests run the
 * service exactly as production does. The reference data (ceilings, zones, rules) is read here and
 * passed to the domain. Flux's orientations open the attributions (consumers/orientations.ts);
 * registration's demands feed the facts eligibility reads (consumers/demands.ts); `ranking` is
 * cotation's classement (decision 0011), absent when not configured.
 */
export async function composeCal(platform: Platform, options: { clock: Clock; ranking?: Ranking | undefined }) {
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
  const leaseFiles = mongoLeaseFiles(platform.db, { lock: platform.lock, signals: platform.signals });
  await Promise.all([attributions.ensureIndexes(), sessions.ensureIndexes(), commissions.ensureIndexes()]);
  const attributionCases = attributionUseCases({
    attributions,
    clock: options.clock,
    referentiel,
    reader: mongoAttributionReader(attributions),
  });
  const demands = mongoDemandDirectory(platform.db);
  const sessionCases = sessionUseCases({
    commissions,
    sessions,
    attributions,
    attributionUseCases: attributionCases,
    clock: options.clock,
  });
  const uc = {
    access: accessChecks({ commissions, sessions, attributions }),
    lists: listUseCases({ sessions: mongoSessionReader(sessions), commissions: mongoCommissionReader(commissions) }),
    convocations: convocationUseCases({ sessions: sessionCases, sessionReader: mongoSessionReader(sessions) }),
    occupancy: occupancyUseCases({
      sessions: sessionCases,
      sessionReader: mongoSessionReader(sessions),
      leaseFiles,
      commissionReader: mongoCommissionReader(commissions),
      referentiel,
      clock: options.clock,
    }),
    planning: planningUseCases({
      sessions: sessionCases,
      sessionReader: mongoSessionReader(sessions),
      attributionReader: mongoAttributionReader(attributions),
      clock: options.clock,
      referentiel,
    }),
    attributions: attributionCases,
    candidates: candidateUseCases({
      attributions,
      attributionUseCases: attributionCases,
      demands,
      ranking: options.ranking,
      referentiel,
      clock: options.clock,
    }),
    sessions: sessionCases,
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
    jobs: [offerLapsesJob(attributionCases), occupancyExaminationsJob(uc.occupancy)],
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
      // Registration's demands: the facts eligibility examines (designations, shortlists).
      "demand facts": async () => {
        const consumer = await startDemandsConsumer({
          kafka: platform.kafka,
          producer: platform.producer,
          demands,
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

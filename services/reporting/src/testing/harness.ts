import { createLocalIssuer, type DemoUser, demoUsers, generateIssuerKeys } from "@logis/auth";
import { type DemandEvent, topics } from "@logis/contracts";
import { manualClock } from "@logis/domain";
import { createLogger } from "@logis/observability";
import { createLifecycle, serve, startPlatform } from "@logis/runtime";
import { apiClient, demandEventsPublisher, testServiceEnv, uniqueName } from "@logis/testing";
import { composeReporting, topicsOf } from "../compose.js";
import { loadConfig, SERVICE } from "../config.js";

/**
 * The service in-process, composed as main.ts composes it, on the real engines: a fresh database,
 * topics under a unique prefix, a clock the test moves, the relay running.
 */
export async function reportingHarness(start = "2026-11-29T10:00:00.000Z") {
  const keys = await generateIssuerKeys();
  const config = loadConfig(
    testServiceEnv({ database: uniqueName("rep"), topicPrefix: uniqueName("t"), publicJwk: keys.publicJwk }),
  );
  const clock = manualClock(start);
  const logger = createLogger({ service: `${SERVICE}-test`, level: config.LOG_LEVEL });
  const steps = createLifecycle((level, msg, extra) => logger[level](extra ?? {}, msg));
  const platform = await startPlatform(steps.lifecycle, { service: SERVICE, config, logger, ...topicsOf });
  const service = await composeReporting(platform, { clock });
  const serving = await serve(platform, service.parts, { port: 0, jobs: false });
  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  const { call } = apiClient<DemoUser>(serving.base, (who) => issuer.issue(demoUsers[who]));
  const demandPublisher = demandEventsPublisher(platform.producer, {
    demand: platform.topic(topics.demand),
    demandKey: platform.topic(topics.demandKey),
  });
  return {
    ...service,
    /** Plays registration: seals demand events and puts them on the demand topic, their keys first (decision 0012). */
    publishDemandEvents: (events: readonly DemandEvent[]) => demandPublisher.publish(events),
    /** Destroys a demand's data key as registration's purge does (a tombstone on the key topic). */
    shredDemandKey: demandPublisher.shred,
    platform,
    clock,
    call,
    base: serving.base,
    token: (who: DemoUser) => issuer.issue(demoUsers[who]),
    async close() {
      await platform.mongo.dropDatabase().catch(() => undefined);
      await steps.shutdown();
    },
  };
}

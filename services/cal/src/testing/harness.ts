import { createLocalIssuer, type DemoUser, demoUsers, generateIssuerKeys } from "@logis/auth";
import { type DemandEvent, demandStreamV1, orientationStream, topics } from "@logis/contracts";
import { manualClock } from "@logis/domain";
import { createLogger } from "@logis/observability";
import { createLifecycle, serve, startPlatform } from "@logis/runtime";
import { apiClient, demandEventsPublisher, testServiceEnv, uniqueName } from "@logis/testing";
import type { Ranking } from "../app/ports.js";
import { composeCal, topicsOf } from "../compose.js";
import { loadConfig, SERVICE } from "../config.js";

/**
 * The service in-process, composed as main.ts composes it, on the real engines: a fresh database,
 * topics under a unique prefix, a clock the test moves, the relay running.
 */
export async function calHarness(start = "2026-11-29T10:00:00.000Z", options: { ranking?: Ranking } = {}) {
  const keys = await generateIssuerKeys();
  const config = loadConfig(
    testServiceEnv({ database: uniqueName("cal"), topicPrefix: uniqueName("t"), publicJwk: keys.publicJwk }),
  );
  const clock = manualClock(start);
  const logger = createLogger({ service: `${SERVICE}-test`, level: config.LOG_LEVEL });
  const steps = createLifecycle((level, msg, extra) => logger[level](extra ?? {}, msg));
  const platform = await startPlatform(steps.lifecycle, { service: SERVICE, config, logger, ...topicsOf });
  const service = await composeCal(platform, { clock, ranking: options.ranking });
  const serving = await serve(platform, service.parts, { port: 0, jobs: false });
  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  const { call } = apiClient<DemoUser>(serving.base, (who) => issuer.issue(demoUsers[who]));
  const demandPublisher = demandEventsPublisher(platform.producer, {
    demand: platform.topic(topics.demand),
    demandKey: platform.topic(topics.demandKey),
  });
  return {
    ...service,
    platform,
    clock,
    call,
    base: serving.base,
    token: (who: DemoUser) => issuer.issue(demoUsers[who]),
    /** The issuer's keys (a demo seed signs its own tokens with them). */
    keys,
    /** Plays registration: seals demand events and puts them on the demand topic, their keys first (decision 0012). */
    async publishDemandEvents(events: DemandEvent[]) {
      await demandPublisher.publish(events.map((e) => demandStreamV1.schema.parse(e)));
    },
    /** Destroys a demand's data key as registration's purge does (a tombstone on the key topic). */
    shredDemandKey: demandPublisher.shred,
    /** Plays flux: puts orientation events on its topic. */
    async publishOrientations(events: unknown[]) {
      await platform.producer.publish(
        platform.topic(topics.fluxOrientation),
        events.map((e) => ({ envelope: orientationStream.schema.parse(e) })),
      );
    },
    async close() {
      await platform.mongo.dropDatabase().catch(() => undefined);
      await steps.shutdown();
    },
  };
}

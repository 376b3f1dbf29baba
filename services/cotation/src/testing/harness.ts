import { createLocalIssuer, type DemoUser, demoUsers, generateIssuerKeys, type Principal } from "@logis/auth";
import {
  createEvent,
  type DemandEvent,
  type DemandFacts,
  DemandRegistered,
  demandStreamV1,
  type EventOf,
  topics,
} from "@logis/contracts";
import { manualClock } from "@logis/domain";
import { createLogger } from "@logis/observability";
import { createLifecycle, serve, startPlatform } from "@logis/runtime";
import { apiClient, demandEventsPublisher, testServiceEnv, uniqueName } from "@logis/testing";
import { composeCotation, topicsOf } from "../compose.js";
import { loadConfig, SERVICE } from "../config.js";

/**
 * The cotation service in-process, composed as in production (compose.ts), on the real engines: a
 * fresh database, topics under a unique prefix, a clock tests move. The relay and the projection
 * consumer run as in production; the scheduled jobs are run by hand. `publishDemandEvents` plays
 * the registration service's part.
 */
export async function cotationHarness(
  start = "2026-11-22T09:00:00.000Z",
  /** `topicPrefix`: the topics of another harness (the erasure test reads what registration published). */
  options: { topicPrefix?: string } = {},
) {
  const dbName = uniqueName("cot");
  const topicPrefix = options.topicPrefix ?? uniqueName("t");
  const clock = manualClock(start);
  const keys = await generateIssuerKeys();
  const config = loadConfig(testServiceEnv({ database: dbName, topicPrefix, publicJwk: keys.publicJwk }));
  const logger = createLogger({ service: `${SERVICE}-test`, level: config.LOG_LEVEL });
  const steps = createLifecycle((level, msg, extra) => logger[level](extra ?? {}, msg));
  const platform = await startPlatform(steps.lifecycle, { service: SERVICE, config, logger, ...topicsOf });
  const parts = await composeCotation(platform, config, { clock });
  const serving = await serve(platform, parts.parts, { port: 0, jobs: false });
  const { producer } = platform;
  const demandTopic = platform.topic(topics.demand);
  const gridTopic = platform.topic(topics.grid);
  const scoreTopic = platform.topic(topics.score);

  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  const { call } = apiClient<DemoUser | Principal>(serving.base, (who) =>
    issuer.issue(typeof who === "string" ? demoUsers[who] : who),
  );

  const demandPublisher = demandEventsPublisher(producer, {
    demand: demandTopic,
    demandKey: platform.topic(topics.demandKey),
  });
  /** Plays registration: seals demand events and puts them on the demand topic, their keys first (decision 0012). */
  async function publishDemandEvents(events: DemandEvent[]) {
    await demandPublisher.publish(events.map((e) => demandStreamV1.schema.parse(e)));
  }

  let seq = 0;
  /** A DemandRegistered event for a household (numéro in département 69). */
  function registered(demande: DemandFacts, dateDepot: string): EventOf<typeof DemandRegistered> {
    seq++;
    const numero = `0690326${String(seq).padStart(9, "0")}AA`;
    return createEvent(DemandRegistered, {
      aggregateId: `dem_${topicPrefix}_${seq}`,
      aggregateVersion: 1,
      correlationId: "cor_test",
      occurredAt: new Date(`${dateDepot}T10:00:00.000Z`),
      payload: {
        numeroUnique: numero,
        departement: "69",
        dateDepot: `${dateDepot}T10:00:00.000Z`,
        validUntil: "2030-01-01T00:00:00.000Z",
        guichet: { numGuichet: "069000123", organisationId: "org_demo_bailleur_69", nom: "Guichet test" },
        demande,
      },
    });
  }

  return {
    ...parts,
    db: platform.db,
    clock,
    topicPrefix,
    gridTopic,
    scoreTopic,
    call,
    base: serving.base,
    publishDemandEvents,
    /** Destroys a demand's data key as registration's purge does (a tombstone on the key topic). */
    shredDemandKey: demandPublisher.shred,
    registered,
    async close() {
      await platform.mongo.dropDatabase().catch(() => undefined);
      await steps.shutdown();
    },
  };
}

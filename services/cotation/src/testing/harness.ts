import {
  cachedVerifier,
  createLocalIssuer,
  createVerifier,
  type DemoUser,
  demoUsers,
  generateIssuerKeys,
  type Principal,
} from "@logis/auth";
import {
  createEvent,
  type DemandEvent,
  type DemandFacts,
  DemandRegistered,
  demandStream,
  dlqTopicOf,
  type EventOf,
  topicName,
  topics,
} from "@logis/contracts";
import { manualClock } from "@logis/domain";
import { createHttpApp, listen, mountRoutes, mountTrpc } from "@logis/http";
import { createKafka, createProducer, ensureTopics } from "@logis/kafka";
import { createLogger } from "@logis/observability";
import { mongoOutboxStore, startOutboxRelay } from "@logis/outbox";
import { createRedis, redisKeyedLock } from "@logis/redis";
import { apiClient, testDatabase, testEnv, uniqueName } from "@logis/testing";
import { composeCotation } from "../app/compose.js";
import { startProjectionConsumer } from "../app/projection-consumer.js";
import { restRoutes } from "../http/rest.js";
import { cotationRouter } from "../http/router.js";

/**
 * The cotation service in-process on the real engines: a fresh database, topics under a unique
 * prefix, a clock tests move. `publishDemandEvents` plays the registration service's part.
 */
export async function cotationHarness(start = "2026-11-22T09:00:00.000Z") {
  const database = await testDatabase("cot");
  const db = database.connection.db;
  if (!db) throw new Error("no db");
  const topicPrefix = uniqueName("t");
  const clock = manualClock(start);
  const logger = createLogger({ service: "cotation-test", level: "warn" });
  const redis = createRedis(testEnv().REDIS_URL, logger);
  const lock = redisKeyedLock(redis, { prefix: `${topicPrefix}:lock:` });
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: "cotation-test", logger });
  const demandTopic = topicName(topics.demand, topicPrefix);
  const gridTopic = topicName(topics.grid, topicPrefix);
  const scoreTopic = topicName(topics.score, topicPrefix);
  await ensureTopics(kafka, [demandTopic, dlqTopicOf(demandTopic), gridTopic, scoreTopic]);
  const producer = await createProducer(kafka);
  let wake = () => {};
  const parts = composeCotation({ db, lock, clock, topicPrefix, onEvents: () => wake() });
  const relay = startOutboxRelay({
    stores: [
      mongoOutboxStore(parts.grids.collection, { lock, markers: {} }),
      mongoOutboxStore(parts.scores.collection, { lock, markers: {} }),
    ],
    producer,
    logger,
  });
  wake = relay.notify;

  const keys = await generateIssuerKeys();
  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  const app = createHttpApp({
    logger,
    verifier: cachedVerifier(createVerifier({ issuer: "logis-local", audience: "logis", publicJwk: keys.publicJwk })),
    routes: (a) => {
      mountTrpc(a, "/trpc", cotationRouter(parts.uc));
      mountRoutes(a, restRoutes(parts.uc));
    },
  });
  const server = await listen(app, 0, "127.0.0.1");
  const base = `http://127.0.0.1:${server.port}`;

  const { call } = apiClient<DemoUser | Principal>(base, (who) =>
    issuer.issue(typeof who === "string" ? demoUsers[who] : who),
  );

  /** Plays registration: puts demand events on the demand topic, as its outbox relay would. */
  async function publishDemandEvents(events: DemandEvent[]) {
    await producer.publish(
      demandTopic,
      events.map((e) => ({ envelope: demandStream.schema.parse(e) })),
    );
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

  const projection = await startProjectionConsumer({
    kafka,
    producer,
    stock: parts.stock,
    logger,
    topicPrefix,
    instance: uniqueName("i"),
  });

  return {
    ...parts,
    db,
    clock,
    topicPrefix,
    gridTopic,
    scoreTopic,
    call,
    publishDemandEvents,
    registered,
    async close() {
      await projection.consumer.stop();
      await relay.stop();
      await producer.disconnect();
      await server.close();
      await database.close();
      await redis.quit();
    },
  };
}

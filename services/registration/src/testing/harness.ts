import { createLocalIssuer, type DemoUser, demoUsers, generateIssuerKeys, type Principal } from "@logis/auth";
import { demandStream, dlqTopicOf, topicName, topics } from "@logis/contracts";
import { manualClock } from "@logis/domain";
import { createHttpApp, listen, mountRoutes, mountTrpc } from "@logis/http";
import { createKafka, createProducer, ensureTopics } from "@logis/kafka";
import { createLogger } from "@logis/observability";
import { type RelayOptions, startOutboxRelay } from "@logis/outbox";
import { createRedis, redisKeyedLock } from "@logis/redis";
import { apiClient, readTopic, testDatabase, testEnv, testKafka, uniqueName } from "@logis/testing";
import type { mongo } from "mongoose";
import { mongoDemandRepository } from "../adapters/mongo/demand-repository.js";
import type { BatchHooks } from "../adapters/mongo/import-batches.js";
import { redisNumberAllocator } from "../adapters/mongo/number-allocator.js";
import { mongoReadAudit } from "../adapters/mongo/read-audit.js";
import { redisOutboxSignals } from "../adapters/redis/outbox-signals.js";
import type { Caller } from "../app/context.js";
import { exportDemands } from "../app/export-demands.js";
import { demandImports } from "../app/import-demands.js";
import { duplicateScans } from "../app/scan-duplicates.js";
import { useCases } from "../app/use-cases.js";
import { restRoutes } from "../http/rest.js";
import { registrationRouter } from "../http/router.js";

/** The registration service in-process, on a fresh database of the real engines, with a clock tests move. */
export async function registrationHarness(
  start = "2026-03-15T10:00:00.000Z",
  options: { wrapDb?: (db: mongo.Db) => mongo.Db; batchHooks?: BatchHooks } = {},
) {
  const database = await testDatabase("reg");
  const rawDb = database.connection.db;
  if (!rawDb) throw new Error("no db");
  const db = options.wrapDb ? options.wrapDb(rawDb) : rawDb;
  const topicPrefix = uniqueName("t");
  const clock = manualClock(start);
  const logger = createLogger({ service: "registration-test", level: "warn" });
  const redis = createRedis(testEnv().REDIS_URL, logger);
  const lock = redisKeyedLock(redis, { prefix: `${topicPrefix}:lock:` });
  const signals = redisOutboxSignals(redis, `${topicPrefix}:`);
  const demands = mongoDemandRepository(db, {
    topicPrefix,
    lock,
    signals,
    ...(options.batchHooks ? { batchHooks: options.batchHooks } : {}),
  });
  const audit = mongoReadAudit(db);
  await demands.ensureIndexes();
  await audit.ensureIndexes();
  const deps = { demands, numbers: redisNumberAllocator(redis, demands.maxSequence, `${topicPrefix}:`), audit, clock };
  const scans = duplicateScans({ ...deps, db, lock, topicPrefix, logger });
  const imports = demandImports({ ...deps, db, importer: demands, logger });
  const uc = useCases(deps, scans, imports, exportDemands({ ...deps, db }));
  const keys = await generateIssuerKeys();
  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  const { cachedVerifier, createVerifier } = await import("@logis/auth");
  const app = createHttpApp({
    logger,
    verifier: cachedVerifier(createVerifier({ issuer: "logis-local", audience: "logis", publicJwk: keys.publicJwk })),
    routes: (a) => {
      mountTrpc(a, "/trpc", registrationRouter(uc));
      mountRoutes(a, restRoutes(uc));
    },
  });
  const server = await listen(app, 0, "127.0.0.1");
  const base = `http://127.0.0.1:${server.port}`;
  /** `call` and `authHeader` as a demo user (or a custom principal, or anonymously for `call`). */
  const { call, authHeader } = apiClient<DemoUser | Principal>(base, (who) =>
    issuer.issue(typeof who === "string" ? demoUsers[who] : who),
  );

  const caller = (who: DemoUser): Caller => ({ principal: demoUsers[who], correlationId: uniqueName("cor_") });
  const demandTopic = topicName(topics.demand, topicPrefix);

  /** Starts the service's outbox relay on the real Kafka; `stop()` also closes its producer. */
  async function startRelay(options: Partial<RelayOptions> = {}) {
    const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: "registration-test", logger });
    await ensureTopics(kafka, [demandTopic, dlqTopicOf(demandTopic)]);
    const producer = await createProducer(kafka);
    const relay = startOutboxRelay({
      stores: demands.outboxStores(),
      producer,
      logger,
      ...options,
    });
    return {
      relay,
      async stop() {
        await relay.stop();
        await producer.disconnect();
      },
    };
  }

  /** The events of one demand on the demand topic, in the order they were published. */
  async function demandEventsOf(demandId: string) {
    return (await readTopic(testKafka(), demandTopic))
      .map((m) => demandStream.schema.parse(JSON.parse(m.value?.toString() ?? "")))
      .filter((e) => e.aggregateId === demandId);
  }

  return {
    db,
    dbName: database.name,
    connection: database.connection,
    redis,
    lock,
    signals,
    deps,
    uc,
    scans,
    imports,
    clock,
    logger,
    topicPrefix,
    base,
    call,
    authHeader,
    demands,
    caller,
    startRelay,
    demandEventsOf,
    async close() {
      await server.close();
      await database.close();
      await redis.quit();
    },
  };
}
export type RegistrationHarness = Awaited<ReturnType<typeof registrationHarness>>;

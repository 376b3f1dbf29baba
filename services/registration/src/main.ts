import { cachedVerifier, createVerifier } from "@logis/auth";
import { topicName, topics } from "@logis/contracts";
import { systemClock } from "@logis/domain";
import { createHttpApp, listen, mountRoutes, mountTrpc } from "@logis/http";
import { createKafka, createProducer, ensureTopics } from "@logis/kafka";
import { createLogger } from "@logis/observability";
import { connectMongo, mongoOutboxStore, startOutboxRelay } from "@logis/outbox";
import { createRedis, leaderElection, redisKeyedLock, withLock } from "@logis/redis";
import { runService } from "@logis/runtime";
import { mongoDemandRepository } from "./adapters/mongo/demand-repository.js";
import { redisNumberAllocator } from "./adapters/mongo/number-allocator.js";
import { mongoReadAudit } from "./adapters/mongo/read-audit.js";
import { redisOutboxSignals } from "./adapters/redis/outbox-signals.js";
import { exportDemands } from "./app/export-demands.js";
import { demandImports } from "./app/import-demands.js";
import { duplicateScans } from "./app/scan-duplicates.js";
import { useCases } from "./app/use-cases.js";
import { loadConfig, SERVICE } from "./config.js";
import { openApiFor, restRoutes } from "./http/rest.js";
import { registrationRouter } from "./http/router.js";
import { lifecycleWorker } from "./workers/lifecycle.js";

// Composition root. Shutdown runs in reverse: scheduler → relay → HTTP → producer → Redis → MongoDB.
await runService(SERVICE, async (lifecycle) => {
  const config = loadConfig();
  const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  lifecycle.useLogger(logger);

  const mongo = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  lifecycle.onShutdown("mongo", () => mongo.close());
  const db = mongo.db;
  if (!db) throw new Error("MongoDB connection has no database handle");
  const redis = createRedis(config.REDIS_URL, logger);
  lifecycle.onShutdown("redis", async () => {
    await redis.quit();
  });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? SERVICE, logger });
  await ensureTopics(kafka, [
    topicName(topics.demand, config.KAFKA_TOPIC_PREFIX),
    topicName(topics.duplicate, config.KAFKA_TOPIC_PREFIX),
  ]);
  const producer = await createProducer(kafka);
  lifecycle.onShutdown("kafka producer", () => producer.disconnect());

  const lock = redisKeyedLock(redis, { prefix: `${config.KAFKA_TOPIC_PREFIX}${SERVICE}:lock:` });
  let wakeRelay = () => {};
  const signals = redisOutboxSignals(redis, `${config.KAFKA_TOPIC_PREFIX}${SERVICE}:`);
  const demands = mongoDemandRepository(db, {
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    lock,
    signals,
    onEvents: () => wakeRelay(),
  });
  const audit = mongoReadAudit(db);
  await demands.ensureIndexes();
  const migrated = await demands.migrateStorage();
  if (migrated > 0) logger.info({ migrated }, "demands rewritten to the JSON-text storage (decision 0008)");
  const keyed = await demands.migrateKeys();
  if (keyed > 0) logger.info({ keyed }, "near-name duplicate keys added to demands registered before them");
  await audit.ensureIndexes();
  const numbers = redisNumberAllocator(redis, demands.maxSequence, config.KAFKA_TOPIC_PREFIX);
  const deps = { demands, numbers, audit, clock: systemClock };
  const scans = duplicateScans({
    ...deps,
    db,
    lock,
    topicPrefix: config.KAFKA_TOPIC_PREFIX,
    logger,
    onEvents: () => wakeRelay(),
  });
  const imports = demandImports({ ...deps, db, importer: demands, logger });
  const uc = useCases(deps, scans, imports, exportDemands({ ...deps, db }));
  const routes = restRoutes(uc);
  const openApi = openApiFor(routes);

  const app = createHttpApp({
    logger,
    verifier: cachedVerifier(
      createVerifier({
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
        jwksUrl: config.AUTH_JWKS_URL,
        publicJwk: config.AUTH_PUBLIC_JWK,
      }),
    ),
    readiness: { mongo: () => mongo.readyState === 1, redis: () => redis.status === "ready" },
    routes: (app) => {
      mountTrpc(app, "/trpc", registrationRouter(uc));
      mountRoutes(app, routes);
      app.get("/openapi.json", (_req, res) => {
        res.json(openApi);
      });
    },
  });
  const http = await listen(app, config.PORT, config.HOST);
  lifecycle.onShutdown("http", () => http.close());

  const leader = leaderElection(redis, `${config.KAFKA_TOPIC_PREFIX}${SERVICE}:outbox-relay`);
  const relay = startOutboxRelay({
    stores: [...demands.outboxStores(), mongoOutboxStore(scans.jobs, { lock, markers: {} })],
    producer,
    logger,
    isLeader: leader.isLeader,
  });
  wakeRelay = relay.notify;
  lifecycle.onShutdown("outbox relay", async () => {
    await relay.stop();
    await leader.resign();
  });

  const worker = lifecycleWorker(deps, logger);
  const lockKey = `${config.KAFKA_TOPIC_PREFIX}${SERVICE}:lifecycle`;
  const timer = setInterval(() => {
    void withLock(redis, lockKey, config.LIFECYCLE_INTERVAL_MS, () => worker.runOnce()).catch((error: unknown) =>
      logger.error({ err: error }, "lifecycle run failed"),
    );
  }, config.LIFECYCLE_INTERVAL_MS);
  lifecycle.onShutdown("lifecycle scheduler", () => clearInterval(timer));

  // Import batches left prepared by a crashed importer (two minutes without commit) are redone.
  const janitor = setInterval(() => {
    void withLock(redis, `${lockKey}:import-batches`, 60_000, () => demands.batches.completeStale(120_000)).catch(
      (error: unknown) => logger.error({ err: error }, "import batch janitor failed"),
    );
  }, 60_000);
  lifecycle.onShutdown("import batch janitor", () => clearInterval(janitor));

  logger.info({ port: http.port, host: config.HOST }, "listening");
});

import { hostname } from "node:os";
import { cachedVerifier, createVerifier } from "@logis/auth";
import { dlqTopicOf, topicName, topics } from "@logis/contracts";
import { newId, systemClock } from "@logis/domain";
import { createHttpApp, listen, mountRoutes, mountTrpc } from "@logis/http";
import { createKafka, createProducer, ensureTopics } from "@logis/kafka";
import { createLogger } from "@logis/observability";
import { connectMongo, mongoOutboxStore, startOutboxRelay } from "@logis/outbox";
import { createRedis, leaderElection, redisKeyedLock, withLock } from "@logis/redis";
import { runService } from "@logis/runtime";
import { composeCotation } from "./app/compose.js";
import { startProjectionConsumer } from "./app/projection-consumer.js";
import { loadConfig, SERVICE } from "./config.js";
import { openApi, restRoutes } from "./http/rest.js";
import { cotationRouter } from "./http/router.js";

// Composition root. Shutdown runs in reverse: refresh → consumer → relay → HTTP → producer → Redis → MongoDB.
await runService(SERVICE, async (lifecycle) => {
  const config = loadConfig();
  const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  lifecycle.useLogger(logger);
  const prefix = config.KAFKA_TOPIC_PREFIX;

  const mongo = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  lifecycle.onShutdown("mongo", () => mongo.close());
  const db = mongo.db;
  if (!db) throw new Error("MongoDB connection has no database handle");
  const redis = createRedis(config.REDIS_URL, logger);
  lifecycle.onShutdown("redis", async () => {
    await redis.quit();
  });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? SERVICE, logger });
  const demandTopic = topicName(topics.demand, prefix);
  await ensureTopics(kafka, [
    demandTopic,
    dlqTopicOf(demandTopic),
    topicName(topics.grid, prefix),
    topicName(topics.score, prefix),
  ]);
  const producer = await createProducer(kafka);
  lifecycle.onShutdown("kafka producer", () => producer.disconnect());
  const lock = redisKeyedLock(redis, { prefix: `${prefix}${SERVICE}:lock:` });

  let wakeRelay = () => {};
  const { stock, grids, scoring, uc, scores } = composeCotation({
    db,
    lock,
    clock: systemClock,
    topicPrefix: prefix,
    capacity: config.PROJECTION_CAPACITY,
    bandWidth: config.SCORE_BAND_WIDTH,
    onEvents: () => wakeRelay(),
  });
  await scoring.refresh();

  const routes = restRoutes(uc);
  const document = openApi(uc);
  let projectionReady = () => false;
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
    readiness: {
      mongo: () => mongo.readyState === 1,
      redis: () => redis.status === "ready",
      projection: () => projectionReady(),
    },
    routes: (app) => {
      mountTrpc(app, "/trpc", cotationRouter(uc));
      mountRoutes(app, routes);
      app.get("/openapi.json", (_req, res) => {
        res.json(document);
      });
    },
  });
  const http = await listen(app, config.PORT, config.HOST);
  lifecycle.onShutdown("http", () => http.close());

  const leader = leaderElection(redis, `${prefix}${SERVICE}:outbox-relay`);
  const relay = startOutboxRelay({
    stores: [
      mongoOutboxStore(grids.collection, { lock, markers: {} }),
      mongoOutboxStore(scores.collection, { lock, markers: {} }),
    ],
    producer,
    logger,
    isLeader: leader.isLeader,
  });
  wakeRelay = relay.notify;
  lifecycle.onShutdown("outbox relay", async () => {
    await relay.stop();
    await leader.resign();
  });

  const projection = await startProjectionConsumer({
    kafka,
    producer,
    stock,
    logger,
    topicPrefix: prefix,
    instance: `${hostname()}-${process.pid}-${Date.now()}`,
  });
  projectionReady = projection.isReady;
  lifecycle.onShutdown("projection consumer", () => projection.consumer.stop());

  const timer = setInterval(() => {
    void scoring.refresh().catch((error: unknown) => logger.error({ err: error }, "grid refresh failed"));
  }, config.GRIDS_REFRESH_MS);
  lifecycle.onShutdown("grid refresh", () => clearInterval(timer));

  // DemandScored: one instance at a time, once the projection has caught up with the topic.
  const scoreKey = `${prefix}${SERVICE}:score-events`;
  const scoreTimer = setInterval(() => {
    if (!projection.isReady()) return;
    void withLock(redis, scoreKey, config.SCORE_EVENTS_INTERVAL_MS, async () => {
      await scoring.refresh();
      const { emitted, scored } = await scores.runOnce(newId("correlation"));
      logger.info({ emitted, scored }, "DemandScored run");
    }).catch((error: unknown) => logger.error({ err: error }, "DemandScored run failed"));
  }, config.SCORE_EVENTS_INTERVAL_MS);
  lifecycle.onShutdown("score events", () => clearInterval(scoreTimer));
  logger.info({ port: http.port, host: config.HOST }, "listening");
});

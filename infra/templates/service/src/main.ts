import { createVerifier } from "@logis/auth";
import { createHttpApp, listen, mountRoutes, mountTrpc } from "@logis/http";
import { createKafka, createProducer } from "@logis/kafka";
import { createLogger } from "@logis/observability";
import { connectMongo, startOutboxRelay } from "@logis/outbox";
import { createRedis, leaderElection } from "@logis/redis";
import { runService } from "@logis/runtime";
import { loadConfig, SERVICE } from "./config.js";
import { openApi, restRoutes } from "./http/rest.js";
import { appRouter } from "./http/router.js";

// The composition root: the only place that knows every adapter. Shutdown steps run in reverse
// order of registration: consumers → relay → HTTP → producer → Redis → MongoDB.
await runService(SERVICE, async (lifecycle) => {
  const config = loadConfig();
  const logger = createLogger({ service: SERVICE, level: config.LOG_LEVEL });
  lifecycle.useLogger(logger);

  const mongo = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  lifecycle.onShutdown("mongo", () => mongo.close());
  const redis = createRedis(config.REDIS_URL, logger);
  lifecycle.onShutdown("redis", async () => {
    await redis.quit();
  });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? SERVICE, logger });
  const producer = await createProducer(kafka);
  lifecycle.onShutdown("kafka producer", () => producer.disconnect());

  const app = createHttpApp({
    logger,
    verifier: createVerifier({
      issuer: config.AUTH_ISSUER,
      audience: config.AUTH_AUDIENCE,
      jwksUrl: config.AUTH_JWKS_URL,
      publicJwk: config.AUTH_PUBLIC_JWK,
    }),
    readiness: { mongo: () => mongo.readyState === 1, redis: () => redis.status === "ready" },
    routes: (app) => {
      mountTrpc(app, "/trpc", appRouter);
      mountRoutes(app, restRoutes);
      app.get("/openapi.json", (_req, res) => {
        res.json(openApi);
      });
    },
  });
  const http = await listen(app, config.PORT, config.HOST);
  lifecycle.onShutdown("http", () => http.close());

  // A real service passes its aggregate collections' outbox stores here.
  const leader = leaderElection(redis, `${config.KAFKA_TOPIC_PREFIX}${SERVICE}:outbox-relay`);
  const relay = startOutboxRelay({ stores: [], producer, logger, isLeader: leader.isLeader });
  lifecycle.onShutdown("outbox relay", async () => {
    await relay.stop();
    await leader.resign();
  });

  logger.info({ port: http.port, host: config.HOST }, "listening");
});

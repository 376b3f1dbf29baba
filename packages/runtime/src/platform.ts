import { dlqTopicOf, topicName, topicSettings } from "@logis/contracts";
import {
  createKafka,
  createProducer,
  createTransactionalPublisher,
  type EventProducer,
  ensureTopics,
  type TransactionalPublisher,
} from "@logis/kafka";
import { createLogger, type Logger } from "@logis/observability";
import {
  connectMongo,
  type PublishedMarks,
  type RingingOutboxSignals,
  redisOutboxSignals,
  redisPublishedMarks,
} from "@logis/outbox";
import { createRedis, type KeyedLock, redisKeyedLock } from "@logis/redis";
import type { Redis } from "ioredis";
import type { Kafka } from "kafkajs";
import type { Connection, mongo } from "mongoose";
import type { Lifecycle } from "./lifecycle.js";

/** The configuration every service parses (its own schema adds its settings to these). */
export interface PlatformConfig {
  LOG_LEVEL: "fatal" | "error" | "warn" | "info" | "debug" | "trace" | "silent";
  HOST: string;
  PORT: number;
  KAFKA_BROKERS: string[];
  KAFKA_CLIENT_ID?: string | undefined;
  KAFKA_TOPIC_PREFIX: string;
  MONGO_URL: string;
  MONGO_DB: string;
  REDIS_URL: string;
  AUTH_ISSUER: string;
  AUTH_AUDIENCE: string;
  AUTH_JWKS_URL?: string | undefined;
  AUTH_PUBLIC_JWK?: Record<string, unknown> | undefined;
  /** Most procedure calls in one batched tRPC request. */
  TRPC_MAX_BATCH?: number;
  /** Requests per minute per caller and route family before 429 (0 or absent: no limit). */
  RATE_LIMIT_PER_MINUTE?: number;
}

/** The platform pieces a service is composed from, connected, with their shutdown registered. */
export interface Platform {
  readonly service: string;
  readonly config: PlatformConfig;
  readonly logger: Logger;
  readonly mongo: Connection;
  readonly db: mongo.Db;
  readonly redis: Redis;
  readonly kafka: Kafka;
  readonly producer: EventProducer;
  /** The outbox relay's publisher: one Kafka transaction per batch (issue 10), connected on first use. */
  readonly relayPublisher: TransactionalPublisher;
  /** Per-document write locks (decision 0005), under `<prefix><service>:lock:`. */
  readonly lock: KeyedLock;
  /** Pending-outbox signals (decision 0007); the relay of this process wakes on them. */
  readonly signals: RingingOutboxSignals;
  /** Events published and not yet acknowledged: a failed acknowledgement does not send them again. */
  readonly published: PublishedMarks;
  /** Prefixes every topic and consumer group (tests, shared clusters). */
  readonly topicPrefix: string;
  /** The full name of a topic. */
  topic(name: string): string;
  /** A Redis key of this service: `<prefix><service>:<name>`. */
  key(name: string): string;
  readonly lifecycle: Lifecycle;
}

export interface PlatformOptions {
  service: string;
  config: PlatformConfig;
  /** Topics the service writes to. */
  produces?: readonly string[];
  /** Topics the service reads (their dead-letter topics are created too). */
  consumes?: readonly string[];
  /** A logger of the caller's (tests); otherwise one is made from LOG_LEVEL. */
  logger?: Logger;
  /** Broker settings over the topic's own at creation (tests: a key topic compacted within a second). */
  topicConfig?: (topic: string) => Record<string, string> | undefined;
}

/**
 * Connects MongoDB, Redis and Kafka (topics created, producer connected) and registers their
 * shutdown in reverse order: whatever the service starts afterwards stops before its clients close.
 */
export async function startPlatform(lifecycle: Lifecycle, options: PlatformOptions): Promise<Platform> {
  const { service, config } = options;
  const logger = options.logger ?? createLogger({ service, level: config.LOG_LEVEL });
  lifecycle.useLogger(logger);
  const prefix = config.KAFKA_TOPIC_PREFIX;
  const key = (name: string) => `${prefix}${service}:${name}`;
  const topic = (name: string) => topicName(name, prefix);

  const mongoConnection = await connectMongo(config.MONGO_URL, config.MONGO_DB);
  lifecycle.onShutdown("mongo", () => mongoConnection.close());
  const db = mongoConnection.db;
  if (!db) throw new Error("MongoDB connection has no database handle");
  const redis = createRedis(config.REDIS_URL, logger);
  lifecycle.onShutdown("redis", async () => {
    await redis.quit();
  });
  const kafka = createKafka({ brokers: config.KAFKA_BROKERS, clientId: config.KAFKA_CLIENT_ID ?? service, logger });
  // Per-topic settings (the compacted key topic of decision 0012) are looked up by base name; topics
  // whose consumers never dead-letter get no `.dlq`.
  const settingsOf = new Map(
    [...(options.produces ?? []), ...(options.consumes ?? [])].map((base) => [topic(base), topicSettings[base]]),
  );
  const consumed = (options.consumes ?? []).map(topic);
  const deadLettered = consumed.filter((t) => settingsOf.get(t)?.deadLetters !== false);
  await ensureTopics(
    kafka,
    [...new Set([...(options.produces ?? []).map(topic), ...consumed, ...deadLettered.map(dlqTopicOf)])],
    3,
    { configOf: (t) => ({ ...settingsOf.get(t)?.config, ...options.topicConfig?.(t) }) },
  );
  const producer = await createProducer(kafka);
  lifecycle.onShutdown("kafka producer", () => producer.disconnect());
  // One transactional id per service (and topic prefix): only the elected relay publishes, and a
  // new leader or a restarted replica fences the previous holder and aborts its open transaction.
  const relayPublisher = createTransactionalPublisher(kafka, {
    transactionalId: `${prefix}logis.${service}.outbox-relay`,
    logger,
  });
  lifecycle.onShutdown("kafka relay publisher", () => relayPublisher.disconnect());

  return {
    service,
    config,
    logger,
    mongo: mongoConnection,
    db,
    redis,
    kafka,
    producer,
    relayPublisher,
    lock: redisKeyedLock(redis, { prefix: key("lock:") }),
    signals: redisOutboxSignals(redis, key("")),
    published: redisPublishedMarks(redis, key("")),
    topicPrefix: prefix,
    topic,
    key,
    lifecycle,
  };
}

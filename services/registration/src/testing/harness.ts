import { createLocalIssuer, type DemoUser, demoUsers, generateIssuerKeys, type Principal } from "@logis/auth";
import {
  DemandDataKey,
  type DemandEvent,
  demandStream,
  openDemandEvent,
  type SealedDemandEvent,
  topics,
} from "@logis/contracts";
import { manualClock } from "@logis/domain";
import { recentEventIds } from "@logis/kafka";
import { createLogger } from "@logis/observability";
import { type RelayOptions, startOutboxRelay } from "@logis/outbox";
import { createLifecycle, serve, startPlatform } from "@logis/runtime";
import { apiClient, readTopic, testKafka, testServiceEnv, uniqueName } from "@logis/testing";
import type { mongo } from "mongoose";
import type { BatchHooks } from "../adapters/mongo/import-batches.js";
import type { Caller } from "../app/context.js";
import { composeRegistration, topicsOf } from "../compose.js";
import { loadConfig, SERVICE } from "../config.js";
import { requiredRegistrationPieces } from "../domain/procedures.js";

/** The service's configuration for a test: the engines of infra/local, a fresh database, unique topics. */
export const testConfig = (database: string, topicPrefix: string, publicJwk?: object) =>
  loadConfig(testServiceEnv({ database, topicPrefix, ...(publicJwk ? { publicJwk } : {}) }));

/** The platform and the service's parts, composed exactly as main.ts composes them. */
export async function startRegistration(
  config: ReturnType<typeof testConfig>,
  options: {
    clock: Parameters<typeof composeRegistration>[2]["clock"];
    wrapDb?: (db: mongo.Db) => mongo.Db;
    batchHooks?: BatchHooks;
    /** Broker settings over the topics' own at creation (the erasure test compacts the key topic within a second). */
    topicConfig?: (topic: string) => Record<string, string> | undefined;
  },
) {
  const logger = createLogger({ service: `${SERVICE}-test`, level: config.LOG_LEVEL });
  const steps = createLifecycle((level, msg, extra) => logger[level](extra ?? {}, msg));
  const { topicConfig, ...composeOptions } = options;
  const platform = await startPlatform(steps.lifecycle, {
    service: SERVICE,
    config,
    logger,
    ...topicsOf,
    ...(topicConfig ? { topicConfig } : {}),
  });
  const service = await composeRegistration(platform, config, composeOptions);
  return { platform, service, shutdown: steps.shutdown };
}

/**
 * The registration service in-process, composed as in production (compose.ts), on a fresh database
 * of the real engines, with a clock tests move. The relay and the scheduled jobs are not started:
 * tests start the relay when they want events on Kafka (`startRelay`) and run the jobs by hand.
 */
export async function registrationHarness(
  start = "2026-03-15T10:00:00.000Z",
  options: {
    wrapDb?: (db: mongo.Db) => mongo.Db;
    batchHooks?: BatchHooks;
    redisUrl?: string;
    /** Serve as main.ts does: the relay (with its leader election) and the scheduled jobs running. */
    asInProduction?: boolean;
    topicConfig?: (topic: string) => Record<string, string> | undefined;
    /** Topics under this prefix instead of a new one (another service's harness reads the same topics). */
    topicPrefix?: string;
  } = {},
) {
  const dbName = uniqueName("reg");
  const topicPrefix = options.topicPrefix ?? uniqueName("t");
  const clock = manualClock(start);
  const keys = await generateIssuerKeys();
  // A Redis of the test's own (one it stops and restarts) instead of the shared one.
  const config = {
    ...testConfig(dbName, topicPrefix, keys.publicJwk),
    ...(options.redisUrl ? { REDIS_URL: options.redisUrl } : {}),
  };
  const { redisUrl: _redis, asInProduction, topicPrefix: _prefix, ...startOptions } = options;
  const { platform, service, shutdown } = await startRegistration(config, { clock, ...startOptions });
  const serving = await serve(
    platform,
    service.parts,
    asInProduction ? { port: 0 } : { port: 0, relay: false, jobs: false },
  );
  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  /** `call` and `authHeader` as a demo user (or a custom principal, or anonymously for `call`). */
  const client = apiClient<DemoUser | Principal>(serving.base, (who) =>
    issuer.issue(typeof who === "string" ? demoUsers[who] : who),
  );
  const { authHeader } = client;
  /**
   * A registration without `pieces` is sent with the pieces its form requires (each adult's identity
   * document): tests written before pieces were recorded keep registering; the piece rule's own tests
   * send `pieces`.
   */
  const withPieces = <T>(body: T): T => {
    const b = body as { demande?: Parameters<typeof requiredRegistrationPieces>[0]; pieces?: unknown };
    if (!b || typeof b !== "object" || !b.demande || b.pieces !== undefined) return body;
    return {
      ...b,
      pieces: { recues: requiredRegistrationPieces(b.demande, [], service.deps.rules(clock.now())) },
    } as T;
  };
  const call: typeof client.call = (who, method, path, body) =>
    client.call(who, method, path, method === "POST" && path === "/v1/demandes" ? withPieces(body) : body);
  const uc = {
    ...service.uc,
    registerDemand: (c: Caller, input: Parameters<typeof service.uc.registerDemand>[1]) =>
      service.uc.registerDemand(c, withPieces(input)),
  };

  const caller = (who: DemoUser): Caller => ({ principal: demoUsers[who], correlationId: uniqueName("cor_") });
  const demandTopic = platform.topic(topics.demand);

  /** Starts the service's outbox relay (every store the service relays) on the real Kafka. */
  async function startRelay(relayOptions: Partial<RelayOptions> = {}) {
    const relay = startOutboxRelay({
      stores: [...service.parts.outbox],
      producer: platform.relayPublisher,
      logger: platform.logger,
      wakeOn: platform.signals,
      published: platform.published,
      recentlyPublished: (topic, perPartition) => recentEventIds(platform.kafka, topic, perPartition),
      ...relayOptions,
    });
    return { relay, stop: () => relay.stop() };
  }

  const keyTopic = platform.topic(topics.demandKey);
  /** The key topic as it is now: every record in order (`value` null: a tombstone). */
  async function keyRecords() {
    return (await readTopic(testKafka(), keyTopic)).map((m) => ({
      kid: m.key?.toString() ?? "",
      value: m.value === null ? null : DemandDataKey.parse(JSON.parse(m.value.toString())),
    }));
  }
  /** The keys a consumer reading the key topic now would hold (the last record of each demand, tombstones honoured). */
  async function keysOnTopic() {
    const keys = new Map<string, string>();
    for (const r of await keyRecords()) {
      if (r.value === null) keys.delete(r.kid);
      else keys.set(r.kid, r.value.key);
    }
    return keys;
  }
  /** The events of one demand as they travel on the demand topic (facts sealed), in the order they were published. */
  async function sealedEventsOf(demandId: string): Promise<SealedDemandEvent[]> {
    return (await readTopic(testKafka(), demandTopic))
      .map((m) => demandStream.schema.parse(JSON.parse(m.value?.toString() ?? "")))
      .filter((e) => e.aggregateId === demandId);
  }
  /** The events of one demand, opened with the keys on the key topic as a consumer would (its key must be there). */
  async function demandEventsOf(demandId: string): Promise<DemandEvent[]> {
    const keys = await keysOnTopic();
    return (await sealedEventsOf(demandId)).map((e) => {
      const opened = openDemandEvent(e, (kid) => keys.get(kid));
      if (!opened) throw new Error(`no key on the key topic for ${demandId}`);
      return opened;
    });
  }

  return {
    db: service.db,
    platform,
    dbName,
    connection: platform.mongo,
    redis: platform.redis,
    lock: platform.lock,
    signals: platform.signals,
    deps: service.deps,
    uc,
    scans: service.scans,
    imports: service.imports,
    exports: service.exports,
    runningExports: service.runningExports,
    keptExports: service.keptExports,
    worker: service.worker,
    clock,
    logger: platform.logger,
    topicPrefix,
    base: serving.base,
    call,
    authHeader,
    demands: service.demands,
    caller,
    startRelay,
    demandEventsOf,
    sealedEventsOf,
    keyRecords,
    keysOnTopic,
    async close() {
      await platform.mongo.dropDatabase().catch(() => undefined);
      await shutdown();
    },
  };
}
export type RegistrationHarness = Awaited<ReturnType<typeof registrationHarness>>;

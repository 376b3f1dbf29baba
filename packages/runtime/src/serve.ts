import { cachedVerifier, createVerifier, type Verifier } from "@logis/auth";
import { createHttpApp, listen, mountRoutes, mountTrpc, type RestRoute, referencePage } from "@logis/http";
import { recentEventIds } from "@logis/kafka";
import { mongoReady, type OutboxStore, type RelayOptions, type RunningRelay, startOutboxRelay } from "@logis/outbox";
import { leaderElection, redisRateCounter } from "@logis/redis";
import type { AnyRouter } from "@trpc/server";
import { type ScheduledJob, scheduleJob } from "./jobs.js";
import type { Platform } from "./platform.js";

/** A background worker a service starts once it serves (a Kafka consumer, say). */
export interface Worker {
  stop(): Promise<void>;
  /** Reported by /readyz (a projection caught up with its topic, say). */
  isReady?(): boolean;
}

/** What a service's compose.ts hands to `serve`: its interfaces and its background work. */
export interface ServiceParts {
  /** tRPC router (the console), REST routes and their OpenAPI document (outside systems). */
  http: {
    trpc: AnyRouter;
    rest: readonly RestRoute[];
    openApi: object;
    /** Most procedure calls in one tRPC batch request (otherwise config.TRPC_MAX_BATCH). */
    trpcMaxBatch?: number;
  };
  /** Where the relay finds this service's pending events, in publishing order. */
  outbox: readonly OutboxStore[];
  jobs?: readonly ScheduledJob[];
  /** Started after HTTP and the relay, stopped before them. */
  workers?: Record<string, () => Promise<Worker>>;
}

export interface ServeOptions {
  /** Overrides config.PORT (0: any free port, for tests). */
  port?: number;
  /** Tests start the relay themselves (crash seams) or not at all. */
  relay?: false | Partial<Pick<RelayOptions, "afterPublish" | "batchSize" | "idleMs" | "maxIdleMs">>;
  /** Tests run jobs by hand. */
  jobs?: boolean;
  verifier?: Verifier;
}

export interface Serving {
  port: number;
  /** `http://host:port`. */
  base: string;
  relay: RunningRelay | undefined;
  workers: Record<string, Worker>;
}

/**
 * Serves a composed service: HTTP (/healthz, /readyz with a real database query, tRPC, REST,
 * /openapi.json and its reference page /docs), the outbox relay (one leader, woken by this process's writes), the workers and
 * the scheduled jobs; every piece registers its shutdown.
 */
export async function serve(platform: Platform, parts: ServiceParts, options: ServeOptions = {}): Promise<Serving> {
  const { config, logger, lifecycle } = platform;
  const workers: Record<string, Worker> = {};
  const verifier =
    options.verifier ??
    cachedVerifier(
      createVerifier({
        issuer: config.AUTH_ISSUER,
        audience: config.AUTH_AUDIENCE,
        jwksUrl: config.AUTH_JWKS_URL,
        publicJwk: config.AUTH_PUBLIC_JWK,
      }),
    );
  const workerChecks = () =>
    Object.fromEntries(
      Object.entries(parts.workers ?? {}).map(([name]) => [name, () => workers[name]?.isReady?.() ?? !!workers[name]]),
    );
  const perMinute = config.RATE_LIMIT_PER_MINUTE ?? 0;
  const app = createHttpApp({
    logger,
    verifier,
    ...(perMinute > 0
      ? {
          rateLimit: {
            limit: perMinute,
            windowMs: 60_000,
            counter: redisRateCounter(platform.redis, platform.key("")),
          },
        }
      : {}),
    readiness: {
      // A real query with a short timeout: a connected but frozen database is not ready (decision 0009).
      mongo: mongoReady(platform.mongo),
      redis: () => platform.redis.status === "ready",
      ...workerChecks(),
    },
    routes: (a) => {
      mountTrpc(a, "/trpc", parts.http.trpc, { maxBatchSize: parts.http.trpcMaxBatch ?? config.TRPC_MAX_BATCH ?? 20 });
      mountRoutes(a, parts.http.rest);
      a.get("/openapi.json", (_req, res) => {
        res.json(parts.http.openApi);
      });
      // The readable reference, in French, rendered once from the same document.
      let reference: string | undefined;
      a.get("/docs", (_req, res) => {
        reference ??= referencePage(parts.http.openApi);
        res.type("html").send(reference);
      });
    },
  });
  const http = await listen(app, options.port ?? config.PORT, config.HOST);
  lifecycle.onShutdown("http", () => http.close());

  let relay: RunningRelay | undefined;
  if (options.relay !== false) {
    const leader = leaderElection(platform.redis, platform.key("outbox-relay"));
    relay = startOutboxRelay({
      stores: [...parts.outbox],
      producer: platform.relayPublisher,
      logger,
      isLeader: leader.isLeader,
      wakeOn: platform.signals,
      published: platform.published,
      recentlyPublished: (topic, perPartition) => recentEventIds(platform.kafka, topic, perPartition),
      ...(options.relay ?? {}),
    });
    const running = relay;
    lifecycle.onShutdown("outbox relay", async () => {
      await running.stop();
      await leader.resign();
    });
  }

  for (const [name, start] of Object.entries(parts.workers ?? {})) {
    const worker = await start();
    workers[name] = worker;
    lifecycle.onShutdown(name, () => worker.stop());
  }
  if (options.jobs !== false) for (const job of parts.jobs ?? []) scheduleJob(platform, job);

  logger.info({ port: http.port, host: config.HOST }, "listening");
  return { port: http.port, base: `http://${config.HOST}:${http.port}`, relay, workers };
}

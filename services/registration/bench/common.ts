// Shared set-up of the benchmarks: the registration service in-process on a fresh database of the
// real engines started by infra/local (not a test: run with `pnpm --filter @logis/registration bench:*`).
import { createLocalIssuer, createVerifier, demoUsers, generateIssuerKeys } from "@logis/auth";
import { systemClock } from "@logis/domain";
import { createHttpApp, listen, mountRoutes } from "@logis/http";
import { createLogger } from "@logis/observability";
import { connectMongo } from "@logis/outbox";
import { createRedis, redisKeyedLock } from "@logis/redis";
import { testEnv, uniqueName } from "@logis/testing";
import { mongoDemandRepository } from "../src/adapters/mongo/demand-repository.js";
import { redisNumberAllocator } from "../src/adapters/mongo/number-allocator.js";
import { mongoReadAudit } from "../src/adapters/mongo/read-audit.js";
import { exportDemands } from "../src/app/export-demands.js";
import { demandImports } from "../src/app/import-demands.js";
import { duplicateScans } from "../src/app/scan-duplicates.js";
import { useCases } from "../src/app/use-cases.js";
import { restRoutes } from "../src/http/rest.js";

export async function benchService() {
  const logger = createLogger({ service: "bench", level: "warn" });
  const dbName = uniqueName("bench");
  const mongo = await connectMongo(testEnv().MONGO_URL, dbName);
  const db = mongo.db;
  if (!db) throw new Error("no db");
  const redis = createRedis(testEnv().REDIS_URL, logger);
  const topicPrefix = uniqueName("b");
  const lock = redisKeyedLock(redis, { prefix: `${topicPrefix}:lock:` });
  const demands = mongoDemandRepository(db, { topicPrefix, lock });
  const audit = mongoReadAudit(db);
  await demands.ensureIndexes();
  await audit.ensureIndexes();
  const deps = {
    demands,
    numbers: redisNumberAllocator(redis, demands.maxSequence, `${topicPrefix}:`),
    audit,
    clock: systemClock,
  };
  const scans = duplicateScans({ ...deps, db, lock, topicPrefix, logger });
  const imports = demandImports({ ...deps, db, importer: demands, logger });
  const uc = useCases(deps, scans, imports, exportDemands({ ...deps, db }));
  const keys = await generateIssuerKeys();
  const token = await createLocalIssuer({
    privateJwk: keys.privateJwk,
    issuer: "logis-local",
    audience: "logis",
  }).issue(demoUsers.guichet);
  const app = createHttpApp({
    logger,
    verifier: createVerifier({ issuer: "logis-local", audience: "logis", publicJwk: keys.publicJwk }),
    routes: (a) => mountRoutes(a, restRoutes(uc)),
  });
  const server = await listen(app, 0, "127.0.0.1");
  return {
    db,
    mongo,
    redis,
    lock,
    logger,
    topicPrefix,
    demands,
    imports,
    base: `http://127.0.0.1:${server.port}`,
    token,
    async close() {
      await server.close();
      await mongo.dropDatabase();
      await mongo.close();
      await redis.quit();
    },
  };
}

/** Runs `task(i)` for i in [0, n) with at most `concurrency` in flight; returns the elapsed seconds. */
export async function timed(n: number, concurrency: number, task: (i: number) => Promise<void>): Promise<number> {
  let next = 0;
  const start = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      for (let i = next++; i < n; i = next++) await task(i);
    }),
  );
  return (performance.now() - start) / 1000;
}

export const rate = (n: number, seconds: number) => `${Math.round(n / seconds).toLocaleString("fr-FR")}/s`;

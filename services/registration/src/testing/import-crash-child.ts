// An importer that kills itself (SIGKILL: no cleanup, its batch lock stays held until it expires)
// right after storing a batch's demands, before committing the batch. Run by
// import-batches.int.test.ts with `node --import tsx`.
import { demoUsers } from "@logis/auth";
import { systemClock } from "@logis/domain";
import { createLogger } from "@logis/observability";
import { connectMongo } from "@logis/outbox";
import { createRedis, redisKeyedLock } from "@logis/redis";
import { testEnv } from "@logis/testing";
import { mongoDemandRepository } from "../adapters/mongo/demand-repository.js";
import { redisNumberAllocator } from "../adapters/mongo/number-allocator.js";
import { mongoReadAudit } from "../adapters/mongo/read-audit.js";
import { redisOutboxSignals } from "../adapters/redis/outbox-signals.js";
import { demandImports } from "../app/import-demands.js";

const [dbName, topicPrefix, file] = process.argv.slice(2);
if (!dbName || !topicPrefix || !file) throw new Error("usage: import-crash-child DB TOPIC_PREFIX FILE");

const logger = createLogger({ service: "import-crash-child", level: "warn" });
const connection = await connectMongo(testEnv().MONGO_URL, dbName);
const db = connection.db;
if (!db) throw new Error("no database handle");
const redis = createRedis(testEnv().REDIS_URL, logger);
const demands = mongoDemandRepository(db, {
  topicPrefix,
  lock: redisKeyedLock(redis, { prefix: `${topicPrefix}:lock:` }),
  signals: redisOutboxSignals(redis, `${topicPrefix}:`),
  batchHooks: {
    afterDemands: () => {
      process.kill(process.pid, "SIGKILL");
    },
  },
});
const deps = {
  demands,
  numbers: redisNumberAllocator(redis, demands.maxSequence, `${topicPrefix}:`),
  audit: mongoReadAudit(db),
  clock: systemClock,
};
const imports = demandImports({ ...deps, db, importer: demands, logger });
const { done } = await imports.start(
  { principal: demoUsers.guichet, correlationId: "cor_crash" },
  {
    format: "csv",
    departement: "69",
    file,
  },
);
await done;

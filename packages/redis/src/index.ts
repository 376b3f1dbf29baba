export type { KeyedLock } from "./keyed-lock.js";
export {
  acquireLock,
  createRedis,
  extendLock,
  leaderElection,
  redisKeyedLock,
  redisRateCounter,
  releaseLock,
  withLock,
} from "./redis.js";

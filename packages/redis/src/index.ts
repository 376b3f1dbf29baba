export type { KeyedLock } from "./keyed-lock.js";
export {
  acquireLock,
  createRedis,
  extendLock,
  leaderElection,
  redisKeyedLock,
  releaseLock,
  withLock,
} from "./redis.js";

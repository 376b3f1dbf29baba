export {
  acquireLock,
  createRedis,
  extendLock,
  leaderElection,
  redisKeyedLock,
  releaseLock,
  withLock,
} from "./redis.js";

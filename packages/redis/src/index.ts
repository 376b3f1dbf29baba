export { acquireLock, createRedis, extendLock, leaderElection, releaseLock, withLock } from "./redis.js";

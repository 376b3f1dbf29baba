export {
  authEnv,
  authKeyMessage,
  envHelpers,
  hasAuthKey,
  httpEnv,
  kafkaEnv,
  mongoEnv,
  redisEnv,
  serviceEnv,
} from "./fragments.js";
export { ConfigError, parseEnv } from "./parse-env.js";
export { serviceConfig } from "./service-config.js";

import { testEnv } from "./config.js";

/**
 * The environment a service's configuration is parsed from in a test: the engines of infra/local,
 * a database and a topic prefix of the test's own, the local issuer's public key, any port.
 */
export function testServiceEnv(options: {
  database: string;
  topicPrefix: string;
  publicJwk?: object;
  logLevel?: string;
}): Record<string, string> {
  const env = testEnv();
  return {
    LOG_LEVEL: options.logLevel ?? "warn",
    PORT: "0",
    KAFKA_BROKERS: env.KAFKA_BROKERS,
    KAFKA_TOPIC_PREFIX: options.topicPrefix,
    MONGO_URL: env.MONGO_URL,
    MONGO_DB: options.database,
    REDIS_URL: env.REDIS_URL,
    AUTH_PUBLIC_JWK: JSON.stringify(options.publicJwk ?? { kty: "EC", crv: "P-256", x: "", y: "" }),
  };
}

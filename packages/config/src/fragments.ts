import { z } from "zod";

/** `a,b , c` → ["a","b","c"]. */
const csv = z
  .string()
  .transform((s) => s.split(",").map((p) => p.trim()))
  .pipe(z.array(z.string().min(1)).min(1));

const bool = z.enum(["true", "false", "1", "0"]).transform((v) => v === "true" || v === "1");

const hostPort = z.string().regex(/^[^\s:]+:\d{1,5}$/, "expected host:port");

export const serviceEnv = z.object({
  NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
  LOG_LEVEL: z.enum(["fatal", "error", "warn", "info", "debug", "trace", "silent"]).default("info"),
});

export const httpEnv = z.object({
  PORT: z.coerce.number().int().min(0).max(65535),
  HOST: z.string().default("127.0.0.1"),
});

export const kafkaEnv = z.object({
  KAFKA_BROKERS: csv.pipe(z.array(hostPort)),
  KAFKA_CLIENT_ID: z.string().min(1).optional(),
  /** Prefixes every topic and consumer group: isolates tests and shared dev clusters. */
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[a-z0-9._-]*$/, "lower-case letters, digits, '.', '_' and '-' only")
    .default(""),
});

export const mongoEnv = z.object({
  MONGO_URL: z.string().regex(/^mongodb(\+srv)?:\/\//, "expected a mongodb:// URL"),
  MONGO_DB: z.string().regex(/^[A-Za-z][A-Za-z0-9_-]*$/, "letters, digits, '_' and '-', starting with a letter"),
});

export const redisEnv = z.object({
  REDIS_URL: z.string().regex(/^rediss?:\/\//, "expected a redis:// URL"),
});

export const authEnv = z.object({
  AUTH_ISSUER: z.string().min(1).default("logis-local"),
  AUTH_AUDIENCE: z.string().min(1).default("logis"),
  /** Production: the identity provider's JWKS. */
  AUTH_JWKS_URL: z.url().optional(),
  /** Local development: the local issuer's public key as a JSON JWK. */
  AUTH_PUBLIC_JWK: z
    .string()
    .transform((s, ctx) => {
      try {
        return JSON.parse(s) as Record<string, unknown>;
      } catch {
        ctx.addIssue({ code: "custom", message: "is not valid JSON" });
        return z.NEVER;
      }
    })
    .optional(),
});

/** For a service schema that includes authEnv: `.refine(hasAuthKey, authKeyMessage)`. */
export const hasAuthKey = (e: { AUTH_JWKS_URL?: string | undefined; AUTH_PUBLIC_JWK?: unknown }) =>
  e.AUTH_JWKS_URL !== undefined || e.AUTH_PUBLIC_JWK !== undefined;
export const authKeyMessage = { message: "set AUTH_JWKS_URL or AUTH_PUBLIC_JWK", path: ["AUTH_PUBLIC_JWK"] };

export const envHelpers = { csv, bool, hostPort };

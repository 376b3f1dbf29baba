import { z } from "zod";
import { authEnv, authKeyMessage, hasAuthKey, httpEnv, kafkaEnv, mongoEnv, redisEnv, serviceEnv } from "./fragments.js";
import { parseEnv } from "./parse-env.js";

/** Settings every service has beyond the engines: the tRPC batch limit (the console sends a handful). */
const platformSettings = {
  /** Most procedure calls in one batched tRPC request: 400 beyond, none run. */
  TRPC_MAX_BATCH: z.coerce.number().int().min(1).default(20),
  /** Requests per minute per caller and route family before 429 (0: no limit). */
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().min(0).default(1200),
};

/**
 * A service's configuration: the platform's variables (engines, HTTP, auth) with the service's
 * port and database as defaults, plus its own settings. `load` is the only reader of process.env.
 */
export function serviceConfig<S extends z.ZodRawShape>(defaults: { port: number; database: string }, own: S) {
  const schema = z
    .object({
      ...serviceEnv.shape,
      ...httpEnv.shape,
      PORT: z.coerce.number().int().min(0).max(65535).default(defaults.port),
      ...kafkaEnv.shape,
      ...mongoEnv.shape,
      MONGO_DB: mongoEnv.shape.MONGO_DB.default(defaults.database),
      ...redisEnv.shape,
      ...authEnv.shape,
      ...platformSettings,
      ...own,
    })
    .refine((env) => hasAuthKey(env as Parameters<typeof hasAuthKey>[0]), authKeyMessage);
  return {
    schema,
    load: (env: Record<string, string | undefined> = process.env): z.infer<typeof schema> => parseEnv(schema, env),
  };
}

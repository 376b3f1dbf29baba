import {
  authEnv,
  authKeyMessage,
  hasAuthKey,
  httpEnv,
  kafkaEnv,
  mongoEnv,
  parseEnv,
  redisEnv,
  serviceEnv,
} from "@logis/config";
import { z } from "zod";

export const SERVICE = "registration";

/** The only file that reads process.env. */
export const Config = z
  .object({
    ...serviceEnv.shape,
    ...httpEnv.shape,
    PORT: z.coerce.number().int().min(0).max(65535).default(3001),
    ...kafkaEnv.shape,
    ...mongoEnv.shape,
    MONGO_DB: mongoEnv.shape.MONGO_DB.default("logis-registration"),
    ...redisEnv.shape,
    ...authEnv.shape,
    /** How often the scheduled lifecycle steps run (renewal notices, cancellations, purges). */
    LIFECYCLE_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(15 * 60_000),
  })
  .refine(hasAuthKey, authKeyMessage);
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => parseEnv(Config, env);

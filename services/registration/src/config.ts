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

/** The default largest import upload: a département's stock as SNE XML, with room to spare. */
export const DEFAULT_IMPORT_MAX_BYTES = 200 * 1024 * 1024;
/** The default most procedure calls in one batched tRPC request (the console sends a handful). */
export const DEFAULT_TRPC_MAX_BATCH = 20;

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
    /** Largest import upload (bytes), checked while it streams in: 413 beyond, nothing stored. */
    IMPORT_MAX_BYTES: z.coerce.number().int().min(1).default(DEFAULT_IMPORT_MAX_BYTES),
    /** Most procedure calls in one batched tRPC request: 400 beyond, none run. */
    TRPC_MAX_BATCH: z.coerce.number().int().min(1).default(DEFAULT_TRPC_MAX_BATCH),
  })
  .refine(hasAuthKey, authKeyMessage);
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => parseEnv(Config, env);

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

export const SERVICE = "cotation";

/** The only file that reads process.env. */
export const Config = z
  .object({
    ...serviceEnv.shape,
    ...httpEnv.shape,
    PORT: z.coerce.number().int().min(0).max(65535).default(3002),
    ...kafkaEnv.shape,
    ...mongoEnv.shape,
    MONGO_DB: mongoEnv.shape.MONGO_DB.default("logis-cotation"),
    ...redisEnv.shape,
    ...authEnv.shape,
    /** Rows reserved up front in the projection (it grows by doubling). */
    PROJECTION_CAPACITY: z.coerce.number().int().min(16).default(65_536),
    /** How often published grids are reloaded (publications by other instances). */
    GRIDS_REFRESH_MS: z.coerce.number().int().min(1_000).default(30_000),
    /** Points per score band: DemandScored is emitted when a demand changes band, decile or grid. */
    SCORE_BAND_WIDTH: z.coerce.number().positive().default(25),
    /** How often the DemandScored run compares the scores with the last emitted ones. */
    SCORE_EVENTS_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(60 * 60_000),
    /** Most procedure calls in one batched tRPC request: 400 beyond, none run. */
    TRPC_MAX_BATCH: z.coerce.number().int().min(1).default(20),
  })
  .refine(hasAuthKey, authKeyMessage);
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => parseEnv(Config, env);

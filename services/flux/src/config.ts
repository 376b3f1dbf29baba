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

export const SERVICE = "flux";

export const DEFAULT_IMPORT_MAX_BYTES = 50 * 1024 * 1024;

/** The only file that reads process.env. */
export const Config = z
  .object({
    ...serviceEnv.shape,
    ...httpEnv.shape,
    PORT: z.coerce.number().int().min(0).max(65535).default(3003),
    ...kafkaEnv.shape,
    ...mongoEnv.shape,
    MONGO_DB: mongoEnv.shape.MONGO_DB.default("logis-flux"),
    ...redisEnv.shape,
    ...authEnv.shape,
    /** Largest housing-stock CSV accepted by an import (413 beyond, while streaming). */
    IMPORT_MAX_BYTES: z.coerce.number().int().min(1).default(DEFAULT_IMPORT_MAX_BYTES),
    /**
     * How close to the furthest-behind reserver (in units) another may be to get a unit for the
     * typology / QPV mix of the orientation.
     */
    ORIENTATION_TOLERANCE: z.coerce.number().min(0).max(5).default(0.5),
  })
  .refine(hasAuthKey, authKeyMessage);
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => parseEnv(Config, env);

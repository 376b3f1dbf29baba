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

export const SERVICE = "template";

/** The only file that reads process.env; everything else receives Config. */
export const Config = z
  .object({
    ...serviceEnv.shape,
    ...httpEnv.shape,
    PORT: z.coerce.number().int().min(0).max(65535).default(3000),
    ...kafkaEnv.shape,
    ...mongoEnv.shape,
    MONGO_DB: mongoEnv.shape.MONGO_DB.default("logis-template"),
    ...redisEnv.shape,
    ...authEnv.shape,
  })
  .refine(hasAuthKey, authKeyMessage);
export type Config = z.infer<typeof Config>;

export const loadConfig = (env: Record<string, string | undefined> = process.env): Config => parseEnv(Config, env);

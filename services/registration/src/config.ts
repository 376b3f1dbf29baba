import { serviceConfig } from "@logis/config";
import { z } from "zod";

export const SERVICE = "registration";

/** The default largest import upload: a département's stock as SNE XML, with room to spare. */
export const DEFAULT_IMPORT_MAX_BYTES = 200 * 1024 * 1024;

const config = serviceConfig(
  { port: 3001, database: "logis-registration" },
  {
    /** How often the scheduled lifecycle steps run (renewal notices, cancellations, purges). */
    LIFECYCLE_INTERVAL_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(15 * 60_000),
    /** Largest import upload (bytes), checked while it streams in: 413 beyond, nothing stored. */
    IMPORT_MAX_BYTES: z.coerce.number().int().min(1).default(DEFAULT_IMPORT_MAX_BYTES),
  },
);
export const Config = config.schema;
export type Config = z.infer<typeof Config>;
/** The only reader of process.env. */
export const loadConfig = config.load;

import { serviceConfig } from "@logis/config";
import { z } from "zod";

export const SERVICE = "flux";

export const DEFAULT_IMPORT_MAX_BYTES = 50 * 1024 * 1024;

const config = serviceConfig(
  { port: 3003, database: "logis-flux" },
  {
    /** Largest housing-stock CSV accepted by an import (413 beyond, while streaming). */
    IMPORT_MAX_BYTES: z.coerce.number().int().min(1).default(DEFAULT_IMPORT_MAX_BYTES),
    /**
     * How close to the furthest-behind reserver (in units) another may be to get a unit for the
     * typology / QPV mix of the orientation.
     */
    ORIENTATION_TOLERANCE: z.coerce.number().min(0).max(5).default(0.5),
    /** How often the pass over designation deadlines runs (UnitDesignationExpired), in milliseconds. */
    DESIGNATION_CHECK_EVERY_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(15 * 60_000),
  },
);
export const Config = config.schema;
export type Config = z.infer<typeof Config>;
/** The only reader of process.env. */
export const loadConfig = config.load;

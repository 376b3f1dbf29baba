import { serviceConfig } from "@logis/config";
import { z } from "zod";

export const SERVICE = "cotation";

const config = serviceConfig(
  { port: 3002, database: "logis-cotation" },
  {
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
    /** Signs the links applicants get to read their cotation (≥ 32 characters; unset: random per process). */
    EXPLANATION_LINK_SECRET: z.string().min(32).optional(),
    /** How long such a link is valid. */
    EXPLANATION_LINK_DAYS: z.coerce.number().int().min(1).max(365).default(30),
  },
);
export const Config = config.schema;
export type Config = z.infer<typeof Config>;
/** The only reader of process.env. */
export const loadConfig = config.load;

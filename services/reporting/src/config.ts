import { serviceConfig } from "@logis/config";
import { z } from "zod";

export const SERVICE = "reporting";

// The platform's variables (engines, HTTP, auth) with this service's port and database, and its own.
const config = serviceConfig(
  { port: 3005, database: "logis-reporting" },
  {
    /** Inter-landlord exports show counts under this threshold as "s" (statistical secrecy). */
    MASK_THRESHOLD: z.coerce.number().int().min(1).max(100).default(5),
    /** How often the legal quotas are checked against their targets (alerts through the outbox), in milliseconds. */
    QUOTA_CHECK_EVERY_MS: z.coerce
      .number()
      .int()
      .min(1_000)
      .default(60 * 60_000),
  },
);
export const Config = config.schema;
export type Config = z.infer<typeof Config>;
/** The only reader of process.env. */
export const loadConfig = config.load;

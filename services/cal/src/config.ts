import { serviceConfig } from "@logis/config";
import { z } from "zod";

export const SERVICE = "cal";

// The platform's variables (engines, HTTP, auth) with this service's port and database; its own
// settings go in the second argument.
const config = serviceConfig(
  { port: 3004, database: "logis-cal" },
  {
    /** Cotation's base URL: the ranking the landlord's shortlists are drawn from (decision 0011). */
    COTATION_URL: z.url().default("http://127.0.0.1:3002"),
    /** The CAL's service token for cotation (a principal with `score.read` on the EPCIs it serves). */
    COTATION_TOKEN: z.string().min(20).optional(),
  },
);
export const Config = config.schema;
export type Config = z.infer<typeof Config>;
/** The only reader of process.env. */
export const loadConfig = config.load;

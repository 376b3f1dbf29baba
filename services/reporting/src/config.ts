import { serviceConfig } from "@logis/config";
import type { z } from "zod";

export const SERVICE = "reporting";

// The platform's variables (engines, HTTP, auth) with this service's port and database; its own
// settings go in the second argument.
const config = serviceConfig({ port: 3005, database: "logis-reporting" }, {});
export const Config = config.schema;
export type Config = z.infer<typeof Config>;
/** The only reader of process.env. */
export const loadConfig = config.load;

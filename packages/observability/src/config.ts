import { z } from "zod";

/**
 * OpenTelemetry settings. Read by instrument.ts, which must run before any other module is loaded
 * (node --import), hence before a service parses its own configuration.
 */
export const OtelEnv = z.object({
  OTEL_SERVICE_NAME: z.string().min(1).default("logis"),
  /** OTLP/HTTP endpoint (e.g. http://127.0.0.1:4318); traces are only exported when set. */
  OTEL_EXPORTER_OTLP_ENDPOINT: z.url().optional(),
  OTEL_SDK_DISABLED: z.enum(["true", "false"]).default("false"),
});
export type OtelEnv = z.infer<typeof OtelEnv>;

export const loadOtelEnv = (env: Record<string, string | undefined> = process.env): OtelEnv =>
  OtelEnv.parse(Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== "")));

import { type Meter, metrics } from "@opentelemetry/api";

/** The project's meter; instruments are created once per module and reused. */
export const meter = (): Meter => metrics.getMeter("logis");

export { loadOtelEnv, OtelEnv } from "./config.js";
export { createLogger, type Logger, type LoggerOptions } from "./logger.js";
export { meter } from "./metrics.js";
export { startTelemetry } from "./sdk.js";
export { contextFromHeaders, currentTraceHeaders, SpanKind, tracer, withSpan } from "./tracing.js";

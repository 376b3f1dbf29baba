import { W3CTraceContextPropagator } from "@opentelemetry/core";
import { OTLPMetricExporter } from "@opentelemetry/exporter-metrics-otlp-http";
import { OTLPTraceExporter } from "@opentelemetry/exporter-trace-otlp-http";
import { ExpressInstrumentation } from "@opentelemetry/instrumentation-express";
import { HttpInstrumentation } from "@opentelemetry/instrumentation-http";
import { IORedisInstrumentation } from "@opentelemetry/instrumentation-ioredis";
import { MongooseInstrumentation } from "@opentelemetry/instrumentation-mongoose";
import { resourceFromAttributes } from "@opentelemetry/resources";
import { type MetricReader, PeriodicExportingMetricReader } from "@opentelemetry/sdk-metrics";
import { NodeSDK } from "@opentelemetry/sdk-node";
import { BatchSpanProcessor, type SpanExporter, type SpanProcessor } from "@opentelemetry/sdk-trace";
import { ATTR_SERVICE_NAME } from "@opentelemetry/semantic-conventions";
import type { OtelEnv } from "./config.js";

/**
 * Starts the OpenTelemetry SDK: HTTP, express, mongoose and ioredis are instrumented automatically;
 * Kafka spans are created by @logis/kafka, which carries the trace context in message headers.
 * Traces and metrics are exported over OTLP/HTTP when OTEL_EXPORTER_OTLP_ENDPOINT is set.
 */
export function startTelemetry(env: OtelEnv, extraExporters: SpanExporter[] = []): NodeSDK | undefined {
  if (env.OTEL_SDK_DISABLED === "true") return undefined;
  const exporters: SpanExporter[] = [...extraExporters];
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) {
    exporters.push(new OTLPTraceExporter({ url: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/traces` }));
  }
  const spanProcessors: SpanProcessor[] = exporters.map((exporter) => new BatchSpanProcessor({ exporter }));
  // Metrics (consumer outcomes, events published, HTTP durations) go to the same OTLP endpoint.
  const metricReader: MetricReader | undefined = env.OTEL_EXPORTER_OTLP_ENDPOINT
    ? new PeriodicExportingMetricReader({
        exporter: new OTLPMetricExporter({ url: `${env.OTEL_EXPORTER_OTLP_ENDPOINT.replace(/\/$/, "")}/v1/metrics` }),
        exportIntervalMillis: 15_000,
      })
    : undefined;
  const sdk = new NodeSDK({
    resource: resourceFromAttributes({ [ATTR_SERVICE_NAME]: env.OTEL_SERVICE_NAME }),
    spanProcessors,
    ...(metricReader ? { metricReaders: [metricReader] } : {}),
    textMapPropagator: new W3CTraceContextPropagator(),
    instrumentations: [
      new HttpInstrumentation({
        ignoreIncomingRequestHook: (req) => ["/healthz", "/readyz", "/metrics"].includes(req.url ?? ""),
      }),
      new ExpressInstrumentation(),
      new MongooseInstrumentation(),
      new IORedisInstrumentation(),
    ],
  });
  sdk.start();
  return sdk;
}

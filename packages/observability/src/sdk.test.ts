import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { metrics, trace } from "@opentelemetry/api";
import { afterAll, expect, it } from "vitest";
import { startTelemetry } from "./sdk.js";

const received: string[] = [];
const collector = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    received.push(`${req.method} ${req.url}`);
    res.writeHead(200, { "content-type": "application/json" }).end("{}");
  });
});
afterAll(() => {
  collector.close();
});

it("exports traces and metrics over OTLP/HTTP to the configured endpoint", async () => {
  await new Promise<void>((resolve) => collector.listen(0, "127.0.0.1", resolve));
  const { port } = collector.address() as AddressInfo;
  const sdk = startTelemetry({
    OTEL_SERVICE_NAME: "otel-test",
    OTEL_EXPORTER_OTLP_ENDPOINT: `http://127.0.0.1:${port}`,
    OTEL_SDK_DISABLED: "false",
  });
  expect(sdk).toBeDefined();
  trace.getTracer("test").startActiveSpan("work", (span) => span.end());
  metrics.getMeter("test").createCounter("logis_test_total").add(3);
  await sdk?.shutdown(); // flushes both exporters
  expect(received).toContain("POST /v1/traces");
  expect(received).toContain("POST /v1/metrics");
});

it("exports nothing and starts nothing when disabled", () => {
  expect(startTelemetry({ OTEL_SERVICE_NAME: "x", OTEL_SDK_DISABLED: "true" })).toBeUndefined();
});

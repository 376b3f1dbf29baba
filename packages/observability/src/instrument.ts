// Loaded with `node --import @logis/observability/instrument dist/main.js`, before any instrumented
// module (http, express, mongoose, ioredis) is imported, so that the SDK can patch them.
import { loadOtelEnv } from "./config.js";
import { startTelemetry } from "./sdk.js";

const sdk = startTelemetry(loadOtelEnv());
if (sdk) {
  process.once("beforeExit", () => {
    void sdk.shutdown();
  });
}

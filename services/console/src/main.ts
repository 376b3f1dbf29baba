import { loadConfig } from "./config.js";
import { startConsole } from "./server/app.js";

const config = loadConfig();
const server = await startConsole(config);
console.warn(
  JSON.stringify({ level: "info", service: "console", msg: `console listening on ${server.port}`, port: server.port }),
);
for (const signal of ["SIGTERM", "SIGINT"] as const)
  process.once(signal, () => {
    void server.close().then(() => process.exit(0));
  });

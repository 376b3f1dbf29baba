import { ConfigError } from "@logis/config";
import { createLifecycle, type Lifecycle } from "./lifecycle.js";

export interface RunOptions {
  /** Time allowed for the whole shutdown before the process exits anyway (k8s grace period minus margin). */
  shutdownTimeoutMs?: number;
}

/**
 * The entry point of every service: runs `start`, then on SIGTERM/SIGINT runs the shutdown steps in
 * reverse order (stop consuming → stop the relay → close HTTP → close clients). A configuration
 * error prints every bad variable and exits with status 78 (EX_CONFIG) before anything connects.
 */
export async function runService(
  name: string,
  start: (lifecycle: Lifecycle) => Promise<void>,
  options: RunOptions = {},
) {
  let stopping = false;
  const say = (level: "info" | "error", msg: string, extra: Record<string, unknown> = {}) => {
    const logger = steps.logger();
    if (logger) logger[level](extra, msg);
    else console.error(JSON.stringify({ level, service: name, msg, ...extra }));
  };
  const steps = createLifecycle(say);

  const shutdown = async (reason: string, code: number) => {
    if (stopping) return;
    stopping = true;
    say("info", "shutting down", { reason });
    const timer = setTimeout(() => {
      say("error", "shutdown timed out; exiting");
      process.exit(code || 1);
    }, options.shutdownTimeoutMs ?? 30_000);
    timer.unref();
    await steps.shutdown();
    say("info", "stopped");
    process.exit(code);
  };

  process.once("SIGTERM", () => void shutdown("SIGTERM", 0));
  process.once("SIGINT", () => void shutdown("SIGINT", 0));
  process.on("unhandledRejection", (error) => {
    say("error", "unhandled rejection", { err: error instanceof Error ? error.stack : String(error) });
    void shutdown("unhandledRejection", 1);
  });

  try {
    await start(steps.lifecycle);
    say("info", "started");
  } catch (error) {
    if (error instanceof ConfigError) {
      console.error(`${name}: ${error.message}`);
      process.exit(78);
    }
    say("error", "failed to start", { err: error instanceof Error ? error.stack : String(error) });
    await shutdown("start failed", 1);
  }
}

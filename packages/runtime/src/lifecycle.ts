import type { Logger } from "@logis/observability";

export interface Lifecycle {
  /** Registers a step of the graceful shutdown; steps run in reverse order of registration. */
  onShutdown(label: string, step: () => Promise<void> | void): void;
  /** Switches the logger once the service has built its own. */
  useLogger(logger: Logger): void;
}

/**
 * Shutdown steps collected in order and run in reverse: what started last stops first (jobs →
 * consumers → relay → HTTP → producer → Redis → MongoDB). `runService` uses it for a process; a
 * test harness uses it to close a service it started in-process.
 */
export function createLifecycle(say: (level: "info" | "error", msg: string, extra?: Record<string, unknown>) => void) {
  const steps: { label: string; step: () => Promise<void> | void }[] = [];
  let logger: Logger | undefined;
  const lifecycle: Lifecycle = {
    onShutdown: (label, step) => {
      steps.push({ label, step });
    },
    useLogger: (l) => {
      logger = l;
    },
  };
  return {
    lifecycle,
    logger: () => logger,
    async shutdown() {
      for (const { label, step } of steps.splice(0).reverse()) {
        try {
          await step();
        } catch (error) {
          say("error", `shutdown step failed: ${label}`, { err: String(error) });
        }
      }
    },
  };
}

/** A consumer that was started and can be stopped. */
export interface Running {
  stop(): Promise<unknown>;
}

/**
 * The live consumers of the read models in this process, by read model, so that a rebuild can stop
 * one while its collection is swapped and start it again on the new one (reporting runs one replica:
 * `k8s/base/reporting`). Each is also a worker of the service (`ServiceParts.workers`).
 */
export function liveConsumers() {
  const starters = new Map<string, () => Promise<Running>>();
  const running = new Map<string, Running>();
  return {
    /** The service's worker for a read model's consumer. */
    worker(name: string, start: () => Promise<Running>) {
      starters.set(name, start);
      return async () => {
        running.set(name, await start());
        return {
          stop: async () => {
            const current = running.get(name);
            running.delete(name);
            await current?.stop();
          },
        };
      };
    },
    /** Stops a read model's consumer (after its batch in flight); false when none runs here. */
    async pause(name: string): Promise<boolean> {
      const current = running.get(name);
      if (!current) return false;
      running.delete(name);
      await current.stop();
      return true;
    },
    /** Starts it again (it reads the catalog: the collection and positions of now). */
    async resume(name: string): Promise<void> {
      const start = starters.get(name);
      if (start && !running.has(name)) running.set(name, await start());
    },
  };
}
export type LiveConsumers = ReturnType<typeof liveConsumers>;

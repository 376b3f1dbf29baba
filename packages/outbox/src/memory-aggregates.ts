import type { AnyEnvelope } from "@logis/contracts";
import type { AggregateDoc, Aggregates } from "./aggregate-store.js";

/**
 * An aggregate store in memory, for use-case unit tests (no engine): the same contract as the
 * Mongo store — one change at a time per aggregate, the state and its events together — and the
 * events it would have published, in order, for the test to read.
 */
export function memoryAggregates<D extends AggregateDoc>(): Aggregates<D> & {
  published: AnyEnvelope[];
  docs: Map<string, D>;
  /** `crashNextWrite`: the next update fails after its decision, before writing (a process killed then). */
  control: { crashNextWrite: boolean };
} {
  const docs = new Map<string, D>();
  const published: AnyEnvelope[] = [];
  const control = { crashNextWrite: false };
  const queues = new Map<string, Promise<unknown>>();
  const copy = <T>(value: T): T => structuredClone(value);
  const serial = <T>(id: string, fn: () => Promise<T>): Promise<T> => {
    const run = (queues.get(id) ?? Promise.resolve()).then(fn);
    queues.set(
      id,
      run.catch(() => undefined),
    );
    return run;
  };
  return {
    docs,
    published,
    control,
    async get(id) {
      const doc = docs.get(id);
      return doc ? copy(doc) : undefined;
    },
    async getMany(ids) {
      return ids.flatMap((id) => (docs.has(id) ? [copy(docs.get(id) as D)] : []));
    },
    async insert(doc, events = []) {
      if (docs.has(doc._id)) return false;
      docs.set(doc._id, copy(doc));
      published.push(...events);
      return true;
    },
    async insertMany(items) {
      const existing: string[] = [];
      for (const { doc, events = [] } of items) {
        if (docs.has(doc._id)) existing.push(doc._id);
        else {
          docs.set(doc._id, copy(doc));
          published.push(...events);
        }
      }
      return existing;
    },
    update(id, decide) {
      return serial(id, async () => {
        const current = docs.get(id);
        const change = await decide(current ? copy(current) : undefined);
        if (!change) return { state: current ? copy(current) : undefined, result: undefined };
        if (control.crashNextWrite) {
          control.crashNextWrite = false;
          throw new Error("crash before the write");
        }
        const next = Object.fromEntries(
          Object.entries({ ...change.state, _id: id }).filter(([, v]) => v !== undefined),
        ) as D;
        docs.set(id, copy(next));
        published.push(...(change.events ?? []));
        return { state: copy(next), result: change.result };
      });
    },
  };
}

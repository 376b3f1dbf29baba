import type { AnyEnvelope } from "@logis/contracts";
import type { Decider } from "@logis/domain";
import { type EventMeta, envelopes } from "./events.js";
import type { Aggregates } from "./ports.js";

type Doc = { _id: string; version: number };

/** The domain state of a stored aggregate: its fields without the store's id and event count. */
export function stateOf<D extends Doc>(doc: D | undefined): Omit<D, "_id" | "version"> | undefined {
  if (!doc) return undefined;
  const { _id, version, ...state } = doc;
  return state;
}

/**
 * Load, decide, store: under the aggregate's lock (the store's), the decider decides on the current
 * state; its events and the next state are written together, numbered after the stored count. A
 * refusal throws the decider's error and records nothing; no event, no write.
 */
export async function decideOn<D extends Doc, S, C, E extends { type: string; payload: unknown }, X>(
  store: Aggregates<D>,
  id: string,
  decider: Decider<S, C, E, X>,
  command: C,
  context: X,
  meta: EventMeta,
): Promise<{ state: S; events: readonly E[]; envelopes: AnyEnvelope[] }> {
  let decided: readonly E[] = [];
  let sent: AnyEnvelope[] = [];
  const { state } = await store.update(id, (current) => {
    const before = (current ? stateOf(current) : decider.initialState) as S;
    const result = decider.decide(before, command, context);
    if (!result.ok) throw result.error;
    decided = result.value;
    if (decided.length === 0) return undefined;
    const next = decided.reduce(decider.evolve, before);
    const version = current?.version ?? 0;
    sent = envelopes(decided, { id, version }, meta);
    return { state: { ...(next as object), version: version + decided.length } as Omit<D, "_id">, events: sent };
  });
  return { state: stateOf(state) as S, events: decided, envelopes: sent };
}

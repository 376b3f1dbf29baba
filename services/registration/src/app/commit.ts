import { createEvent, type DemandEvent, type EventDefinition, sealDemandEvent } from "@logis/contracts";
import type { Result } from "@logis/domain";
import type { Demand, DemandError } from "../domain/demand.js";
import { type DemandCommand, demandAppError, demandDecider, publicEventOf } from "../domain/demand-decider.js";
import { actorOf, type Caller, type Deps } from "./context.js";

export function unwrap<T>(r: Result<T, DemandError>): T {
  if (!r.ok) throw demandAppError(r.error);
  return r.value;
}

/**
 * Builds the envelopes of a transition: one aggregate version per event, after `from` (the last
 * eventSeq). The household's facts are sealed with the demand's data key (decision 0012): an event
 * carrying them for a demand without a key is a bug, and fails before anything is written.
 */
export function eventsFor(
  demand: Pick<Demand, "id" | "dataKey">,
  from: number,
  caller: Caller,
  now: Date,
  items: { definition: EventDefinition; payload: unknown }[],
) {
  return items.map(({ definition, payload }, i) => {
    const event = createEvent(definition, {
      aggregateId: demand.id,
      aggregateVersion: from + i + 1,
      payload,
      correlationId: caller.correlationId,
      causationId: caller.requestId,
      actor: { userId: caller.principal.userId, organisationId: caller.principal.organisation.id },
      occurredAt: now,
    });
    if (event.type !== "DemandRegistered" && event.type !== "DemandUpdated") return event;
    if (!demand.dataKey) throw new Error(`demand ${demand.id} has no data key: its facts cannot be published`);
    return sealDemandEvent(event as DemandEvent, demand.dataKey);
  });
}

/**
 * Loads → decides → saves with the state and its events in one write. `decide` returns the next
 * state (version and eventSeq are advanced here) and the events to emit.
 */
export async function transition(
  repo: { save(d: Demand, expected: number, events: ReturnType<typeof eventsFor>): Promise<void> },
  demand: Demand,
  caller: Caller,
  now: Date,
  decide: (d: Demand) => { next: Demand; events: { definition: EventDefinition; payload: unknown }[] },
): Promise<Demand> {
  const { next, events } = decide(demand);
  const envelopes = eventsFor(demand, demand.eventSeq, caller, now, events);
  const saved: Demand = { ...next, version: demand.version + 1, eventSeq: demand.eventSeq + envelopes.length };
  await repo.save(saved, demand.version, envelopes);
  return saved;
}

/**
 * A change of a registered demand: decide (domain/demand-decider.ts) with the rules in force, then
 * save the next state and the events others see in one write. A command that changes nothing
 * saves nothing and returns the demand as it was.
 */
export async function changeDemand(
  deps: Pick<Deps, "demands" | "clock" | "rules">,
  demand: Demand,
  caller: Caller,
  command: DemandCommand,
): Promise<Demand> {
  const now = deps.clock.now();
  const decided = demandDecider.decide(demand, command, { now, rules: deps.rules(now), by: actorOf(caller) });
  if (!decided.ok) throw decided.error;
  if (decided.value.length === 0) return demand;
  let next = demand;
  const events: { definition: EventDefinition; payload: unknown }[] = [];
  for (const change of decided.value) {
    const event = publicEventOf(next, change);
    if (event) events.push(event);
    next = demandDecider.evolve(next, change);
  }
  return transition(deps.demands, demand, caller, now, () => ({ next, events }));
}

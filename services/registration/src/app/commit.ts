import { createEvent, type EventDefinition } from "@logis/contracts";
import { AppError, type Result } from "@logis/domain";
import { type Demand, type DemandError, demandErrorMessage } from "../domain/demand.js";
import type { Caller } from "./context.js";

/** Maps a domain refusal to the API's error codes: 409 for the state, 422 for a rule, 400 for a field. */
export function toAppError(e: DemandError): AppError {
  const message = demandErrorMessage(e);
  switch (e.code) {
    case "DEMAND_NOT_ACTIVE":
    case "NOT_CANCELLED":
    case "ALREADY_PURGED":
      return new AppError("CONFLICT", message, { reason: e.code, context: { ...e } });
    case "RENEWAL_TOO_EARLY":
    case "REACTIVATION_WINDOW_CLOSED":
    case "NOT_DUE":
      return new AppError("RULE_VIOLATION", message, { reason: e.code, context: { ...e } });
    case "RADREN_IS_AUTOMATIC":
      return new AppError("RULE_VIOLATION", message, { reason: e.code, field: "motif" });
    case "SUB_REASON_REQUIRED":
      return new AppError("VALIDATION", message, { reason: e.code, field: "sousMotif" });
    case "ATTRIBUTION_DATA_REQUIRED":
      return new AppError("VALIDATION", message, { reason: e.code, field: "attribution" });
    case "DEPARTEMENT_MISMATCH":
      return new AppError("VALIDATION", message, { reason: e.code, field: e.field });
  }
}

export function unwrap<T>(r: Result<T, DemandError>): T {
  if (!r.ok) throw toAppError(r.error);
  return r.value;
}

/** Builds the envelopes of a transition: one aggregate version per event, after `from` (the last eventSeq). */
export function eventsFor(
  demand: Pick<Demand, "id">,
  from: number,
  caller: Caller,
  now: Date,
  items: { definition: EventDefinition; payload: unknown }[],
) {
  return items.map(({ definition, payload }, i) =>
    createEvent(definition, {
      aggregateId: demand.id,
      aggregateVersion: from + i + 1,
      payload,
      correlationId: caller.correlationId,
      causationId: caller.requestId,
      actor: { userId: caller.principal.userId, organisationId: caller.principal.organisation.id },
      occurredAt: now,
    }),
  );
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

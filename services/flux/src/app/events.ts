import {
  type AnyEnvelope,
  AttributionRecorded,
  BalanceClosed,
  ConventionAmended,
  ConventionSigned,
  createEvent,
  type EventDefinition,
  FluxYearOpened,
  OrientationOverridden,
  SubtractionForecastDeclared,
  UnitAssignedToReserver,
  UnitDeclared,
  UnitDesignationExpired,
  UnitFreed,
  UnitLet,
  UnitReturned,
  UnitSubtractedFromFlux,
  UnitUpdated,
} from "@logis/contracts";

const definitions = new Map<string, EventDefinition>(
  [
    UnitDeclared,
    UnitUpdated,
    UnitFreed,
    UnitLet,
    ConventionSigned,
    ConventionAmended,
    FluxYearOpened,
    SubtractionForecastDeclared,
    UnitSubtractedFromFlux,
    UnitAssignedToReserver,
    OrientationOverridden,
    UnitReturned,
    UnitDesignationExpired,
    AttributionRecorded,
    BalanceClosed,
  ].map((d) => [d.type, d as EventDefinition]),
);

export interface EventMeta {
  correlationId: string;
  causationId?: string | undefined;
  /** The user whose request decided (none for the service's own reactions). */
  actor?: { userId: string; organisationId: string } | undefined;
  now: Date;
}

/** The envelopes of what a decider decided, numbered after `version` (the aggregate's count of events so far). */
export function envelopes(
  events: readonly { type: string; payload: unknown }[],
  aggregate: { id: string; version: number },
  meta: EventMeta,
): AnyEnvelope[] {
  return events.map((e, i) => {
    const definition = definitions.get(e.type);
    if (!definition) throw new Error(`flux event ${e.type} has no contract`);
    return createEvent(definition, {
      aggregateId: aggregate.id,
      aggregateVersion: aggregate.version + i + 1,
      correlationId: meta.correlationId,
      causationId: meta.causationId,
      actor: meta.actor,
      occurredAt: meta.now,
      payload: e.payload as never,
    });
  });
}

export const actorOf = (principal: { userId: string; organisation: { id: string } }) => ({
  userId: principal.userId,
  organisationId: principal.organisation.id,
});

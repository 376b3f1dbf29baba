import { newId } from "@logis/domain";
import { z } from "zod";

/** Who caused a change; technical ids only, never an applicant's personal data. */
export const Actor = z.object({
  userId: z.string().min(1),
  organisationId: z.string().min(1),
});
export type Actor = z.infer<typeof Actor>;

/** Fields every event carries, whatever its type. */
export const EnvelopeMeta = z.object({
  eventId: z.string().min(1),
  type: z.string().min(1),
  schemaVersion: z.number().int().positive(),
  /** Partition key: all events of one aggregate go to one partition, in order. */
  aggregateId: z.string().min(1),
  /** 1 for the event that created the aggregate, +1 for each later event; consumers use it as a high-water mark. */
  aggregateVersion: z.number().int().positive(),
  occurredAt: z.iso.datetime({ offset: true }),
  /** The id shared by every event and request of one business operation. */
  correlationId: z.string().min(1),
  /** The event or request that directly caused this one. */
  causationId: z.string().min(1).optional(),
  actor: Actor.optional(),
});
export type EnvelopeMeta = z.infer<typeof EnvelopeMeta>;

/** The envelope of any event, payload unchecked: what generic infrastructure (relay, DLQ) handles. */
export const AnyEnvelope = EnvelopeMeta.extend({ payload: z.unknown() });
export type AnyEnvelope = z.infer<typeof AnyEnvelope>;

const eventSchema = <T extends string, V extends number, P extends z.ZodType>(type: T, version: V, payload: P) =>
  EnvelopeMeta.extend({ type: z.literal(type), schemaVersion: z.literal(version), payload });

export interface EventDefinition<
  T extends string = string,
  V extends number = number,
  P extends z.ZodType = z.ZodType,
> {
  readonly type: T;
  readonly version: V;
  readonly payload: P;
  readonly schema: ReturnType<typeof eventSchema<T, V, P>>;
}

/**
 * Declares one version of one event type. Within a version only optional fields may be added;
 * a breaking change declares version + 1, and consumers accept both while producers move over.
 */
export function defineEvent<T extends string, V extends number, P extends z.ZodType>(
  type: T,
  version: V,
  payload: P,
): EventDefinition<T, V, P> {
  return { type, version, payload, schema: eventSchema(type, version, payload) };
}

export type EventOf<D extends EventDefinition> = z.infer<D["schema"]>;

export interface NewEvent<P> {
  aggregateId: string;
  aggregateVersion: number;
  payload: P;
  correlationId: string;
  causationId?: string | undefined;
  actor?: Actor | undefined;
  occurredAt: Date;
}

/** Builds a complete, schema-checked envelope for a new event. */
export function createEvent<D extends EventDefinition>(
  definition: D,
  input: NewEvent<z.input<D["payload"]>>,
): EventOf<D> {
  const candidate = {
    eventId: newId("event"),
    type: definition.type,
    schemaVersion: definition.version,
    aggregateId: input.aggregateId,
    aggregateVersion: input.aggregateVersion,
    occurredAt: input.occurredAt.toISOString(),
    correlationId: input.correlationId,
    ...(input.causationId === undefined ? {} : { causationId: input.causationId }),
    ...(input.actor === undefined ? {} : { actor: input.actor }),
    payload: input.payload,
  };
  return definition.schema.parse(candidate) as EventOf<D>;
}

import type { AnyEnvelope } from "@logis/contracts";
import { currentTraceHeaders } from "@logis/observability";

/** One event waiting in its aggregate's document until the relay has published it. */
export interface OutboxEntry {
  eventId: string;
  topic: string;
  /**
   * The envelope as JSON text, exactly the message the relay sends. One string costs a tenth of
   * the same data as nested fields to write and read on a MongoDB-wire server (decision 0008).
   */
  envelope: string;
  /** The trace context of the request that decided the event, replayed as Kafka headers. */
  traceHeaders: Record<string, string>;
}

export const outboxEntries = (topic: string, events: readonly AnyEnvelope[]): OutboxEntry[] => {
  const traceHeaders = currentTraceHeaders();
  return events.map((envelope) => ({
    eventId: envelope.eventId,
    topic,
    envelope: JSON.stringify(envelope),
    traceHeaders,
  }));
};

/** The envelope of an entry (entries written before decision 0008 hold it as a sub-document). */
export const entryEnvelope = (entry: { envelope: unknown }): AnyEnvelope =>
  (typeof entry.envelope === "string" ? JSON.parse(entry.envelope) : entry.envelope) as AnyEnvelope;

/**
 * Fields to add to an aggregate document so that its state change and its events are written in
 * ONE document write (FerretDB has no multi-document transactions). `outboxAt` marks documents
 * with pending events; `$min` keeps the oldest mark when events pile up.
 */
export const outboxFieldsForInsert = (entries: OutboxEntry[], now: Date) =>
  entries.length > 0 ? { outbox: entries, outboxAt: now } : { outbox: [] };

export function withOutbox<U extends Record<string, unknown>>(update: U, entries: OutboxEntry[], now: Date) {
  if (entries.length === 0) return update;
  return { ...update, $push: { outbox: { $each: entries } }, $min: { outboxAt: now } };
}

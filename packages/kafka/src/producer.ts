import type { AnyEnvelope } from "@logis/contracts";
import { currentTraceHeaders } from "@logis/observability";
import { type Kafka, Partitioners, type Producer } from "kafkajs";

export interface OutgoingEvent {
  envelope: AnyEnvelope;
  /** Trace context captured when the event was decided (outbox); defaults to the active context. */
  traceHeaders?: Record<string, string> | undefined;
}

export interface RawMessage {
  key: string | null;
  value: Buffer | string | null;
  headers?: Record<string, string | Buffer>;
}

/** Publishes event envelopes: JSON value, key = aggregateId (per-aggregate order), type headers, trace context. */
export interface EventProducer {
  publish(topic: string, events: readonly OutgoingEvent[]): Promise<void>;
  sendRaw(topic: string, messages: readonly RawMessage[]): Promise<void>;
  disconnect(): Promise<void>;
}

export const eventHeaders = (e: AnyEnvelope): Record<string, string> => ({
  "event-id": e.eventId,
  "event-type": e.type,
  "schema-version": String(e.schemaVersion),
  "correlation-id": e.correlationId,
});

export async function createProducer(kafka: Kafka): Promise<EventProducer> {
  // Idempotent with one request in flight: retries never duplicate or reorder within a partition.
  const producer: Producer = kafka.producer({
    idempotent: true,
    maxInFlightRequests: 1,
    allowAutoTopicCreation: false,
    createPartitioner: Partitioners.DefaultPartitioner,
    // Idempotence needs unbounded retries (kafkajs warns otherwise); a broker outage blocks the
    // relay, which is what we want: events wait in the outbox.
    retry: { retries: Number.MAX_SAFE_INTEGER, maxRetryTime: 10_000 },
  });
  await producer.connect();
  return {
    async publish(topic, events) {
      if (events.length === 0) return;
      await producer.send({
        topic,
        acks: -1,
        messages: events.map(({ envelope, traceHeaders }) => ({
          key: envelope.aggregateId,
          value: JSON.stringify(envelope),
          headers: { ...(traceHeaders ?? currentTraceHeaders()), ...eventHeaders(envelope) },
        })),
      });
    },
    async sendRaw(topic, messages) {
      await producer.send({ topic, acks: -1, messages: messages.map((m) => ({ ...m })) });
    },
    disconnect: () => producer.disconnect(),
  };
}

import type { Logger } from "@logis/observability";
import { currentTraceHeaders } from "@logis/observability";
import { type Kafka, Partitioners, type Producer } from "kafkajs";
import { eventHeaders, type OutgoingEvent } from "./producer.js";

export interface TopicBatch {
  topic: string;
  events: readonly OutgoingEvent[];
}

/**
 * Publishes batches of events in one Kafka transaction each: a read-committed consumer (kafkajs'
 * default) sees all of a batch or none of it.
 *
 * Why (issue 10): the outbox relay re-sends a batch whose send failed. With a plain idempotent
 * producer, a send that failed on the client while the broker had written it (a broker restart in
 * the middle) came back as a second copy under new sequence numbers. In a transaction, the failed
 * attempt is aborted — by us, or by the broker when the same transactional id starts again — and its
 * records are never delivered to read-committed consumers; only the retried attempt commits.
 */
export interface TransactionalPublisher {
  publishAll(batches: readonly TopicBatch[]): Promise<void>;
  disconnect(): Promise<void>;
}

export interface TransactionalPublisherOptions {
  /**
   * Stable per relay (service and topic prefix), not per process: a restarted relay with the same id
   * fences its dead predecessor and aborts its open transaction at once, instead of leaving the
   * partitions' read-committed consumers waiting for the transaction timeout.
   */
  transactionalId: string;
  logger: Logger;
  /** How long the broker lets an open transaction live before aborting it (ms). */
  transactionTimeoutMs?: number;
}

export function createTransactionalPublisher(
  kafka: Kafka,
  options: TransactionalPublisherOptions,
): TransactionalPublisher {
  const log = options.logger.child({ component: "transactional-publisher", transactionalId: options.transactionalId });
  let producer: Producer | undefined;
  let connecting: Promise<Producer> | undefined;

  // Connected lazily, on the first batch: only the relay's leader publishes, and connecting with
  // the transactional id fences whoever held it before.
  const connected = (): Promise<Producer> => {
    if (producer) return Promise.resolve(producer);
    connecting ??= (async () => {
      const p = kafka.producer({
        transactionalId: options.transactionalId,
        idempotent: true,
        maxInFlightRequests: 1,
        transactionTimeout: options.transactionTimeoutMs ?? 20_000,
        allowAutoTopicCreation: false,
        createPartitioner: Partitioners.DefaultPartitioner,
        // Bounded (kafkajs warns that this "may invalidate EoS": not here, a failed transaction is
        // aborted and its producer dropped before the batch is sent again).
        retry: { retries: 8, maxRetryTime: 10_000 },
      });
      try {
        await p.connect();
      } catch (error) {
        await p.disconnect().catch(() => undefined);
        throw error;
      }
      producer = p;
      return p;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  // After a failed transaction a kafkajs producer can stay in a state that refuses the next one
  // ("already an ongoing transaction"): it is dropped, and the next batch connects a fresh one
  // with the same id, which aborts whatever the broker still holds open.
  const drop = async () => {
    const p = producer;
    producer = undefined;
    await p?.disconnect().catch(() => undefined);
  };

  return {
    async publishAll(batches) {
      const nonEmpty = batches.filter((b) => b.events.length > 0);
      if (nonEmpty.length === 0) return;
      const p = await connected();
      let transaction: Awaited<ReturnType<Producer["transaction"]>> | undefined;
      try {
        transaction = await p.transaction();
        for (const { topic, events } of nonEmpty) {
          await transaction.send({
            topic,
            acks: -1,
            messages: events.map(({ envelope, traceHeaders }) => ({
              key: envelope.aggregateId,
              value: JSON.stringify(envelope),
              headers: { ...(traceHeaders ?? currentTraceHeaders()), ...eventHeaders(envelope) },
            })),
          });
        }
        await transaction.commit();
      } catch (error) {
        log.warn({ err: error }, "transaction failed: aborted, the batch will be sent again");
        await transaction?.abort().catch(() => undefined);
        await drop();
        throw error;
      }
    },
    disconnect: drop,
  };
}

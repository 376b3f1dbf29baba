import { dlqTopicOf } from "@logis/contracts";
import { AppError, describeZodIssues, isAppError } from "@logis/domain";
import { contextFromHeaders, type Logger, meter, SpanKind, withSpan } from "@logis/observability";
import type { IHeaders, Kafka, KafkaMessage } from "kafkajs";
import type { z } from "zod";
import type { EventProducer } from "./producer.js";
import { type BackoffPolicy, backoffDelay, defaultBackoff, isRetriable, sleep } from "./retry.js";

export interface MessageMeta {
  topic: string;
  partition: number;
  offset: string;
  key: string | null;
  headers: IHeaders;
}

export interface ConsumerOptions<S extends z.ZodType> {
  kafka: Kafka;
  groupId: string;
  topic: string;
  /** The contract schema every message must satisfy before it reaches `handle`. */
  schema: S;
  /** Must be idempotent: a message is redelivered after a crash between effect and commit. */
  handle: (event: z.infer<S>, meta: MessageMeta) => Promise<void>;
  /**
   * A tombstone (null value, a compacted topic's deletion of `meta.key`) goes here, retried like
   * `handle`. Without it a tombstone is malformed and goes to the dead-letter topic.
   */
  handleTombstone?: (meta: MessageMeta) => Promise<void>;
  /**
   * False: a message that cannot be handled is logged (offset and error, never its value) and
   * skipped instead of copied to `<topic>.dlq` (a key topic: a copy would outlive its tombstone).
   */
  deadLetters?: boolean;
  /** Used to write dead letters to `<topic>.dlq`. */
  producer: EventProducer;
  logger: Logger;
  backoff?: BackoffPolicy;
  /** Offsets are committed after at most this many handled messages, and at the end of every batch. */
  commitEvery?: number;
  fromBeginning?: boolean;
  sessionTimeoutMs?: number;
  /**
   * The partition's next offset to read, after each batch: how a replay knows it reached the end
   * offsets it noted at start (transaction markers take offsets too, so the last message's offset
   * + 1 may stay below the end).
   */
  onPosition?: (partition: number, next: bigint) => void;
  /** Test seam for crash tests: runs just before offsets are committed. */
  beforeCommit?: (offsets: { partition: number; offset: string }[]) => Promise<void> | void;
}

export interface RunningConsumer {
  /** Resolves once the consumer has joined its group and got its partitions. */
  readonly joined: Promise<void>;
  stop(): Promise<void>;
}

type Outcome = { kind: "handled" } | { kind: "dead-letter"; code: string; message: string };

const handledCounter = meter().createCounter("logis_consumer_messages_total", {
  description: "Messages processed by consumers, by topic, group and outcome",
});

/**
 * Runs a consumer: parse with the contract schema → handle → commit. Retriable failures are retried
 * with backoff and, when attempts run out, the consumer restarts from its last committed offset.
 * Any other failure (malformed JSON, schema mismatch, rule violation) goes to `<topic>.dlq` with
 * error headers, is committed, and the consumer carries on.
 */
export async function runConsumer<S extends z.ZodType>(options: ConsumerOptions<S>): Promise<RunningConsumer> {
  const { kafka, groupId, topic, schema, handle, producer } = options;
  const backoff = options.backoff ?? defaultBackoff;
  const commitEvery = options.commitEvery ?? 200;
  const log = options.logger.child({ component: "consumer", groupId, topic });
  const consumer = kafka.consumer({
    groupId,
    sessionTimeout: options.sessionTimeoutMs ?? 10_000,
    heartbeatInterval: 1_000,
    // A fetch on an idle topic waits at most 500 ms at the broker (Java's fetch.max.wait.ms; kafkajs
    // waits 5 s). A stop waits for the fetch in flight: at 5 s, a service with three consumers took
    // 15 s to shut down, and every integration test file paid it. Events still arrive as soon as
    // they are written (minBytes 1).
    maxWaitTimeInMs: 500,
    allowAutoTopicCreation: false,
  });

  let joinedResolve: () => void = () => {};
  const joined = new Promise<void>((resolve) => {
    joinedResolve = resolve;
  });
  consumer.on(consumer.events.GROUP_JOIN, () => joinedResolve());
  // kafkajs gives up on some errors of a broker outage ("Failed to find group coordinator" while
  // the broker restarts is not marked retriable): the consumer would stay stopped for good, its
  // group empty (the fault script saw it). It is started again here, with growing pauses, until
  // the broker answers or the service stops it.
  let stopping = false;
  let restarts = 0;
  let restartTimer: NodeJS.Timeout | undefined;
  const restartLater = () => {
    const delay = Math.min(30_000, 1_000 * 2 ** Math.min(restarts++, 5));
    log.warn({ delay, attempt: restarts }, "starting the consumer again after a pause");
    restartTimer = setTimeout(() => {
      if (stopping) return;
      start().then(
        () => {
          restarts = 0;
          log.info("consumer started again after a crash");
        },
        (error: unknown) => {
          log.error({ err: error }, "consumer could not start again");
          void consumer.disconnect().finally(() => {
            if (!stopping) restartLater();
          });
        },
      );
    }, delay);
  };
  consumer.on(consumer.events.CRASH, (e) => {
    log.error({ err: e.payload.error, restart: e.payload.restart }, "consumer crashed");
    if (!e.payload.restart && !stopping) restartLater();
  });

  const deadLetter = async (
    message: KafkaMessage,
    partition: number,
    outcome: Extract<Outcome, { kind: "dead-letter" }>,
  ) => {
    log.warn(
      { partition, offset: message.offset, code: outcome.code, error: outcome.message },
      "message sent to the dead-letter topic",
    );
    await producer.sendRaw(dlqTopicOf(topic), [
      {
        key: message.key ? message.key.toString("utf8") : null,
        value: message.value,
        headers: {
          ...stringHeaders(message.headers),
          "x-error-code": outcome.code,
          "x-error-message": outcome.message.slice(0, 2_000),
          "x-original-topic": topic,
          "x-original-partition": String(partition),
          "x-original-offset": message.offset,
          "x-consumer-group": groupId,
          "x-failed-at": new Date().toISOString(),
        },
      },
    ]);
  };

  const metaOf = (message: KafkaMessage, partition: number): MessageMeta => ({
    topic,
    partition,
    offset: message.offset,
    key: message.key ? message.key.toString("utf8") : null,
    headers: message.headers ?? {},
  });

  const attempt = async (message: KafkaMessage, effect: () => Promise<void>): Promise<Outcome> => {
    for (let attempt = 0; ; attempt++) {
      try {
        await withSpan(`${topic} process`, effect, {
          kind: SpanKind.CONSUMER,
          parent: contextFromHeaders(message.headers),
          attributes: {
            "messaging.system": "kafka",
            "messaging.destination.name": topic,
            "messaging.consumer.group.name": groupId,
            "messaging.kafka.offset": Number(message.offset),
          },
        });
        return { kind: "handled" };
      } catch (error) {
        if (!isRetriable(error)) {
          const code = isAppError(error) ? (error.reason ?? error.code) : "HANDLER_ERROR";
          return { kind: "dead-letter", code, message: error instanceof Error ? error.message : String(error) };
        }
        if (attempt + 1 >= backoff.attempts) throw error; // kafkajs restarts from the last commit
        const delay = backoffDelay(attempt, backoff);
        log.warn({ err: error, attempt, delay, offset: message.offset }, "retriable failure, backing off");
        await sleep(delay);
      }
    }
  };

  const processMessage = async (message: KafkaMessage, partition: number): Promise<Outcome> => {
    const { handleTombstone } = options;
    if (message.value === null && handleTombstone) {
      const meta = metaOf(message, partition);
      return attempt(message, () => handleTombstone(meta));
    }
    let decoded: unknown;
    try {
      decoded = JSON.parse(message.value?.toString("utf8") ?? "");
    } catch (e) {
      return { kind: "dead-letter", code: "MALFORMED_JSON", message: e instanceof Error ? e.message : String(e) };
    }
    const parsed = schema.safeParse(decoded);
    if (!parsed.success) {
      return { kind: "dead-letter", code: "SCHEMA_MISMATCH", message: describeZodIssues(parsed.error).message };
    }
    const meta = metaOf(message, partition);
    return attempt(message, () => handle(parsed.data, meta));
  };

  // A fetch holding only transaction markers or aborted records never reaches eachBatch: kafkajs
  // moves past it in memory; its position is committed here so that lag reads 0 once caught up.
  consumer.on(consumer.events.END_BATCH_PROCESS, ({ payload }) => {
    if (payload.topic !== topic || payload.batchSize > 0) return;
    const next = BigInt(payload.lastOffset) + 1n;
    options.onPosition?.(payload.partition, next);
    const offset = next.toString();
    consumer.commitOffsets([{ topic, partition: payload.partition, offset }]).catch((error: unknown) => {
      log.warn({ err: error, partition: payload.partition, offset }, "could not commit past transaction markers");
    });
  });

  const start = async () => {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: options.fromBeginning ?? true });
    await run();
  };
  const run = () =>
    consumer.run({
      autoCommit: false,
      eachBatchAutoResolve: false,
      eachBatch: async ({ batch, resolveOffset, heartbeat, isRunning, isStale }) => {
        let pending: string | undefined;
        let sinceCommit = 0;
        const commit = async () => {
          if (pending === undefined) return;
          const offsets = [{ partition: batch.partition, offset: (BigInt(pending) + 1n).toString() }];
          await options.beforeCommit?.(offsets);
          await consumer.commitOffsets(offsets.map((o) => ({ topic: batch.topic, ...o })));
          pending = undefined;
          sinceCommit = 0;
        };
        let complete = true;
        for (const message of batch.messages) {
          if (!isRunning() || isStale()) {
            complete = false;
            break;
          }
          const outcome = await processMessage(message, batch.partition);
          if (outcome.kind === "dead-letter") {
            if (options.deadLetters === false)
              log.error(
                { partition: batch.partition, offset: message.offset, code: outcome.code, error: outcome.message },
                "message skipped (this topic has no dead-letter topic)",
              );
            else await deadLetter(message, batch.partition, outcome);
          }
          handledCounter.add(1, { topic, group: groupId, outcome: outcome.kind });
          resolveOffset(message.offset);
          pending = message.offset;
          if (++sinceCommit >= commitEvery) await commit();
          await heartbeat();
        }
        // A batch may end with a transaction marker (the relay publishes in transactions): once every
        // message is handled, the committed position moves past it too, so a caught-up group has no lag.
        if (complete && pending !== undefined && BigInt(batch.lastOffset()) > BigInt(pending)) {
          resolveOffset(batch.lastOffset());
          pending = batch.lastOffset();
        }
        const position = pending;
        await commit();
        if (position !== undefined) options.onPosition?.(batch.partition, BigInt(position) + 1n);
      },
    });

  await start();

  return {
    joined,
    async stop() {
      stopping = true;
      clearTimeout(restartTimer);
      await consumer.disconnect(); // waits for the batch in progress, which commits what it handled
      log.info("consumer stopped");
    },
  };
}

function stringHeaders(headers: IHeaders | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(headers ?? {})) {
    if (typeof v === "string") out[k] = v;
    else if (Buffer.isBuffer(v)) out[k] = v.toString("utf8");
  }
  return out;
}

/** Thrown by handlers to reject an event for good (it goes to the DLQ), e.g. a rule the event breaks. */
export const rejectEvent = (reason: string, message: string) =>
  new AppError("RULE_VIOLATION", message, { reason, retriable: false });

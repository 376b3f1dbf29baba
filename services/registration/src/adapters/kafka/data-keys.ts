import { type DemandDataKey, topics } from "@logis/contracts";
import { AppError } from "@logis/domain";
import type { EventProducer } from "@logis/kafka";
import type { DataKeys } from "../../app/ports.js";

/**
 * How long a registration waits for Kafka to acknowledge its demand's key. The producer retries
 * without end while the broker is away (the relay needs that); a registration must not: past the
 * deadline it answers 503 (retry in a moment) and writes nothing, instead of hanging until the
 * desk's browser gives up while the demand is written later behind its back (the fault script saw
 * 19 such demands stored with no answer during a Kafka restart). A key that lands after the
 * deadline is harmless: a key alone is no personal data, and no demand uses it.
 */
export const KEY_PUBLISH_DEADLINE_MS = 8_000;

async function withinDeadline(send: Promise<void>, deadlineMs: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          new AppError("UNAVAILABLE", "Service momentanément indisponible : réessayez dans un instant", {
            reason: "ENGINE_UNAVAILABLE",
            retriable: true,
          }),
        ),
      deadlineMs,
    );
  });
  send.catch(() => undefined); // a late failure after the deadline is not unhandled
  try {
    await Promise.race([send, late]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * The demands' data keys on `registration.demand-key.v1` (compacted, decision 0012): key = the
 * demand's id, value = the key record, a tombstone (null value) destroying it. Sent with acks=all
 * by the idempotent producer: a resolved promise is Kafka's acknowledgement.
 */
export function kafkaDataKeys(
  producer: Pick<EventProducer, "sendRaw">,
  topic: (name: string) => string,
  now: () => Date,
  deadlineMs = KEY_PUBLISH_DEADLINE_MS,
): DataKeys {
  const keyTopic = topic(topics.demandKey);
  return {
    async publish(keys, options) {
      if (keys.length === 0) return;
      const createdAt = now().toISOString();
      const send = producer.sendRaw(
        keyTopic,
        keys.map(({ kid, key }) => ({
          key: kid,
          value: JSON.stringify({ kid, key, createdAt } satisfies DemandDataKey),
        })),
      );
      await (options?.untilAcknowledged ? send : withinDeadline(send, deadlineMs));
    },
    async destroy(kids) {
      if (kids.length === 0) return;
      await producer.sendRaw(
        keyTopic,
        kids.map((kid) => ({ key: kid, value: null })),
      );
    },
  };
}

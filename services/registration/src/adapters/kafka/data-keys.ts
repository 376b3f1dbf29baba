import { type DemandDataKey, topics } from "@logis/contracts";
import type { EventProducer } from "@logis/kafka";
import type { DataKeys } from "../../app/ports.js";

/**
 * The demands' data keys on `registration.demand-key.v1` (compacted, decision 0012): key = the
 * demand's id, value = the key record, a tombstone (null value) destroying it. Sent with acks=all
 * by the idempotent producer: a resolved promise is Kafka's acknowledgement.
 */
export function kafkaDataKeys(
  producer: Pick<EventProducer, "sendRaw">,
  topic: (name: string) => string,
  now: () => Date,
): DataKeys {
  const keyTopic = topic(topics.demandKey);
  return {
    async publish(keys) {
      if (keys.length === 0) return;
      const createdAt = now().toISOString();
      await producer.sendRaw(
        keyTopic,
        keys.map(({ kid, key }) => ({
          key: kid,
          value: JSON.stringify({ kid, key, createdAt } satisfies DemandDataKey),
        })),
      );
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

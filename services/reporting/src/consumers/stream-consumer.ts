import { groupName, topicName } from "@logis/contracts";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { z } from "zod";

/**
 * Feeds a read model from one topic, from the beginning on the group's first start, then from its
 * committed offsets: the read model is kept in MongoDB, so a restart replays only what it had not
 * committed (and the high-water mark makes that replay harmless). A rebuild replays the topic under
 * another group into another collection.
 */
export async function startStreamConsumer<E>(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  stream: { topic: string; schema: z.ZodType<E> };
  group: string;
  projection: { apply(event: E): Promise<unknown> };
  logger: Logger;
  topicPrefix: string;
  /** Called after each applied event (the lag measure of the benchmark, the alerts' wake-up). */
  onApplied?: (event: E) => void;
}) {
  return runConsumer({
    kafka: opts.kafka,
    groupId: groupName(opts.group, opts.topicPrefix),
    topic: topicName(opts.stream.topic, opts.topicPrefix),
    schema: opts.stream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    commitEvery: 500,
    handle: async (event) => {
      await opts.projection.apply(event);
      opts.onApplied?.(event);
    },
  });
}

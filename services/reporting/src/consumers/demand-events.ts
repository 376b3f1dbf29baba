import { demandStream, groupName, topicName, topics } from "@logis/contracts";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { DemandProjection } from "../app/projection.js";

/** The consumer group of the demands read model; a rebuild replays the topic under another group into another collection. */
export const DEMAND_ROWS_GROUP = "reporting.demand-rows";

/**
 * Feeds the demands read model from registration's demand topic, from the beginning on the group's
 * first start, then from its committed offsets: the read model is kept in MongoDB, so a restart
 * replays only what it had not committed (and the high-water mark makes that replay harmless).
 */
export async function startDemandEventsConsumer(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  projection: DemandProjection;
  logger: Logger;
  topicPrefix: string;
  group?: string;
}) {
  return runConsumer({
    kafka: opts.kafka,
    groupId: groupName(opts.group ?? DEMAND_ROWS_GROUP, opts.topicPrefix),
    topic: topicName(topics.demand, opts.topicPrefix),
    schema: demandStream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    commitEvery: 500,
    handle: async (event) => {
      await opts.projection.apply(event);
    },
  });
}

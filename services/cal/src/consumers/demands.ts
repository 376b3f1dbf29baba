import { demandStream, groupName, topicName, topics } from "@logis/contracts";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { DemandDirectory } from "../app/ports.js";

/**
 * Registration's demands feed the CAL's read model of demand facts (eligibility of designated and
 * shortlisted households). Idempotent: a per-demand high-water mark on `aggregateVersion`.
 */
export async function startDemandsConsumer(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  demands: DemandDirectory;
  logger: Logger;
  topicPrefix: string;
}) {
  return runConsumer({
    kafka: opts.kafka,
    groupId: groupName("cal.demand-facts", opts.topicPrefix),
    topic: topicName(topics.demand, opts.topicPrefix),
    schema: demandStream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    handle: async (event) => {
      await opts.demands.apply(event);
    },
  });
}

import { demandStream, groupName, topicName, topics } from "@logis/contracts";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import { startDemandKeys } from "@logis/runtime";
import type { DemandDirectory } from "../app/ports.js";

/**
 * Registration's demands feed the CAL's read model of demand facts (eligibility of designated and
 * shortlisted households). Idempotent: a per-demand high-water mark on `aggregateVersion`. The facts
 * are sealed (decision 0012): the demands' data keys are followed in memory, and an event whose key
 * is gone (a purged demand) is skipped — its DemandPurged drops the row.
 */
export async function startDemandsConsumer(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  demands: DemandDirectory;
  logger: Logger;
  topicPrefix: string;
}) {
  const keys = await startDemandKeys({ ...opts, purpose: "cal.demand-facts-keys" });
  const consumer = await runConsumer({
    kafka: opts.kafka,
    groupId: groupName("cal.demand-facts", opts.topicPrefix),
    topic: topicName(topics.demand, opts.topicPrefix),
    schema: demandStream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    handle: async (event) => {
      const opened = await keys.open(event);
      if (opened) await opts.demands.apply(opened);
    },
  });
  return {
    joined: consumer.joined,
    async stop() {
      await consumer.stop();
      await keys.stop();
    },
  };
}

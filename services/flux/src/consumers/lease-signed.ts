import { attributionStream, groupName, topicName, topics } from "@logis/contracts";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { UnitUseCases } from "../app/units.js";

/**
 * A lease signed in the CAL lets the unit (UnitLet), whose own consumer then counts the attribution
 * to the reserver of the orientation. Idempotent (a unit already let is left as it is).
 */
export async function startLeaseSignedConsumer(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  units: Pick<UnitUseCases, "letFromCal">;
  logger: Logger;
  topicPrefix: string;
}) {
  return runConsumer({
    kafka: opts.kafka,
    groupId: groupName("flux.lease-signed", opts.topicPrefix),
    topic: topicName(topics.calAttribution, opts.topicPrefix),
    schema: attributionStream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    handle: async (event) => {
      if (event.type !== "LeaseSigned") return;
      const { rplsId, libereLe, bailSigneLe } = event.payload;
      await opts.units.letFromCal({ rplsId, libereLe, bailSigneLe, correlationId: event.correlationId });
    },
  });
}

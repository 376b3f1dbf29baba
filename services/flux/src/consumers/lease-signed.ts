import { attributionStream, groupName, topicName, topics } from "@logis/contracts";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { OrientationUseCases } from "../app/orientation.js";
import type { UnitUseCases } from "../app/units.js";

/**
 * The CAL's attributions: a lease signed lets the unit (UnitLet), whose own consumer then counts the
 * attribution to the reserver of the orientation; candidates proposed by the reserver (or the
 * préfet's DALO household) are its designation, so the unit does not expire. Idempotent (a unit
 * already let is left as it is; the first designation counts). The group keeps its first name.
 */
export async function startLeaseSignedConsumer(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  units: Pick<UnitUseCases, "letFromCal">;
  orientation: Pick<OrientationUseCases, "recordDesignation">;
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
      if (event.type === "CandidatesProposed") {
        const outcome = await opts.orientation.recordDesignation(event);
        opts.logger.debug({ eventId: event.eventId, outcome }, "designation");
        return;
      }
      if (event.type !== "LeaseSigned") return;
      const { rplsId, libereLe, bailSigneLe } = event.payload;
      await opts.units.letFromCal({ rplsId, libereLe, bailSigneLe, correlationId: event.correlationId });
    },
  });
}

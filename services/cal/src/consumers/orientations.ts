import { groupName, orientationStream, topicName, topics } from "@logis/contracts";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { AttributionUseCases } from "../app/attributions.js";

/**
 * Flux's orientations open the attribution of each oriented unit (unit facts, reserver, designation
 * deadline) and follow its overrides and returns. Idempotent: see `applyOrientation`.
 */
export async function startOrientationsConsumer(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  attributions: Pick<AttributionUseCases, "applyOrientation">;
  logger: Logger;
  topicPrefix: string;
}) {
  return runConsumer({
    kafka: opts.kafka,
    groupId: groupName("cal.orientations", opts.topicPrefix),
    topic: topicName(topics.fluxOrientation, opts.topicPrefix),
    schema: orientationStream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    handle: async (event) => {
      const outcome = await opts.attributions.applyOrientation(event);
      if (outcome !== "ignored") opts.logger.debug({ eventId: event.eventId, outcome }, "orientation applied");
    },
  });
}

import { groupName, topicName, topics, unitStream } from "@logis/contracts";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { OrientationUseCases } from "../app/orientation.js";

/**
 * Orients each freed unit and counts each lease from the service's own unit events: the freeing is
 * stored with its UnitFreed event first (one write), so a crash between the two steps leaves the
 * event, and the orientation happens when it is (re)delivered. Idempotent: a vacancy is oriented
 * once (`rplsId@libereLe`), an attribution counted once.
 */
export async function startUnitEventsConsumer(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  orientation: OrientationUseCases;
  logger: Logger;
  topicPrefix: string;
}) {
  return runConsumer({
    kafka: opts.kafka,
    groupId: groupName("flux.orientation", opts.topicPrefix),
    topic: topicName(topics.fluxUnit, opts.topicPrefix),
    schema: unitStream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    handle: async (event) => {
      if (event.type === "UnitFreed") await opts.orientation.orientFreed(event);
      else if (event.type === "UnitLet") await opts.orientation.recordLease(event);
    },
  });
}

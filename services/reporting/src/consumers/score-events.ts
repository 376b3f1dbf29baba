import { groupName, scoreStream, topicName, topics } from "@logis/contracts";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import type { ScoreProjection } from "../app/projection.js";

export const SCORE_ROWS_GROUP = "reporting.score-rows";

/** Feeds each demand's last cotation per EPCI from cotation's score topic (from the beginning on the group's first start). */
export async function startScoreEventsConsumer(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  projection: ScoreProjection;
  logger: Logger;
  topicPrefix: string;
  group?: string;
}) {
  return runConsumer({
    kafka: opts.kafka,
    groupId: groupName(opts.group ?? SCORE_ROWS_GROUP, opts.topicPrefix),
    topic: topicName(topics.score, opts.topicPrefix),
    schema: scoreStream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    commitEvery: 500,
    handle: async (event) => {
      await opts.projection.apply(event);
    },
  });
}

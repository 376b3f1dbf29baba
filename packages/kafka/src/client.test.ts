import { KafkaJSAggregateError, KafkaJSProtocolError } from "kafkajs";
import { expect, it } from "vitest";
import { isTransientTopicError } from "./client.js";

// As kafkajs builds them from the broker's error codes (src/protocol/error.js).
const protocol = (type: string, retriable: boolean) =>
  new KafkaJSProtocolError({ type, retriable, message: type } as never);

it("waits out what a concurrent creator causes, and fails at once on anything else", () => {
  // "This server does not host this topic-partition": the topic exists, its leaders are not elected yet.
  expect(isTransientTopicError(protocol("UNKNOWN_TOPIC_OR_PARTITION", true))).toBe(true);
  expect(isTransientTopicError(protocol("LEADER_NOT_AVAILABLE", true))).toBe(true);
  const created = new KafkaJSAggregateError("Topic creation errors", [protocol("TOPIC_ALREADY_EXISTS", false)]);
  expect(isTransientTopicError(created)).toBe(true);
  const denied = new KafkaJSAggregateError("Topic creation errors", [
    protocol("TOPIC_ALREADY_EXISTS", false),
    protocol("TOPIC_AUTHORIZATION_FAILED", false),
  ]);
  expect(isTransientTopicError(denied)).toBe(false);
  expect(isTransientTopicError(protocol("INVALID_REPLICATION_FACTOR", false))).toBe(false);
  expect(isTransientTopicError(new Error("boom"))).toBe(false);
});

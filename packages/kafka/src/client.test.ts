import { KafkaJSAggregateError, KafkaJSProtocolError } from "kafkajs";
import { expect, it } from "vitest";
import { isTransientTopicError, topicOffsets } from "./client.js";

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

it("asks a topic's offsets again, with fresh metadata, while the broker says its leader moved (integration files side by side)", async () => {
  const calls: string[] = [];
  let failures = 2;
  const admin = {
    fetchTopicOffsets: async () => {
      calls.push("offsets");
      if (failures-- > 0) throw protocol("NOT_LEADER_FOR_PARTITION", true);
      return [{ partition: 0, offset: "3", high: "3", low: "0" }];
    },
    fetchTopicMetadata: async () => {
      calls.push("metadata");
      return { topics: [] };
    },
  };
  expect(await topicOffsets(admin as never, "t")).toEqual([{ partition: 0, offset: "3", high: "3", low: "0" }]);
  expect(calls).toEqual(["offsets", "metadata", "offsets", "metadata", "offsets"]);
  // Anything else fails at once.
  const denied = {
    ...admin,
    fetchTopicOffsets: async () => Promise.reject(protocol("TOPIC_AUTHORIZATION_FAILED", false)),
  };
  await expect(topicOffsets(denied as never, "t")).rejects.toThrow("TOPIC_AUTHORIZATION_FAILED");
});

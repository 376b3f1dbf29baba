export { createKafka, ensureTopics, type KafkaOptions, topicOffsets } from "./client.js";
export { type CompactedTable, type CompactedTableOptions, followCompactedTopic } from "./compacted.js";
export { type ConsumerOptions, type MessageMeta, type RunningConsumer, rejectEvent, runConsumer } from "./consumer.js";
export { createProducer, type EventProducer, eventHeaders, type OutgoingEvent, type RawMessage } from "./producer.js";
export { recentEventIds } from "./recent.js";
export { type BackoffPolicy, backoffDelay, defaultBackoff, isRetriable } from "./retry.js";
export {
  createTransactionalPublisher,
  type TopicBatch,
  type TransactionalPublisher,
  type TransactionalPublisherOptions,
} from "./transactional.js";

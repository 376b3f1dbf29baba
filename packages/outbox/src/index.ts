export {
  type AggregateDoc,
  type AggregateStore,
  type AggregateStoreOptions,
  type Aggregates,
  type Change,
  type ChangeWith,
  mongoAggregateStore,
} from "./aggregate-store.js";
export { applyIfNewer, applyManyIfNewer } from "./apply.js";
export { entryEnvelope, type OutboxEntry, outboxEntries, outboxFieldsForInsert, withOutbox } from "./entries.js";
export { memoryAggregates } from "./memory-aggregates.js";
export { connectMongo, mongoReady } from "./mongo.js";
export { type RingingOutboxSignals, redisOutboxSignals, redisPublishedMarks } from "./redis-signals.js";
export { type PublishedMarks, type RelayOptions, type RunningRelay, startOutboxRelay } from "./relay.js";
export {
  ensureOutboxIndex,
  ensureOutboxSignalsIndex,
  markersOf,
  markPending,
  mongoOutboxStore,
  type OutboxHold,
  type OutboxSignals,
  type OutboxStore,
  type OutboxStoreOptions,
  type PendingDocument,
} from "./store.js";

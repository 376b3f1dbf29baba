export * from "./cal/events.js";
export * from "./cotation/events.js";
export * from "./cotation/grid.js";
export {
  Actor,
  AnyEnvelope,
  createEvent,
  defineEvent,
  EnvelopeMeta,
  type EventDefinition,
  type EventOf,
  type NewEvent,
} from "./envelope.js";
export * from "./flux/convention.js";
export * from "./flux/events.js";
export * from "./flux/logement.js";
export * from "./registration/code-lists.js";
export * from "./registration/demand.js";
export * from "./registration/events.js";
export * from "./registration/sealing.js";
export * from "./reporting/alerts.js";
export { defineStream, type EventStream } from "./stream.js";
export { allStreams } from "./streams.js";
export {
  dlqTopicOf,
  groupName,
  type TopicKey,
  type TopicSettings,
  topicName,
  topicSettings,
  topics,
} from "./topics.js";

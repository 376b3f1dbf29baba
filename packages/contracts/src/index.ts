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
export { defineStream, type EventStream } from "./stream.js";
export { dlqTopicOf, groupName, type TopicKey, topicName, topics } from "./topics.js";

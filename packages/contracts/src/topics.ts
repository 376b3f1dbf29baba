/**
 * Every topic name lives here: `<service>.<aggregate>.v<N>`. The dead-letter topic of a consumer's
 * input is `<topic>.dlq`. A prefix (KAFKA_TOPIC_PREFIX) isolates tests and shared dev clusters.
 */
export const topics = {
  demand: "registration.demand.v1",
  duplicate: "registration.duplicate.v1",
  grid: "cotation.grid.v1",
  score: "cotation.score.v1",
  fluxUnit: "flux.unit.v1",
  fluxConvention: "flux.convention.v1",
  fluxOrientation: "flux.orientation.v1",
  calSession: "cal.session.v1",
  calAttribution: "cal.attribution.v1",
} as const;

export type TopicKey = keyof typeof topics;

export const topicName = (base: string, prefix = ""): string => (prefix ? `${prefix}.${base}` : base);

export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;

/** Consumer groups are `<service>.<purpose>`, prefixed like topics. */
export const groupName = (name: string, prefix = ""): string => (prefix ? `${prefix}.${name}` : name);

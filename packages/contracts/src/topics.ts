/**
 * Every topic name lives here: `<service>.<aggregate>.v<N>`. The dead-letter topic of a consumer's
 * input is `<topic>.dlq`. A prefix (KAFKA_TOPIC_PREFIX) isolates tests and shared dev clusters.
 */
export const topics = {
  /** Demand events; `demande` sealed with the demand's data key (decision 0012). */
  demand: "registration.demand.v2",
  /** Each demand's data key (compacted; a tombstone at purge destroys it: decision 0012). */
  demandKey: "registration.demand-key.v1",
  duplicate: "registration.duplicate.v1",
  grid: "cotation.grid.v1",
  score: "cotation.score.v1",
  fluxUnit: "flux.unit.v1",
  fluxConvention: "flux.convention.v1",
  fluxOrientation: "flux.orientation.v1",
  calSession: "cal.session.v1",
  calAttribution: "cal.attribution.v1",
  /** The legal quotas' alerts (reporting). */
  reportingAlert: "reporting.alert.v1",
} as const;

export type TopicKey = keyof typeof topics;

/** Broker settings a topic is created with, beyond the defaults every event log gets (`retention.ms=-1`). */
export interface TopicSettings {
  config: Record<string, string>;
  /** False for topics whose consumers never dead-letter (a copy of a key would outlive its tombstone). */
  deadLetters: boolean;
}

/**
 * The key topic is compacted, and compacted soon: after a tombstone, no record of the key is left
 * once the segment has rolled (`segment.ms`) and the cleaner ran (`max.compaction.lag.ms`), and
 * the tombstone itself goes after `delete.retention.ms` (decision 0012: a day at most).
 */
export const topicSettings: Partial<Record<string, TopicSettings>> = {
  [topics.demandKey]: {
    config: {
      "cleanup.policy": "compact",
      "min.cleanable.dirty.ratio": "0.01",
      "segment.ms": String(60 * 60 * 1000),
      "max.compaction.lag.ms": String(24 * 60 * 60 * 1000),
      "delete.retention.ms": String(24 * 60 * 60 * 1000),
    },
    deadLetters: false,
  },
};

export const topicName = (base: string, prefix = ""): string => (prefix ? `${prefix}.${base}` : base);

export const dlqTopicOf = (topic: string): string => `${topic}.dlq`;

/** Consumer groups are `<service>.<purpose>`, prefixed like topics. */
export const groupName = (name: string, prefix = ""): string => (prefix ? `${prefix}.${name}` : name);

import type { Logger } from "@logis/observability";
import { type Admin, Kafka, logLevel } from "kafkajs";

export interface KafkaOptions {
  brokers: string[];
  clientId: string;
  logger: Logger;
}

const levels: Record<number, "error" | "warn" | "info" | "debug"> = {
  [logLevel.ERROR]: "error",
  [logLevel.WARN]: "warn",
  [logLevel.INFO]: "info",
  [logLevel.DEBUG]: "debug",
};

/** A kafkajs client whose logs go to the service's structured logger. */
export function createKafka({ brokers, clientId, logger }: KafkaOptions): Kafka {
  const kafkaLogger = logger.child({ component: "kafkajs" });
  return new Kafka({
    clientId,
    brokers,
    logLevel: logLevel.WARN,
    retry: { initialRetryTime: 200, retries: 10 },
    logCreator:
      () =>
      ({ level, log }) => {
        const { message, ...extra } = log;
        kafkaLogger[levels[level] ?? "info"](extra, message);
      },
  });
}

/**
 * Creates the topics (and their dead-letter topics) if missing and waits for their leaders: right
 * after auto-creation KRaft may answer LEADER_NOT_AVAILABLE, so services and tests call this first.
 */
export async function ensureTopics(
  kafka: Kafka,
  names: string[],
  numPartitions = 3,
  {
    timeoutMs = 60_000,
    configOf = () => ({}),
  }: {
    timeoutMs?: number;
    /** Broker settings of a topic at its creation, over `retention.ms=-1` (a compacted topic's policy). */
    configOf?: (topic: string) => Record<string, string>;
  } = {},
): Promise<void> {
  const topics = [...new Set(names)];
  const admin = kafka.admin();
  await admin.connect();
  try {
    // Several services start together and create the topics they share: one creates a topic while
    // the others see TOPIC_ALREADY_EXISTS, then "does not host this topic-partition" until its
    // leaders are elected. Both are waited out; any other error fails at once.
    const deadline = Date.now() + timeoutMs;
    for (let attempt = 0; ; attempt++) {
      try {
        const existing = new Set(await admin.listTopics());
        const missing = topics.filter((t) => !existing.has(t));
        if (missing.length > 0) {
          await admin.createTopics({
            waitForLeaders: true,
            // Event topics are the record projections rebuild from (decision 0006): kept for ever,
            // whatever the broker's default retention (Kafka's is a week).
            topics: missing.map((topic) => ({
              topic,
              numPartitions,
              replicationFactor: -1,
              configEntries: Object.entries({ "retention.ms": "-1", ...configOf(topic) }).map(([name, value]) => ({
                name,
                value,
              })),
            })),
          });
        }
        const metadata = await admin.fetchTopicMetadata({ topics });
        const leaderless = metadata.topics.filter((t) => t.partitions.some((p) => p.leader < 0));
        if (leaderless.length === 0) return;
        throw Object.assign(new Error(`no leader yet for ${leaderless.map((t) => t.name).join(", ")}`), {
          type: "LEADER_NOT_AVAILABLE",
        });
      } catch (error) {
        if (!isTransientTopicError(error) || Date.now() > deadline) throw error;
        await new Promise((resolve) => setTimeout(resolve, Math.min(2_000, 100 * 2 ** attempt)));
      }
    }
  } finally {
    await admin.disconnect();
  }
}

const TRANSIENT = new Set([
  "TOPIC_ALREADY_EXISTS",
  "UNKNOWN_TOPIC_OR_PARTITION",
  "LEADER_NOT_AVAILABLE",
  "NOT_CONTROLLER",
  "REQUEST_TIMED_OUT",
]);

/** kafkajs errors of topic creation and metadata that another creator or the controller resolve. */
export function isTransientTopicError(error: unknown): boolean {
  const e = error as { type?: string; errors?: unknown[]; name?: string; retriable?: boolean };
  if (e.type && TRANSIENT.has(e.type)) return true;
  // createTopics reports per-topic failures as a KafkaJSAggregateError ("Topic creation errors").
  if (Array.isArray(e.errors) && e.errors.length > 0) return e.errors.every(isTransientTopicError);
  return e.retriable === true;
}

const STALE_LEADER = new Set(["NOT_LEADER_FOR_PARTITION", "LEADER_NOT_AVAILABLE", "UNKNOWN_TOPIC_OR_PARTITION"]);

/**
 * A topic's offsets per partition (`admin.fetchTopicOffsets`), asked again while the broker says its
 * leaders moved or are being elected: right after a topic is created, or while another file's
 * topics are created beside it, the admin client's metadata may name a leader that is not one yet
 * ("This server is not the leader for that topic-partition"); kafkajs retries with the same stale
 * metadata, so the metadata is read afresh between attempts.
 */
export async function topicOffsets(
  admin: Admin,
  topic: string,
  timeoutMs = 30_000,
): Promise<{ partition: number; offset: string; high: string; low: string }[]> {
  const deadline = Date.now() + timeoutMs;
  for (let attempt = 0; ; attempt++) {
    try {
      return await admin.fetchTopicOffsets(topic);
    } catch (error) {
      const e = error as { type?: string; retriable?: boolean; cause?: { type?: string } };
      const stale =
        (e.type && STALE_LEADER.has(e.type)) || (e.cause?.type && STALE_LEADER.has(e.cause.type)) || e.retriable;
      if (!stale || Date.now() > deadline) throw error;
      await new Promise((resolve) => setTimeout(resolve, Math.min(1_000, 50 * 2 ** attempt)));
      await admin.fetchTopicMetadata({ topics: [topic] }).catch(() => undefined);
    }
  }
}

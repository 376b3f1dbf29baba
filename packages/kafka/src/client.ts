import type { Logger } from "@logis/observability";
import { Kafka, logLevel } from "kafkajs";

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
export async function ensureTopics(kafka: Kafka, names: string[], numPartitions = 3): Promise<void> {
  const admin = kafka.admin();
  await admin.connect();
  try {
    const existing = new Set(await admin.listTopics());
    const missing = [...new Set(names)].filter((t) => !existing.has(t));
    if (missing.length > 0) {
      await admin.createTopics({
        waitForLeaders: true,
        topics: missing.map((topic) => ({ topic, numPartitions, replicationFactor: -1 })),
      });
    }
    await admin.fetchTopicMetadata({ topics: [...new Set(names)] });
  } finally {
    await admin.disconnect();
  }
}

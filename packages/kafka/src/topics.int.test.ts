import { createLogger } from "@logis/observability";
import { testEnv, uniqueName } from "@logis/testing";
import { expect, it } from "vitest";
import { createKafka, ensureTopics } from "./client.js";

it("several services creating the same new topics at once all start, and every partition has a leader", async () => {
  const logger = createLogger({ service: "topics-test", level: "error" });
  const topics = [uniqueName("race.a"), uniqueName("race.b")];
  // As up.sh starts registration and cotation together on a fresh broker.
  const clients = Array.from({ length: 4 }, (_, i) =>
    createKafka({ brokers: testEnv().kafkaBrokers, clientId: `topics-test-${i}`, logger }),
  );
  // One of them has just created the topics (leaders not elected yet) when the others look.
  const first = clients[3]?.admin();
  await first?.connect();
  await first?.createTopics({ waitForLeaders: false, topics: [{ topic: topics[0] as string, numPartitions: 3 }] });
  await Promise.all(clients.map((kafka) => ensureTopics(kafka, topics)));
  await first?.disconnect();

  const admin = clients[0]?.admin();
  if (!admin) throw new Error("no client");
  await admin.connect();
  const metadata = await admin.fetchTopicMetadata({ topics });
  await admin.disconnect();
  expect(metadata.topics.map((t) => [t.name, t.partitions.length]).sort()).toEqual(topics.map((t) => [t, 3]).sort());
  expect(metadata.topics.flatMap((t) => t.partitions.map((p) => p.leader >= 0))).not.toContain(false);
});

it("creates event topics that keep their events for ever (projections rebuild from the beginning, decision 0006)", async () => {
  const logger = createLogger({ service: "topics-test", level: "error" });
  const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: "topics-test-retention", logger });
  const topic = uniqueName("retention.a");
  await ensureTopics(kafka, [topic]);
  const admin = kafka.admin();
  await admin.connect();
  try {
    const { resources } = await admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: 2 /* TOPIC */, name: topic, configNames: ["retention.ms"] }],
    });
    expect(resources[0]?.configEntries.find((e) => e.configName === "retention.ms")?.configValue).toBe("-1");
  } finally {
    await admin.disconnect();
  }
});

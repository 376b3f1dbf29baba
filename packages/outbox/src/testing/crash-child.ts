// A relay or consumer that kills itself (SIGKILL: no cleanup, like a crash or an OOM kill) at the
// worst moment. Run by exactly-once.int.test.ts with `node --import tsx`.
import { createKafka, createProducer, runConsumer } from "@logis/kafka";
import { createLogger } from "@logis/observability";
import { connectMongo } from "../mongo.js";
import { startOutboxRelay } from "../relay.js";
import { mongoOutboxStore } from "../store.js";
import { demoStream, projectCredit } from "./demo.js";

const [mode, mongoUrl, dbName, brokers, topic, groupId] = process.argv.slice(2);
if (!mode || !mongoUrl || !dbName || !brokers || !topic)
  throw new Error("usage: crash-child relay|consumer MONGO DB BROKERS TOPIC [GROUP]");

const logger = createLogger({ service: `crash-${mode}`, level: "warn" });
const connection = await connectMongo(mongoUrl, dbName);
const db = connection.db;
if (!db) throw new Error("no database handle");
const kafka = createKafka({ brokers: brokers.split(","), clientId: `crash-${mode}`, logger });
const producer = await createProducer(kafka);
const die = () => {
  process.kill(process.pid, "SIGKILL");
};

if (mode === "relay") {
  // Dies after the broker acknowledged the events and before the outbox is acknowledged.
  startOutboxRelay({ stores: [mongoOutboxStore(db.collection("accounts"))], producer, logger, afterPublish: die });
} else if (mode === "consumer") {
  // Dies after the effect and before the offset commit.
  await runConsumer({
    kafka,
    groupId: groupId ?? "crash",
    topic,
    schema: demoStream(topic).schema,
    producer,
    logger,
    sessionTimeoutMs: 6_000,
    handle: (event) => projectCredit(db, event),
    beforeCommit: die,
  });
} else {
  throw new Error(`unknown mode ${mode}`);
}

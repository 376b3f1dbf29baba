// Issue 3: bulk import ≥ 5,000 demands/s end to end — stored AND their events published on Kafka —
// on this 2-core machine. Prints the import rate, the end-to-end rate, and the ratio to raw
// insertMany of the same documents measured in the same run.
//   pnpm --filter @logis/registration bench:import [count]
import { demoUsers } from "@logis/auth";
import { dlqTopicOf, topicName, topics } from "@logis/contracts";
import { createKafka, createProducer, ensureTopics } from "@logis/kafka";
import { startOutboxRelay } from "@logis/outbox";
import { testEnv } from "@logis/testing";
import { syntheticCsvFile } from "../src/testing/import-files.js";
import { benchService, rate } from "./common.js";

const count = Number(process.argv[2] ?? 20_000);
const svc = await benchService();
const file = syntheticCsvFile(count);

const kafka = createKafka({ brokers: testEnv().kafkaBrokers, clientId: "bench-import", logger: svc.logger });
const topic = topicName(topics.demand, svc.topicPrefix);
await ensureTopics(kafka, [topic, dlqTopicOf(topic)]);
const producer = await createProducer(kafka);
const relay = startOutboxRelay({
  stores: svc.demands.outboxStores(),
  producer,
  logger: svc.logger,
  batchSize: 1000,
});

const caller = { principal: demoUsers.guichet, correlationId: "cor_bench" };
const cpuBefore = process.cpuUsage();
const start = performance.now();
const { id, done } = await svc.imports.start(caller, { format: "csv", departement: "69", file });
await done;
const stored = (performance.now() - start) / 1000;
await relay.flush();
const published = (performance.now() - start) / 1000;
const cpu = process.cpuUsage(cpuBefore);
await relay.stop();
const job = await svc.imports.jobs.get(id);
if (job?.progress.created !== count)
  throw new Error(`import incomplete: ${JSON.stringify(job?.progress)} ${JSON.stringify(job?.errors.slice(0, 3))}`);

const docs = await svc.db.collection("demands").find({}).limit(count).toArray();
const rawStart = performance.now();
for (let i = 0; i < docs.length; i += 500) {
  await svc.db
    .collection("raw_import")
    .insertMany(docs.slice(i, i + 500).map((d) => ({ ...d, _id: `raw_${String(d._id)}` }) as never));
}
const raw = (performance.now() - rawStart) / 1000;

console.log(`import (stored)               : ${count} demands in ${stored.toFixed(2)} s → ${rate(count, stored)}`);
console.log(
  `import end to end (published) : ${count} demands in ${published.toFixed(2)} s → ${rate(count, published)} (target ≥ 5 000/s)`,
);
console.log(`raw insertMany, same documents: ${docs.length} in ${raw.toFixed(2)} s → ${rate(docs.length, raw)}`);
console.log(`ratio end-to-end / raw        : ${(published > 0 ? raw / published : 0).toFixed(2)}`);
console.log(
  `node (importer and relay)     : ${Math.round(((cpu.user + cpu.system) / 1e6 / published) * 100)} % of one core, ${((cpu.user + cpu.system) / 1e3 / count).toFixed(2)} ms per demand`,
);
await producer.disconnect();
await svc.close();
process.exit(0);

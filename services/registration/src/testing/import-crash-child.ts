// An importer that kills itself (SIGKILL: no cleanup, its batch lock stays held until it expires)
// right after storing a batch's demands, before committing the batch. Run by
// import-batches.int.test.ts with `node --import tsx`; composed like the service (compose.ts).
import { demoUsers } from "@logis/auth";
import { systemClock } from "@logis/domain";
import { startRegistration, testConfig } from "./harness.js";

const [dbName, topicPrefix, file] = process.argv.slice(2);
if (!dbName || !topicPrefix || !file) throw new Error("usage: import-crash-child DB TOPIC_PREFIX FILE");

const { service } = await startRegistration(testConfig(dbName, topicPrefix), {
  clock: systemClock,
  batchHooks: {
    afterDemands: () => {
      process.kill(process.pid, "SIGKILL");
    },
  },
});
const { done } = await service.imports.start(
  { principal: demoUsers.guichet, correlationId: "cor_crash" },
  { format: "csv", departement: "69", file },
);
await done;

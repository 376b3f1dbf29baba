import { attributionStream, groupName, topicName, topics } from "@logis/contracts";
import { frenchDate } from "@logis/domain";
import { type createKafka, type EventProducer, runConsumer } from "@logis/kafka";
import type { Logger } from "@logis/observability";
import { changeDemand } from "../app/commit.js";
import { type Deps, systemCaller } from "../app/context.js";

/**
 * A lease signed in the CAL radiates the demand for attribution (RADATT) with the R441-2-9 data the
 * event carries (unit, contingent, DALO, collective agreement, landlord). Idempotent: a demand
 * already radiated, or purged, is left as it is (a redelivered event changes nothing).
 */
export async function startLeaseSignedConsumer(opts: {
  kafka: ReturnType<typeof createKafka>;
  producer: EventProducer;
  deps: Pick<Deps, "demands" | "clock" | "rules">;
  logger: Logger;
  topicPrefix: string;
}) {
  return runConsumer({
    kafka: opts.kafka,
    groupId: groupName("registration.lease-signed", opts.topicPrefix),
    topic: topicName(topics.calAttribution, opts.topicPrefix),
    schema: attributionStream.schema,
    producer: opts.producer,
    logger: opts.logger,
    fromBeginning: true,
    handle: async (event) => {
      if (event.type !== "LeaseSigned") return;
      const demand = await opts.deps.demands.get(event.payload.demandId);
      if (!demand || demand.status === "radiated" || demand.status === "purged") return;
      await changeDemand(opts.deps, demand, systemCaller(event.correlationId), {
        type: "Radiate",
        radiation: {
          motif: "RADATT",
          attribution: event.payload.attribution,
          commentaire: `Bail signé le ${frenchDate(event.payload.bailSigneLe)} (logement ${event.payload.rplsId})`,
        },
        comment: "RADATT",
      });
    },
  });
}

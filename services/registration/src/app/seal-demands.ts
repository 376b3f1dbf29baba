import { DemandRegistered, type EventDefinition, newDataKey } from "@logis/contracts";
import type { Logger } from "@logis/observability";
import { type Demand, toFacts } from "../domain/demand.js";
import { type DemandChange, publicEventOf } from "../domain/demand-decider.js";
import { eventsFor } from "./commit.js";
import { type Caller, type Deps, systemCaller } from "./context.js";

type Item = { definition: EventDefinition; payload: unknown };

/**
 * A live demand's state as events, for consumers that start from `registration.demand.v2`: its
 * registration with the current facts, then what the chain counts and that the facts do not say
 * (checked proofs, refusals, the radiation or cancellation in force). Decision 0012's migration.
 */
export function restatedEvents(d: Demand): Item[] {
  if (!d.form) return [];
  const items: Item[] = [
    {
      definition: DemandRegistered,
      payload: {
        numeroUnique: d.numeroUnique,
        departement: d.departement,
        dateDepot: d.dateDepot,
        validUntil: d.validUntil,
        guichet: d.guichet,
        demande: toFacts(d.form),
        ...(d.separation
          ? {
              separation: {
                numeroUniqueOrigine: d.separation.numeroUniqueOrigine,
                dateDepotOrigine: d.separation.dateDepotOrigine,
              },
            }
          : {}),
      },
    },
  ];
  const by = { userId: "system:registration-scheduler", organisationId: "system", name: "Migration" };
  const changes: DemandChange[] = [
    ...(d.pieces ?? []).filter((p) => p.checked).map((record) => ({ type: "PieceRecorded" as const, record })),
    ...(d.refusals ?? []).map((r) => ({
      type: "RefusalRecorded" as const,
      refusedOn: r.refusedOn,
      suitable: r.suitable,
      rplsId: r.rplsId,
      at: r.recordedAt,
      comment: "",
      by,
    })),
  ];
  if (d.status === "radiated" && d.radiation)
    changes.push({ type: "Radiated", radiation: d.radiation, purgeAfter: d.purgeAfter ?? "", comment: "", by });
  if (d.status === "cancelled" && d.radiation)
    changes.push({
      type: "Cancelled",
      cancelledAt: d.radiation.date,
      reactivableUntil: d.reactivableUntil ?? d.radiation.date,
      purgeAfter: d.purgeAfter ?? "",
      by,
    });
  for (const change of changes) {
    const event = publicEventOf(d, change);
    if (event) items.push(event);
  }
  return items;
}

/**
 * Gives every live demand registered before decision 0012 its data key (published first) and
 * restates it on the demand topic, sealed, in the write that stores the key; its events still
 * waiting in the outbox are replaced (they were in clear). Numbered within the versions the demand
 * already used, so that its next events follow them. Purged demands have nothing left to restate.
 */
export async function sealLiveDemands(
  deps: Pick<Deps, "demands" | "dataKeys" | "clock">,
  store: { restate(demand: Demand, expectedVersion: number, events: ReturnType<typeof eventsFor>): Promise<void> },
  logger: Logger,
  batchSize = 200,
): Promise<number> {
  const caller: Caller = systemCaller("cor_seal_demands_0012");
  let sealed = 0;
  for (;;) {
    const batch = await deps.demands.withoutDataKey(batchSize);
    if (batch.length === 0) break;
    const keyed = batch.map((d) => ({ ...d, dataKey: newDataKey() }));
    await deps.dataKeys.publish(
      keyed.map((d) => ({ kid: d.id, key: d.dataKey })),
      { untilAcknowledged: true }, // a start-up migration waits for the broker
    );
    const now = deps.clock.now();
    for (const d of keyed) {
      const items = restatedEvents(d);
      const from = Math.max(0, d.eventSeq - items.length);
      const events = eventsFor(d, from, caller, now, items);
      const next: Demand = { ...d, version: d.version + 1, eventSeq: Math.max(d.eventSeq, items.length) };
      await store.restate(next, d.version, events);
      sealed++;
    }
    logger.info({ sealed }, "demands given a data key and restated on the sealed topic (decision 0012)");
  }
  return sealed;
}

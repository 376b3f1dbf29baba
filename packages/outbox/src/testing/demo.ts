// Shared by the exactly-once tests and the child processes they crash on purpose.
import { createEvent, defineEvent, defineStream } from "@logis/contracts";
import type { mongo } from "mongoose";
import { z } from "zod";
import { applyIfNewer } from "../apply.js";
import { outboxEntries, outboxFieldsForInsert } from "../entries.js";

export const CreditGranted = defineEvent("CreditGranted", 1, z.object({ amount: z.number().int().positive() }));
export const demoStream = (topic: string) => defineStream(topic, [CreditGranted]);
export type CreditGranted = z.infer<typeof CreditGranted.schema>;

type Db = mongo.Db;

/** Writes an account and its CreditGranted event in one insert (state + outbox). */
export async function grantCredit(db: Db, topic: string, accountId: string, amount: number) {
  const event = createEvent(CreditGranted, {
    aggregateId: accountId,
    aggregateVersion: 1,
    payload: { amount },
    correlationId: `cor_${accountId}`,
    occurredAt: new Date(),
  });
  await db.collection("accounts").insertOne({
    _id: accountId as never,
    balance: amount,
    version: 1,
    ...outboxFieldsForInsert(outboxEntries(topic, [event]), new Date()),
  });
  return event;
}

/**
 * The consumer's effect. Every delivery is logged (not idempotent, to count redeliveries); the
 * projection is only changed once per event thanks to the high-water mark.
 */
export async function projectCredit(db: Db, event: CreditGranted, idempotent = true) {
  await db.collection("deliveries").insertOne({ eventId: event.eventId, at: new Date() });
  if (idempotent) {
    await applyIfNewer(db.collection("credits"), event.aggregateId, event.aggregateVersion, {
      $inc: { total: event.payload.amount },
    });
  } else {
    await db
      .collection("credits")
      .updateOne({ _id: event.aggregateId as never }, { $inc: { total: event.payload.amount } }, { upsert: true });
  }
}

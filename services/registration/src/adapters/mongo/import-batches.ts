import { randomBytes } from "node:crypto";
import {
  entryEnvelope,
  type OutboxEntry,
  type OutboxSignals,
  type OutboxStore,
  type PendingDocument,
} from "@logis/outbox";
import type { KeyedLock } from "@logis/redis";
import type { mongo } from "mongoose";
import { type DemandDoc, insertNew } from "./demand-docs.js";
import type { LookupTables } from "./lookup-tables.js";

/** The state of one bulk-import batch; its events wait in `demand_import_events` under the same id. */
export interface BatchDoc {
  _id: string;
  state: "prepared" | "committed" | "published";
  at: Date;
  /** Once committed: the demands this batch created, whose events leave. */
  created?: string[];
}

/** Test seams for crash tests: a hook that throws leaves the batch as a crash at that point would. */
export interface BatchHooks {
  afterPrepare?: (batchId: string) => Promise<void> | void;
  afterDemands?: (batchId: string) => Promise<void> | void;
}

const STALE_MS = 120_000;

/**
 * Bulk import without one outbox acknowledgement per demand (decision 0007). Each batch:
 * 1. prepared: its events written (one document, `demand_import_events`), then a small state document;
 * 2. its demands inserted, each tagged `outboxAfter: <batch>`;
 * 3. committed: the state lists the demands created; the relay publishes their events, marks the
 *    batch published and deletes its events.
 * The importer holds the batch's lock from 1 to 3. A batch left prepared (a crash) is completed by
 * the janitor: the events of the tagged demands that exist leave, the others never had a state.
 * A tagged demand's own later events wait until its batch is published (the store's `hold`).
 */
export function importBatches({
  db,
  demands,
  tables,
  lock,
  signals,
  hooks = {},
}: {
  db: mongo.Db;
  demands: mongo.Collection<DemandDoc>;
  tables: LookupTables;
  lock: KeyedLock;
  signals: OutboxSignals;
  hooks?: BatchHooks;
}) {
  const batches = db.collection<BatchDoc>("demand_import_batches");
  // Entries kept as JSON text: FerretDB v1 writes and reads a string about ten times faster than
  // the same data as nested fields, and the relay only needs to send it on.
  const events = db.collection<{ _id: string; at: Date; entries: string[] }>("demand_import_events");
  const entriesOf = async (batchId: string): Promise<OutboxEntry[]> =>
    ((await events.findOne({ _id: batchId }))?.entries ?? []).map((e) => JSON.parse(e) as OutboxEntry);
  const lockKey = (batchId: string) => `${batches.collectionName}:${batchId}`;
  const releasedIds = new Set<string>();

  /** Marks the batch committed with the demands it created; call under the batch's lock. */
  async function commit(batchId: string, created: string[]) {
    const batch = await batches.findOne({ _id: batchId });
    if (batch?.state !== "prepared") return false;
    await batches.updateOne({ _id: batchId }, { $set: { state: "committed", created } });
    await signals.add(batches.collectionName, [batchId]);
    return true;
  }

  let lastScan = 0;
  const store: OutboxStore = {
    name: batches.collectionName,
    async fetchPending(limit) {
      if (Date.now() - lastScan > 10 * 60_000) {
        lastScan = Date.now();
        // Repair: committed batches whose signal was lost (a crash right after the commit).
        const committed = await batches.find({ state: "committed" }, { projection: { _id: 1 } }).toArray();
        await signals.add(
          batches.collectionName,
          committed.map((b) => b._id),
        );
      }
      const ids = await signals.pending(batches.collectionName, limit);
      const pending: PendingDocument[] = [];
      for (const id of ids) {
        const batch = await batches.findOne({ _id: id });
        if (batch?.state !== "committed") {
          await signals.remove(batches.collectionName, [id]);
          continue;
        }
        const created = new Set(batch.created ?? []);
        const entries = (await entriesOf(id)).filter((e) => created.has(entryEnvelope(e).aggregateId));
        pending.push({ id, entries });
      }
      return pending;
    },
    async acknowledge(published) {
      let changed = 0;
      for (const { id } of published) {
        const batchId = String(id);
        const done = await lock.run(lockKey(batchId), async () => {
          const batch = await batches.findOne({ _id: batchId });
          if (batch?.state !== "committed") return false;
          await batches.updateOne({ _id: batchId }, { $set: { state: "published" }, $unset: { created: "" } });
          return true;
        });
        await events.deleteOne({ _id: batchId });
        await signals.remove(batches.collectionName, [batchId]);
        if (done) changed++;
      }
      return changed;
    },
  };

  return {
    collection: batches,
    store,
    /** Stores new demands (numéros already reserved) with their events; returns the ids created now. */
    async write(items: { doc: DemandDoc; entries: OutboxEntry[] }[]): Promise<Set<string>> {
      if (items.length === 0) return new Set();
      const batchId = `ibt_${randomBytes(10).toString("hex")}`;
      return lock.run(lockKey(batchId), async () => {
        const entries = items.flatMap((i) => i.entries);
        await events.insertOne({ _id: batchId, at: new Date(), entries: entries.map((e) => JSON.stringify(e)) });
        await batches.insertOne({ _id: batchId, state: "prepared", at: new Date() });
        await hooks.afterPrepare?.(batchId);
        const docs = items.map(({ doc }) => ({ ...doc, outbox: [], outboxAfter: batchId }));
        const refused = await insertNew(demands, docs);
        await hooks.afterDemands?.(batchId);
        const created = docs.filter((_, i) => !refused.has(i)).map((d) => d._id);
        await tables.addKeys(
          docs
            .filter((_, i) => !refused.has(i))
            .map((d) => ({
              departement: d.departement,
              demandId: d._id,
              keys: d.searchKeys.filter((k) => !k.startsWith("dn:")),
            })),
        );
        await commit(batchId, created);
        return new Set(created);
      });
    },
    /**
     * The janitor: completes batches left prepared for longer than `olderThanMs` (their importer
     * died holding the lock, which has expired since): the demands that were stored keep their
     * event; the others were never stored and leave none. Returns how many batches it completed.
     */
    async completeStale(olderThanMs = STALE_MS): Promise<number> {
      const cutoff = Date.now() - olderThanMs;
      const prepared = await batches.find({ state: "prepared" }).toArray();
      let completed = 0;
      for (const { _id, at } of prepared) {
        if (at.getTime() > cutoff) continue;
        const done = await lock
          .run(lockKey(_id), async () => {
            const batch = await batches.findOne({ _id });
            if (batch?.state !== "prepared") return false;
            const ids = [...new Set((await entriesOf(_id)).map((e) => entryEnvelope(e).aggregateId))];
            const stored = await Promise.all(
              ids.map((id) => demands.findOne({ _id: id }, { projection: { outboxAfter: 1 } })),
            );
            const created = ids.filter((_, i) => stored[i]?.outboxAfter === _id);
            // Keys are derived and verified on read: re-adding them is idempotent.
            const docs = await Promise.all(
              created.map((id) => demands.findOne({ _id: id }, { projection: { departement: 1, searchKeys: 1 } })),
            );
            await tables.addKeys(
              docs.flatMap((d) =>
                d
                  ? [
                      {
                        departement: d.departement,
                        demandId: d._id,
                        keys: d.searchKeys.filter((k) => !k.startsWith("dn:")),
                      },
                    ]
                  : [],
              ),
            );
            return commit(_id, created);
          })
          .catch(() => false); // still locked: its importer is alive after all
        if (done) completed++;
      }
      // Events left behind by a crash: before their batch existed (no demand was stored yet), or
      // after it was published and before they were deleted.
      for (const { _id, at } of await events.find({}, { projection: { at: 1 } }).toArray()) {
        const batch = await batches.findOne({ _id }, { projection: { state: 1 } });
        if (batch?.state === "published" || (!batch && at.getTime() < cutoff)) await events.deleteOne({ _id });
      }
      return completed;
    },
    /** True once the batch can no longer hold an unpublished event (monotonic: cached). */
    async released(ref: unknown): Promise<boolean> {
      const id = String(ref);
      if (releasedIds.has(id)) return true;
      const batch = await batches.findOne({ _id: id }, { projection: { state: 1 } });
      const done = !batch || batch.state === "published";
      if (done) releasedIds.add(id);
      return done;
    },
  };
}
export type ImportBatches = ReturnType<typeof importBatches>;

import type { Applied } from "./projection.js";

/** A row of a read model: the aggregate's id and the last aggregate version folded in (the high-water mark). */
export interface VersionedRow {
  id: string;
  version: number;
}

/**
 * A read model's store: one row per aggregate, written only by its projection. `put` writes a row
 * only if its version is above the stored one, so a redelivered or replayed event changes nothing.
 * MongoDB in production (`adapters/mongo/rows.ts`), memory in unit tests.
 */
export interface Rows<R extends VersionedRow> {
  get(id: string): Promise<R | undefined>;
  getMany(ids: readonly string[]): Promise<R[]>;
  /** false when a row of this version or a newer one was there already. */
  put(row: R): Promise<boolean>;
  /**
   * Inserts new rows in bulk and replaces the others by `_id` alone (no version filter, which
   * FerretDB would answer with a scan): for a writer that compared each row's version with the one it
   * loaded (the fold of a batch; the one consumer of the aggregate's partition) or the only writer (a
   * rebuild's collection).
   */
  overwriteMany(rows: readonly R[], created: ReadonlySet<string>): Promise<void>;
  /** Inserts rows believed new, in bulk; the ids of those that were there already (left unchanged). */
  insertNew(rows: readonly R[]): Promise<Set<string>>;
  /** Every row matching the equality filter (field → one of the values). */
  list(filter?: Record<string, readonly (string | number | boolean)[]>): Promise<R[]>;
  count(): Promise<number>;
}

/** Where a read model stands in its topic: the next offset to read, by partition. */
export type Positions = Record<string, number>;

/**
 * Which collection holds each read model now and the positions its rows contain (a snapshot: a
 * restart resumes from it; a rebuilt collection is swapped in with its positions in one write).
 */
export interface ReadModelCatalog {
  entry(name: string): Promise<{ collection: string; positions: Positions } | undefined>;
  /** Records positions just after the rows they produced; false if the read model lives elsewhere now. */
  advance(name: string, collection: string, positions: Positions): Promise<boolean>;
  /** Points the read model at `to` with its positions, only if it still lives in `from`. */
  swap(name: string, from: string, to: string, positions: Positions): Promise<boolean>;
}

const matches = (row: object, filter: Record<string, readonly unknown[]> | undefined) =>
  !filter || Object.entries(filter).every(([k, vs]) => vs.includes((row as Record<string, unknown>)[k]));

/** The memory store (unit tests), with the same high-water-mark contract. */
export function memoryRows<R extends VersionedRow>(): Rows<R> & { rows: Map<string, R> } {
  const rows = new Map<string, R>();
  const put = (row: R) => {
    const current = rows.get(row.id);
    if (current && current.version >= row.version) return false;
    rows.set(row.id, structuredClone(row));
    return true;
  };
  return {
    rows,
    get: async (id) => rows.get(id),
    getMany: async (ids) => ids.map((id) => rows.get(id)).filter((r): r is R => r !== undefined),
    put: async (row) => put(row),
    overwriteMany: async (list) => {
      for (const r of list) rows.set(r.id, structuredClone(r));
    },
    insertNew: async (list) => {
      const there = new Set<string>();
      for (const r of list)
        if (rows.has(r.id)) there.add(r.id);
        else rows.set(r.id, structuredClone(r));
      return there;
    },
    list: async (filter) => [...rows.values()].filter((r) => matches(r, filter)),
    count: async () => rows.size,
  };
}

/**
 * Folds one stream into a read model: load the row → evolve → store if newer. Idempotent: an event at
 * or below the row's version (redelivery, replay) is skipped, and the store checks the version again.
 * Events of one aggregate arrive in order (one partition per aggregate). `applyBatch` folds many
 * events with one read and one write per aggregate (the live consumers, a Kafka batch at a time): the
 * same rows result. An aggregate whose first event in the batch is its first event of all (version
 * 1) is not read: its row is inserted, and if it was there already (a redelivered batch) its events
 * are folded again on the stored row. So a burst of new aggregates costs one bulk insert, no reads.
 */
export function foldProjection<
  R extends VersionedRow,
  E extends { aggregateId: string; aggregateVersion: number },
  S extends Rows<R> = Rows<R>,
>(rows: S, evolve: (row: R | undefined, event: E) => R | undefined) {
  return {
    rows,
    async apply(event: E): Promise<Applied> {
      const current = await rows.get(event.aggregateId);
      if (current && current.version >= event.aggregateVersion) return "already-applied";
      const next = evolve(current, event);
      if (next === undefined) return "ignored";
      return (await rows.put(next)) ? "applied" : "already-applied";
    },
    async applyBatch(events: readonly E[]): Promise<number> {
      const first = new Map<string, number>();
      for (const e of events) if (!first.has(e.aggregateId)) first.set(e.aggregateId, e.aggregateVersion);
      const toRead = [...first].filter(([, v]) => v > 1).map(([id]) => id);
      const stored = await rows.getMany(toRead);
      const fold = (list: readonly E[], from: readonly R[]) => {
        const state = new Map<string, R | undefined>(from.map((r) => [r.id, r]));
        const changed = new Set<string>();
        for (const e of list) {
          const current = state.get(e.aggregateId);
          if (current && current.version >= e.aggregateVersion) continue;
          const next = evolve(current, e);
          if (next === undefined) continue;
          state.set(e.aggregateId, next);
          changed.add(e.aggregateId);
        }
        return [...changed].map((id) => state.get(id)).filter((r): r is R => r !== undefined);
      };
      const out = fold(events, stored);
      const found = new Set(stored.map((r) => r.id));
      const known = out.filter((r) => found.has(r.id));
      // New rows inserted and known rows replaced side by side (different documents).
      const [there] = await Promise.all([
        rows.insertNew(out.filter((r) => !found.has(r.id))),
        known.length ? rows.overwriteMany(known, new Set()) : undefined,
      ]);
      if (there.size === 0) return out.length;
      // Rows that were there after all: their events folded again on what is stored.
      const again = fold(
        events.filter((e) => there.has(e.aggregateId)),
        await rows.getMany([...there]),
      );
      if (again.length) await rows.overwriteMany(again, new Set());
      return out.length - there.size + again.length;
    },
  };
}
export type FoldProjection<E extends { aggregateId: string; aggregateVersion: number }> = {
  apply(event: E): Promise<Applied>;
  applyBatch(events: readonly E[]): Promise<number>;
};

/**
 * A rebuild's fold: the rows live in memory while the topic is replayed, the least recently changed
 * written out when `maxRows` are held (half of them, in the background while the fold goes on: the
 * fold and the database work side by side), and all of them at each `flush` (awaited: a rebuild
 * commits its offsets only after). New rows are inserted in bulk, rows written before replaced by
 * `_id`; a later event of a row written out loads it back (from the write in flight, or by `_id`).
 * The target collection is the rebuild's own (nobody else writes it), so no version filter is
 * needed on the writes; a replay after a crash still skips events at or below a row's version.
 */
export function rebuildFold<R extends VersionedRow, E extends { aggregateId: string; aggregateVersion: number }>(
  rows: Rows<R>,
  evolve: (row: R | undefined, event: E) => R | undefined,
  maxRows = 200_000,
  /** A run resumed after a crash: rows it has not seen this run may be in the collection already. */
  resumed = false,
) {
  // In the order they were last changed (a changed row moves to the end): the first are the coldest.
  const held = new Map<string, R>();
  const created = new Set<string>();
  const flushed = new Set<string>();
  let inFlight = new Map<string, R>();
  let writing: Promise<void> = Promise.resolve();
  let writes = 0;
  /** Writes the `count` coldest rows in the background, once the previous write is done. */
  const spill = async (count: number) => {
    await writing;
    const list: R[] = [];
    const fresh = new Set<string>();
    for (const [id, row] of held) {
      if (list.length >= count) break;
      list.push(row);
      if (created.delete(id)) fresh.add(id);
    }
    if (list.length === 0) return;
    for (const row of list) held.delete(row.id);
    const batch = new Map(list.map((r) => [r.id, r]));
    inFlight = batch;
    writing = rows.overwriteMany(list, fresh).then(() => {
      for (const r of list) flushed.add(r.id);
      writes += list.length;
      if (inFlight === batch) inFlight = new Map();
    });
    // Awaited by the next spill or flush, which throw its failure.
    writing.catch(() => undefined);
  };
  return {
    async push(event: E): Promise<void> {
      const id = event.aggregateId;
      let current = held.get(id);
      const wasHeld = current !== undefined;
      if (!wasHeld) {
        current = inFlight.get(id);
        if (!current && (resumed || flushed.has(id))) {
          current = await rows.get(id);
          if (current) flushed.add(id);
        }
      }
      if (current && current.version >= event.aggregateVersion) return;
      const next = evolve(current, event);
      if (next === undefined) return;
      if (!current && !flushed.has(id)) created.add(id);
      if (wasHeld) held.delete(id);
      held.set(id, next);
      if (held.size >= maxRows) await spill(held.size - Math.floor(maxRows / 2));
    },
    /** Writes every row held and waits for the writes. */
    async flush() {
      await spill(held.size);
      await writing;
    },
    get writes() {
      return writes;
    },
    get held() {
      return held.size;
    },
  };
}

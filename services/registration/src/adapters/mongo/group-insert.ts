import type { mongo } from "mongoose";

type WriteError = { index: number; code: number; errmsg?: string };
type Waiting<T> = { docs: T[]; resolve: (errors: (Error | undefined)[]) => void; reject: (error: unknown) => void };

/** A refused document, with the driver's code (11000: duplicate key). */
export class InsertRefused extends Error {
  constructor(
    readonly code: number,
    message = "insert refused",
  ) {
    super(message);
  }
}

/**
 * Group commit of inserts: concurrent callers' documents go to the database in one unordered
 * insertMany. Nothing waits for a timer: a caller alone is sent at once; callers arriving while a
 * call is in flight form the next one. On FerretDB v1 a call costs about as much as a small
 * document, so this divides the cost of concurrent registrations. Each document succeeds or fails
 * on its own, as with separate inserts; a failure of the whole call (connection) fails every caller.
 */
export function groupInsert<T extends mongo.BSON.Document>(collection: mongo.Collection<T>, maxDocs = 1_000) {
  const queue: Waiting<T>[] = [];
  let inFlight = false;

  async function send(batch: Waiting<T>[]) {
    const docs = batch.flatMap((w) => w.docs);
    const errors = new Map<number, WriteError>();
    try {
      await collection.insertMany(docs as mongo.OptionalUnlessRequiredId<T>[], { ordered: false });
    } catch (error) {
      const writeErrors = (error as { writeErrors?: WriteError[] }).writeErrors;
      if (!writeErrors?.length) {
        for (const w of batch) w.reject(error);
        return;
      }
      for (const e of writeErrors) errors.set(e.index, e);
    }
    let offset = 0;
    for (const w of batch) {
      w.resolve(
        w.docs.map((_, i) => {
          const e = errors.get(offset + i);
          return e ? new InsertRefused(e.code, e.errmsg) : undefined;
        }),
      );
      offset += w.docs.length;
    }
  }

  async function drain() {
    inFlight = true;
    try {
      while (queue.length > 0) {
        let size = 0;
        const batch: Waiting<T>[] = [];
        while (queue.length > 0 && (batch.length === 0 || size + (queue[0]?.docs.length ?? 0) <= maxDocs)) {
          const next = queue.shift() as Waiting<T>;
          size += next.docs.length;
          batch.push(next);
        }
        await send(batch);
      }
    } finally {
      inFlight = false;
    }
  }

  return {
    /** Inserts `docs`; resolves with one entry per document: undefined when stored, else why not. */
    insert(docs: T[]): Promise<(Error | undefined)[]> {
      if (docs.length === 0) return Promise.resolve([]);
      return new Promise((resolve, reject) => {
        queue.push({ docs, resolve, reject });
        if (!inFlight) void drain();
      });
    },
  };
}

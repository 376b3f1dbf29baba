import mongoose from "mongoose";

/**
 * The one way services and tests connect: `ignoreUndefined` so that absent optional fields stay
 * absent (the driver would otherwise store them as null, which the schemas then refuse).
 */
export function connectMongo(url: string, dbName: string): Promise<mongoose.Connection> {
  return mongoose.createConnection(url, { dbName, ignoreUndefined: true }).asPromise();
}

/**
 * A readiness probe that proves the database answers a query: it reads one document (`_id` only)
 * of `collection` — by default the first collection the database lists, remembered — with
 * `maxTimeMS` and a timer of `timeoutMs`, and resolves false on an error or when the answer is
 * late; it never rejects. A `ping` is not enough: on FerretDB it touches no backend connection and
 * kept answering while every SQLite connection of the database was held (decision 0009). A
 * database without collections has nothing to read: listing them is the check.
 */
export function mongoReady(
  connection: mongoose.Connection,
  timeoutMs = 1000,
  collection?: string,
): () => Promise<boolean> {
  let name = collection;
  const probe = async (): Promise<void> => {
    const db = connection.db;
    if (!db || connection.readyState !== mongoose.ConnectionStates.connected) throw new Error("not connected");
    if (name === undefined) {
      const listed = await db.listCollections({}, { nameOnly: true, maxTimeMS: timeoutMs }).toArray();
      name = listed.map((c) => c.name).find((n) => !n.startsWith("system."));
      if (name === undefined) return;
    }
    await db.collection(name).findOne({}, { projection: { _id: 1 }, maxTimeMS: timeoutMs });
  };
  return async () => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => resolve(false), timeoutMs);
    });
    try {
      return await Promise.race([
        probe().then(
          () => true,
          () => false,
        ),
        late,
      ]);
    } finally {
      clearTimeout(timer);
    }
  };
}

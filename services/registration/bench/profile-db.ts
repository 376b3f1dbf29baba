// Where does the time go? Wraps a driver Db so that every collection call is timed per
// (collection, method); used by `bench:profile`. Concurrent calls overlap, so compare shares.
import type { mongo } from "mongoose";

const METHODS = ["insertOne", "insertMany", "findOne", "updateOne", "deleteOne", "countDocuments"] as const;

export function profiledDb(db: mongo.Db) {
  const stats = new Map<string, { n: number; ms: number }>();
  const record = (key: string, start: number) => {
    const s = stats.get(key) ?? { n: 0, ms: 0 };
    s.n++;
    s.ms += performance.now() - start;
    stats.set(key, s);
  };
  let wrapped: mongo.Db;
  const wrapCollection = (c: mongo.Collection) =>
    new Proxy(c, {
      get(target, prop, receiver) {
        if (prop === "db") return wrapped;
        const value = Reflect.get(target, prop, receiver);
        if (typeof value !== "function") return value;
        if ((METHODS as readonly (string | symbol)[]).includes(prop)) {
          return async (...args: unknown[]) => {
            const start = performance.now();
            try {
              return await value.apply(target, args);
            } finally {
              record(`${target.collectionName}.${String(prop)}`, start);
            }
          };
        }
        if (prop === "find") {
          return (...args: unknown[]) => {
            const cursor = value.apply(target, args);
            const toArray = cursor.toArray.bind(cursor);
            cursor.toArray = async () => {
              const start = performance.now();
              try {
                return await toArray();
              } finally {
                record(`${target.collectionName}.find`, start);
              }
            };
            return cursor;
          };
        }
        return value.bind(target);
      },
    });
  wrapped = new Proxy(db, {
    get(target, prop, receiver) {
      if (prop === "collection") return (name: string) => wrapCollection(target.collection(name));
      const value = Reflect.get(target, prop, receiver);
      return typeof value === "function" ? value.bind(target) : value;
    },
  });
  return {
    db: wrapped,
    record,
    report(title: string) {
      const rows = [...stats.entries()].sort((a, b) => b[1].ms - a[1].ms);
      const total = rows.reduce((a, [, s]) => a + s.ms, 0);
      console.log(`\n${title}: time summed over calls (concurrent calls overlap)`);
      for (const [key, s] of rows)
        console.log(
          `  ${key.padEnd(34)} ${String(s.n).padStart(6)} calls ${s.ms.toFixed(0).padStart(8)} ms  ${(s.ms / s.n).toFixed(1).padStart(7)} ms/call  ${((100 * s.ms) / total).toFixed(0).padStart(3)}%`,
        );
      stats.clear();
    },
  };
}

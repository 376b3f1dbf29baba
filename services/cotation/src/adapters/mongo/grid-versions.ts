import { GridKind } from "@logis/contracts";
import { type AggregateStoreOptions, mongoAggregateStore } from "@logis/outbox";
import type { mongo } from "mongoose";
import { type GridVersion, gridIdOf, versionIdOf } from "../../domain/grid-version.js";

/**
 * Grid versions in MongoDB, one document per version (`grd_<epci>_<kind>.v<n>`), each with its
 * outbox. A grid's versions are read by `_id`, 1, 2, … until one is missing: few per grid, and
 * lookups by `_id` are the only ones every engine answers from an index.
 */
export function mongoGridVersions(db: mongo.Db, options: AggregateStoreOptions) {
  const store = mongoAggregateStore<GridVersion>(db, "grid_versions", options);
  async function versionsOf(gridId: string): Promise<GridVersion[]> {
    const out: GridVersion[] = [];
    for (let v = 1; ; v++) {
      const doc = await store.get(versionIdOf(gridId, v));
      if (!doc) return out;
      out.push(doc);
    }
  }
  return {
    store,
    versionsOf,
    async ofEpcis(epcis: readonly string[]): Promise<GridVersion[]> {
      const all = await Promise.all(epcis.flatMap((e) => GridKind.options.map((k) => versionsOf(gridIdOf(e, k)))));
      return all.flat();
    },
  };
}
export type GridVersions = ReturnType<typeof mongoGridVersions>;

/**
 * A small persistent map stored as plain JSON (the aggregate store writes states as documents):
 * setting a key copies one of 256 buckets, not the whole map, so a ledger of thousands of units
 * evolves event by event without quadratic copying, and earlier states stay intact.
 */
export interface PMap<V> {
  readonly buckets: readonly (Readonly<Record<string, V>> | null)[];
  readonly size: number;
}

const BUCKETS = 256;

const bucketOf = (key: string): number => {
  let h = 2166136261;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 16777619);
  return (h >>> 0) % BUCKETS;
};

export const emptyPMap = <V>(): PMap<V> => ({ buckets: new Array(BUCKETS).fill(null), size: 0 });

export const pget = <V>(map: PMap<V>, key: string): V | undefined => {
  const bucket = map.buckets[bucketOf(key)];
  return bucket && Object.hasOwn(bucket, key) ? bucket[key] : undefined;
};

export function pset<V>(map: PMap<V>, key: string, value: V): PMap<V> {
  const index = bucketOf(key);
  const bucket = map.buckets[index] ?? {};
  const had = Object.hasOwn(bucket, key);
  const buckets = [...map.buckets];
  buckets[index] = { ...bucket, [key]: value };
  return { buckets, size: map.size + (had ? 0 : 1) };
}

/** Every value, ordered by key (deterministic whatever the insertion order). */
export const pvalues = <V>(map: PMap<V>): V[] =>
  map.buckets
    .flatMap((b) => (b ? Object.entries(b) : []))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, v]) => v);

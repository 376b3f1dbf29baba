/**
 * Mutual exclusion per key (e.g. per aggregate document), across processes. Needed because a
 * MongoDB-wire server may not apply concurrent conditional updates of one document atomically
 * (FerretDB v1 does not; see docs/decisions/0005): every writer of a document holds its key.
 */
export interface KeyedLock {
  run<T>(key: string, fn: () => Promise<T>): Promise<T>;
}

import type { AnyEnvelope, DemandStatus } from "@logis/contracts";
import type { Demand } from "../domain/demand.js";

export interface DemandSearch {
  departements: string[];
  numeroUnique?: string | undefined;
  /** Prefix of the applicant's or co-applicant's name, compared without accents or case. */
  nom?: string | undefined;
  commune?: string | undefined;
  statut?: DemandStatus | undefined;
  page: number;
  pageSize: number;
}

export interface DemandRepository {
  get(id: string): Promise<Demand | undefined>;
  getByNumero(numeroUnique: string): Promise<Demand | undefined>;
  /**
   * Reserves a new demand's numéro (CONFLICT `NUMERO_TAKEN` when taken) and its duplicate keys;
   * returns the demands of the département sharing one of its keys (purged ones excluded), and
   * `complete`, which writes the demand (same id, numéro and form) and its events in one document write.
   */
  reserve(demand: Demand): Promise<{
    holders: Demand[];
    complete(demand: Demand, events: AnyEnvelope[]): Promise<void>;
    /** The demand will not be written (a possible duplicate to examine): its numéro and keys are given back. */
    release(): Promise<void>;
  }>;
  /** Writes the new state and its events in one document write if nobody changed it since `expectedVersion`. */
  save(demand: Demand, expectedVersion: number, events: AnyEnvelope[]): Promise<void>;
  /** Demands of the département sharing one of `keys` (see domain/duplicates), purged ones excluded. */
  findByKeys(departement: string, keys: string[]): Promise<Demand[]>;
  search(query: DemandSearch): Promise<{ items: Demand[]; total: number }>;
  /** Active demands whose validity ends before `before` (scheduled steps narrow further in the domain). */
  activeExpiringBefore(before: Date, limit: number, afterId?: string): Promise<Demand[]>;
  purgeableBefore(before: Date, limit: number): Promise<Demand[]>;
  /** Purged demands whose key's tombstone was not acknowledged (purged before decision 0012, or a lost mark). */
  purgedWithKeyLeft(limit: number): Promise<Demand[]>;
  /** Live demands without a data key (registered before decision 0012): the migration's. */
  withoutDataKey(limit: number): Promise<Demand[]>;
  /** Active demands whose radiation procedure (inadmissibility, letter without answer) is due before `before`. */
  procedureDueBefore(before: Date, limit: number): Promise<Demand[]>;
}

/**
 * The demands' data keys on the compacted key topic (decision 0012). Both resolve once Kafka
 * acknowledged: a key before its demand's first write, a tombstone before the purge write.
 */
export interface DataKeys {
  /**
   * Resolves once Kafka holds the keys. A request waits a bounded time (then a retriable 503); a
   * background job (`untilAcknowledged`) waits as long as the broker is away, as the relay does.
   */
  publish(keys: { kid: string; key: string }[], options?: { untilAcknowledged?: boolean }): Promise<void>;
  destroy(kids: string[]): Promise<void>;
}

export interface NumberAllocator {
  /** The next sequence number of the département: strictly increasing, never reused. */
  next(departement: string): Promise<number>;
}

export interface ReadAuditEntry {
  at: Date;
  userId: string;
  organisationId: string;
  demandId: string;
  numeroUnique: string;
  what: "file" | "attestation" | "history" | "sensitive";
  requestId?: string | undefined;
}

export interface ReadAudit {
  record(entry: ReadAuditEntry): Promise<void>;
  /** Many reads at once (an export's part): one write where the store allows it. */
  recordMany?(entries: ReadAuditEntry[]): Promise<void>;
  list(demandId: string): Promise<ReadAuditEntry[]>;
}

/**
 * Where export files are kept, a part at a time (the service's own database). Parts are numbered
 * within a run of their job: a run taken for dead never writes into the file of the run after it.
 */
export interface ExportFiles {
  /** Stores part `n` of a run's file (again: replaces it). */
  write(job: string, run: number, n: number, text: string): Promise<void>;
  /** The first `count` parts of a run's file, in order. */
  read(job: string, run: number, count: number): AsyncIterable<string>;
  /** Removes parts `from` to `to - 1` of a run's file. */
  remove(job: string, run: number, from: number, to: number): Promise<void>;
}

import type { Principal } from "@logis/auth";
import type { Aggregates } from "@logis/outbox";
import type { Convention } from "../domain/convention.js";
import type { Ledger } from "../domain/ledger.js";
import type { Unit } from "../domain/logement.js";
import type { Vacance } from "../domain/vacance.js";

/** Who calls a use case: the HTTP layer builds it once for REST and tRPC (`@logis/http` Caller). */
export interface Caller {
  principal: Principal;
  correlationId: string;
}

export type { Aggregates };

/** Every stored aggregate counts its events: the next event's aggregateVersion is `version + 1`. */
type Stored<S> = S & { _id: string; version: number };

export type UnitDoc = Stored<Omit<Unit, "vacance"> & { vacance?: Unit["vacance"] }>;
export type ConventionDoc = Stored<Omit<Convention, "commune"> & { commune?: string | undefined }>;
export type LedgerDoc = Stored<Omit<Ledger, "prevision"> & { prevision?: Ledger["prevision"] }>;
/**
 * A vacancy as stored: written under its ledger's lock just before the ledger (FerretDB has no
 * multi-document transaction). `ledgerVersion` is the ledger version that write belongs to; a
 * vacancy ahead of its ledger (a crash between the two writes) is read as `avant`, its previous state.
 */
export type VacanceDoc = Vacance & { _id: string; ledgerVersion: number; avant?: Vacance | undefined };

export interface UnitsPort {
  store: Aggregates<UnitDoc>;
  /** A landlord's units, by RPLS id, `limit` at most after `after`. */
  list(filter: {
    bailleurIds?: readonly string[];
    departements?: readonly string[];
    communes?: readonly string[];
    libres?: boolean;
    after?: string;
    limit: number;
  }): Promise<UnitDoc[]>;
}

/**
 * A landlord's conventions in one département, as one aggregate: the legal caps bind them together,
 * so a signature or an amendment is decided under its lock (`set:<bailleurId>:<département>`).
 */
export type ConventionSetDoc = { _id: string; conventionIds: string[]; version: number };

export interface ConventionsPort {
  store: Aggregates<ConventionDoc>;
  sets: Aggregates<ConventionSetDoc>;
  /** The conventions matching every given criterion. */
  list(filter: {
    bailleurId?: string;
    departements?: readonly string[];
    reservataireId?: string;
  }): Promise<ConventionDoc[]>;
}

export interface LedgersPort {
  store: Aggregates<LedgerDoc>;
  list(filter: { departements?: readonly string[]; bailleurId?: string; annee?: number }): Promise<LedgerDoc[]>;
}

export interface VacanciesPort {
  store: Aggregates<VacanceDoc>;
  /** Vacancies of these ledgers (all of them, or those oriented to a reserver). */
  list(filter: {
    ledgerIds: readonly string[];
    rplsIds?: readonly string[];
    reservataireId?: string;
  }): Promise<VacanceDoc[]>;
  /**
   * Vacancies oriented to a reserver whose deadline to designate candidates ended before `day`, with
   * no designation, return, attribution or expiry recorded: by id, `limit` at most after `after` (the pass).
   */
  designationsDue(day: string, limit: number, after?: string): Promise<VacanceDoc[]>;
}

export interface ImportProgress {
  lus: number;
  crees: number;
  modifies: number;
  inchanges: number;
  erreurs: number;
}

export interface ImportLineError {
  ligne: number;
  rplsId?: string | undefined;
  champ: string;
  valeur?: string | undefined;
  message: string;
}

export interface ImportJob {
  _id: string;
  bailleurId: string;
  status: "running" | "done" | "failed";
  startedAt: Date;
  heartbeatAt: Date;
  finishedAt?: Date;
  startedBy: string;
  progress: ImportProgress;
  errors: ImportLineError[];
  error?: string;
}

/** Import jobs of the housing stock: progress and per-line report. */
export interface ImportJobsPort {
  create(job: ImportJob): Promise<void>;
  update(id: string, fields: Partial<Omit<ImportJob, "_id">>): Promise<void>;
  get(id: string): Promise<ImportJob | undefined>;
}

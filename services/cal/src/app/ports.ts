import type { DemandEvent, DemandFacts } from "@logis/contracts";
import type { Aggregates } from "@logis/outbox";
import type { Attribution } from "../domain/attribution.js";
import type { Commission } from "../domain/commission.js";
import type { Session, SessionEvent } from "../domain/session.js";
import type { LeaseFile } from "./occupancy.js";
/** An attribution as stored: the decider's state and the number of public events it has published. */
export type AttributionDoc = Attribution & { publies: number };

/** Where the attributions of vacancies live: the Mongo aggregate store in production, the memory one in use-case tests. */
export type AttributionStore = Aggregates<AttributionDoc>;

/** A session as stored: its state, its public event count and its journal (the minutes are built from it). */
export type SessionDoc = Session & { publies: number; journal: SessionEvent[] };
export type SessionStore = Aggregates<SessionDoc>;

/** Commissions publish no event: their sessions do. */
export type CommissionStore = Aggregates<Commission>;

/** A landlord in a département: what one commission plans. */
export interface PlanningScope {
  bailleurId: string;
  departement: string;
}
export const scopeKey = (s: PlanningScope) => `${s.bailleurId}|${s.departement}`;
export interface Waiting {
  proposed: AttributionDoc[];
  awaiting: AttributionDoc[];
}

/** Read-only walks over attributions (the Mongo adapter queries its collection). */
export interface AttributionReader {
  /** Ids of the attributions with an offer under way (waiting for an answer or a suspensive piece). */
  withOffersUnderWay(): Promise<string[]>;
  /**
   * What landlords' commissions in départements have to plan, in one read for them all: per scope
   * (`scopeKey`), the attributions whose candidates wait for a session (`proposed`), and those still
   * waiting for the reserver's designation before its deadline (`awaiting`). Without the unit's full
   * facts and the shortlist's snapshot (the planning and the agenda do not need them).
   */
  waitingOf(scopes: readonly PlanningScope[]): Promise<Map<string, Waiting>>;
  /** The id of the unit's attribution not yet ended by a lease (the latest freeing), if any. */
  openOf(rplsId: string): Promise<string | undefined>;
}

/** A demand as the CAL knows it from registration's events: its facts while it is in the stock. */
export interface KnownDemand {
  demandId: string;
  numeroUnique: string;
  departement: string;
  statut: "active" | "cancelled" | "radiated" | "purged";
  /** Absent once purged. */
  facts?: DemandFacts | undefined;
}

/** The CAL's read model of registration's demands (consumer group `cal.demand-facts`). */
export interface DemandDirectory {
  /** Applies one of registration's events at most once (per-demand high-water mark); true if it changed something. */
  apply(event: DemandEvent): Promise<boolean>;
  get(demandIds: readonly string[]): Promise<Map<string, KnownDemand>>;
  byNumero(numeroUnique: string): Promise<KnownDemand | undefined>;
}

/** The CAL's prefilter of one unit, as cotation's classement takes it (decision 0011). */
export interface RankingFilter {
  commune: string;
  typologie?: string | undefined;
  personnesMax?: number | undefined;
  nonAdapte: boolean;
  effort?: { coutMensuel: number; tauxMax: number } | undefined;
  /** The unit's income ceilings (categories 1 to 6, per extra person): cotation leaves out households above any category they could be in. */
  plafonds?: { categories: number[]; parPersonneSupplementaire: number } | undefined;
}

export interface RankingPage {
  demandes: {
    demandId: string;
    numeroUnique: string;
    rank: number;
    of: number;
    score: number;
    grid: { gridId: string; version: number };
  }[];
  parcourues: number;
  suivant: number | null;
}

/** Cotation's ranking of an EPCI's demands, a page at a time (over HTTP in production). */
export interface Ranking {
  page(epci: string, filter: RankingFilter, page: { after: number; n: number; date: string }): Promise<RankingPage>;
}

/**
 * What a caller may list (access.ts's rules as a query): the landlord's staff every commission and
 * session of its landlord; the préfecture every one of its départements; a reserver the commissions
 * of its départements and the sessions where one of its units is on the agenda.
 */
export interface Visibility {
  bailleurId?: string | undefined;
  departements: string[];
  reservataire?: { id: string; departements: string[] } | undefined;
}

/** A position in a list ordered by (date, id): the last one read. */
export interface SessionCursor {
  date: string;
  id: string;
}

export interface SessionQuery {
  visibility: Visibility;
  commissionId?: string | undefined;
  departement?: string | undefined;
  du?: string | undefined;
  au?: string | undefined;
  statut?: SessionDoc["statut"] | undefined;
  /** Only the sessions whose convocation was sent. */
  convoquees?: boolean | undefined;
  apres?: SessionCursor | undefined;
  limite: number;
}

export interface CommissionQuery {
  visibility: Visibility;
  bailleurId?: string | undefined;
  departement?: string | undefined;
  typeCommission?: "CAL" | "CALEOL" | undefined;
  /** The last id read. */
  apres?: string | undefined;
  limite: number;
}

/** Read-only walks over sessions (the Mongo adapter queries its collection). */
export interface SessionReader {
  /** Every session of a commission, cancelled ones included, without their journals. */
  ofCommission(commissionId: string): Promise<Omit<SessionDoc, "journal">[]>;
  /** The visible sessions matching the query, by date then id, at most `limite`. */
  list(query: SessionQuery): Promise<SessionDoc[]>;
}

/** The landlords' leases as last sent for the occupancy examination (one file per landlord). */
export type LeaseFileStore = Aggregates<LeaseFile>;

/** Read-only walks over commissions. */
export interface CommissionReader {
  /** Every commission of a type (the scheduler's pass over the CALEOLs). */
  ofType(type: Commission["typeCommission"]): Promise<Commission[]>;
  /** The visible commissions matching the query, by id, at most `limite`. */
  list(query: CommissionQuery): Promise<Commission[]>;
}

import type { Aggregates } from "@logis/outbox";
import type { Attribution } from "../domain/attribution.js";
import type { Commission } from "../domain/commission.js";
import type { Session, SessionEvent } from "../domain/session.js";
/** An attribution as stored: the decider's state and the number of public events it has published. */
export type AttributionDoc = Attribution & { publies: number };

/** Where the attributions of vacancies live: the Mongo aggregate store in production, the memory one in use-case tests. */
export type AttributionStore = Aggregates<AttributionDoc>;

/** A session as stored: its state, its public event count and its journal (the minutes are built from it). */
export type SessionDoc = Session & { publies: number; journal: SessionEvent[] };
export type SessionStore = Aggregates<SessionDoc>;

/** Commissions publish no event: their sessions do. */
export type CommissionStore = Aggregates<Commission>;

/** Read-only walks over attributions (the Mongo adapter queries its collection). */
export interface AttributionReader {
  /** Ids of the attributions with an offer under way (waiting for an answer or a suspensive piece). */
  withOffersUnderWay(): Promise<string[]>;
  /** The id of the unit's attribution not yet ended by a lease (the latest freeing), if any. */
  openOf(rplsId: string): Promise<string | undefined>;
}

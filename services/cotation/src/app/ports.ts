import type { AggregateStore } from "@logis/outbox";
import type { GridVersion } from "../domain/grid-version.js";

/** Where grid versions live (adapters/mongo/grid-versions.ts). */
export interface GridVersionsPort {
  store: AggregateStore<GridVersion>;
  /** A grid's versions, oldest first. */
  versionsOf(gridId: string): Promise<GridVersion[]>;
  /** Every version of every grid of these EPCIs. */
  ofEpcis(epcis: readonly string[]): Promise<GridVersion[]>;
}

/** Signs and checks the links a desk gives an applicant to read their own cotation (adapters/links.ts). */
export interface ExplanationLinks {
  sign(claims: { numeroUnique: string; expiresAt: string }): string;
  /** The claims of a valid token, or undefined (forged, altered, expired at `now`). */
  verify(token: string, now: Date): { numeroUnique: string; expiresAt: string } | undefined;
}

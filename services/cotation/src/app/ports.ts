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

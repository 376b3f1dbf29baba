import { newDataKey, sealDemandEvent } from "@logis/contracts";
import { describe, expect, it } from "vitest";
import { evolveDemandRow } from "../domain/demand-row.js";
import { radiated, registered } from "../testing/demand-events.js";
import { skippingSealed } from "./demand-events.js";

// Decision 0012: reporting folds the facts it could open; a purged demand's (its key destroyed) stay
// sealed and change nothing, while its events without facts still move its row.
describe("the demand rows' fold over the sealed topic", () => {
  const fold = skippingSealed(evolveDemandRow);
  const opened = registered({ id: "dem_fold1", depot: "2026-02-01T08:00:00.000Z", commune: "69383" });

  it("folds an opened event as the clear fold does", () => {
    expect(fold(undefined, opened)).toEqual(evolveDemandRow(undefined, opened));
  });

  it("passes over a sealed event it could not open: no row is made, a known row stays as it was", () => {
    const sealed = sealDemandEvent(opened, newDataKey());
    expect(fold(undefined, sealed)).toBeUndefined();
    const row = evolveDemandRow(undefined, opened);
    expect(fold(row, { ...sealed, aggregateVersion: 2 })).toBe(row);
  });

  it("an event without facts moves a known row even though the demand's key is gone", () => {
    const row = evolveDemandRow(undefined, opened);
    expect(fold(row, radiated("dem_fold1", 2, "RADABA", "2026-10-01T08:00:00.000Z"))).toMatchObject({
      statut: "radiated",
      version: 2,
    });
  });
});

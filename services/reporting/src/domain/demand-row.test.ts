import { describe, expect, it } from "vitest";
import { cancelled, registered } from "../testing/demand-events.js";
import { evolveDemandRow } from "./demand-row.js";

describe("a demand row's days are Paris civil days, around the changes of offset", () => {
  it.each([
    ["2026-03-28T22:59:59.000Z", "2026-03-28"], // UTC+1: 23:59 on the 28th
    ["2026-03-28T23:00:00.000Z", "2026-03-29"], // UTC+1: midnight
    ["2026-03-29T21:59:00.000Z", "2026-03-29"], // UTC+2 since 01:00 UTC: 23:59
    ["2026-03-29T22:00:00.000Z", "2026-03-30"], // UTC+2: midnight
    ["2026-10-24T22:30:00.000Z", "2026-10-25"], // UTC+2: 00:30 on the 25th
    ["2026-10-25T22:30:00.000Z", "2026-10-25"], // UTC+1 since 01:00 UTC: 23:30 on the 25th
    ["2026-10-25T23:00:00.000Z", "2026-10-26"],
    ["2026-06-01T08:00:00+02:00", "2026-06-01"], // an offset written out: computed, not remembered
  ])("deposited at %s: day %s, and the same when the hour was seen before", (at, expected) => {
    for (let i = 0; i < 2; i++) {
      const row = evolveDemandRow(undefined, registered({ id: `dem_d${i}`, depot: at }));
      expect(row?.depotLe).toBe(expected);
      const out = row && evolveDemandRow(row, cancelled(row.id, 2, at));
      expect(out?.mouvements).toEqual([{ le: expected, type: "sortie", motif: "RADREN" }]);
    }
  });
});

import { describe, expect, it } from "vitest";
import { civilDay, civilMonth, frenchDate } from "./civil-time.js";

describe("civil dates in Paris", () => {
  it("an instant late in the evening in Paris belongs to that Paris day, not the UTC one", () => {
    // 23:30 in Paris on 31 March 2026 (summer time, UTC+2) is 21:30 UTC: same day.
    expect(civilDay(new Date("2026-03-31T21:30:00Z"))).toBe("2026-03-31");
    // 00:30 in Paris on 1 April is still 31 March in UTC: the Paris day is 1 April, its month April.
    expect(civilDay(new Date("2026-03-31T22:30:00Z"))).toBe("2026-04-01");
    expect(civilMonth(new Date("2026-03-31T22:30:00Z"))).toEqual({ year: 2026, month: 4 });
    // Winter time (UTC+1): 23:30 on 31 December in Paris is 22:30 UTC, and 00:10 on 1 January is 23:10 UTC.
    expect(civilDay(new Date("2026-12-31T23:10:00Z"))).toBe("2027-01-01");
  });

  it("overseas départements can be given their own zone", () => {
    expect(civilDay(new Date("2026-06-01T02:00:00Z"), "America/Martinique")).toBe("2026-05-31");
  });

  it("dd/mm/yyyy for a civil day and for an instant", () => {
    expect(frenchDate("2026-11-29")).toBe("29/11/2026");
    expect(frenchDate(new Date("2026-03-31T22:30:00Z"))).toBe("01/04/2026");
  });
});

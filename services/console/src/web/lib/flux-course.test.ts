import { describe, expect, it } from "vitest";
import { courseOf, lastMonthOf } from "./flux-course";

const o = (libereLe: string, reservataireId?: string) => ({
  libereLe,
  cible: reservataireId ? { reservataireId } : undefined,
});

describe("the course of a flux year", () => {
  it("counts freed units per month and each reserver's oriented units cumulatively, up to the month shown", () => {
    const course = courseOf(
      [
        o("2026-01-10", "etat"),
        o("2026-01-20", "al"),
        o("2026-03-02", "etat"),
        o("2026-03-05"), // subtracted from the flux: freed, oriented to nobody
        o("2026-05-01", "al"), // after the last month shown
        o("2025-12-30", "etat"), // another year
      ],
      2026,
      4,
    );
    expect(course.months).toEqual(["01", "02", "03", "04"]);
    expect(course.freed).toEqual([2, 0, 2, 0]);
    expect(course.cumulative).toEqual([
      { reservataireId: "al", values: [1, 1, 1, 1] },
      { reservataireId: "etat", values: [1, 1, 2, 2] },
    ]);
  });

  it("shows a past year whole, the year under way up to its month, a year not begun from January", () => {
    expect(lastMonthOf(2025, "2026-11-29")).toBe(12);
    expect(lastMonthOf(2026, "2026-11-29")).toBe(11);
    expect(lastMonthOf(2027, "2026-11-29")).toBe(0);
    expect(courseOf([], 2027, 0).months).toEqual(["01"]);
  });
});

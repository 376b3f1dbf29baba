import { describe, expect, it } from "vitest";
import { answerDeadline, easterSunday, holidayName, isWorkingDay, publicHolidays } from "./calendar.js";

describe("French public holidays and the offer's answer deadline", () => {
  it("computes Easter for known years", () => {
    expect(["2024", "2025", "2026", "2027", "2038"].map((y) => easterSunday(Number(y)))).toEqual([
      "2024-03-31",
      "2025-04-20",
      "2026-04-05",
      "2027-03-28",
      "2038-04-25",
    ]);
  });

  it("derives Easter Monday, Ascension and Whit Monday; Good Friday and 26 December only in Alsace-Moselle", () => {
    const metz = publicHolidays(2026, "57");
    expect(metz.get("2026-04-06")).toBe("Lundi de Pâques");
    expect(metz.get("2026-05-14")).toBe("Ascension");
    expect(metz.get("2026-05-25")).toBe("Lundi de Pentecôte");
    expect(metz.get("2026-04-03")).toMatch(/Vendredi saint/);
    expect(metz.get("2026-12-26")).toMatch(/Saint-Étienne/);
    expect(holidayName("2026-04-03", "67")).toMatch(/Vendredi saint/);
    expect(holidayName("2026-12-26", "68")).toBeDefined();
    expect(holidayName("2026-04-03", "69")).toBeUndefined();
    expect(holidayName("2026-12-26", "75")).toBeUndefined();
    expect(publicHolidays(2026, "75").size).toBe(11);
    expect(publicHolidays(2026, "57").size).toBe(13);
  });

  it("given a notification on a Monday, ten days later is a Thursday: no carry", () => {
    expect(answerDeadline("2026-11-30", 10, "57")).toBe("2026-12-10");
  });

  it("carries a deadline falling on a Saturday to the Monday", () => {
    expect(answerDeadline("2026-10-07", 10, "69")).toBe("2026-10-19");
  });

  it("carries over Easter Monday (a weekend then the holiday)", () => {
    // 2026-03-25 + 10 = Saturday 4 April; Sunday 5 (Easter), Monday 6 (Easter Monday) → Tuesday 7.
    expect(answerDeadline("2026-03-25", 10, "69")).toBe("2026-04-07");
  });

  it("Good Friday moves the deadline in Moselle but not in Lyon", () => {
    // 2026-03-24 + 10 = Friday 3 April (Good Friday).
    expect(answerDeadline("2026-03-24", 10, "57")).toBe("2026-04-07");
    expect(answerDeadline("2026-03-24", 10, "69")).toBe("2026-04-03");
  });

  it.each([
    ["Ascension", "2026-05-04", "2026-05-15"],
    ["Whit Monday (after the weekend)", "2026-05-13", "2026-05-26"],
    ["14 July", "2026-07-04", "2026-07-15"],
    ["15 August, a Saturday", "2026-08-05", "2026-08-17"],
    ["1 November, a Sunday", "2026-10-22", "2026-11-02"],
    ["11 November", "2026-11-01", "2026-11-12"],
    ["1 May and 8 May", "2026-04-28", "2026-05-11"],
  ])("carries a deadline over %s", (_name, notified, deadline) => {
    expect(answerDeadline(notified, 10, "69")).toBe(deadline);
  });

  it("25 and 26 December in Moselle: Friday 25, weekend, then Monday 28", () => {
    // 2026-12-15 + 10 = Friday 25 December.
    expect(answerDeadline("2026-12-15", 10, "57")).toBe("2026-12-28");
    // 2027-12-16 + 10 = Sunday 26 December: Monday 27 in Moselle and elsewhere.
    expect(answerDeadline("2027-12-16", 10, "57")).toBe("2027-12-27");
    // 2025-12-16 + 10 = Friday 26 December: a working day in Lyon, not in Metz.
    expect(answerDeadline("2025-12-16", 10, "69")).toBe("2025-12-26");
    expect(answerDeadline("2025-12-16", 10, "57")).toBe("2025-12-29");
  });

  it("a longer delay is counted the same way", () => {
    expect(answerDeadline("2026-11-30", 15, "57")).toBe("2026-12-15");
    expect(isWorkingDay("2026-12-15", "57")).toBe(true);
  });
});

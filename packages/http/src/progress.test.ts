import { describe, expect, it } from "vitest";
import { Avancement, avancementOf, frenchDayTime } from "./progress.js";

describe("avancementOf", () => {
  const startedAt = new Date("2026-11-30T05:00:00Z");

  it("gives done of total, the percentage and the end at the pace so far, in French and Paris time", () => {
    const a = avancementOf({ status: "running", startedAt }, 1200, 2400, "demandes", new Date("2026-11-30T05:10:00Z"));
    expect(a).toEqual({
      faites: 1200,
      total: 2400,
      unite: "demandes",
      pourcentage: 50,
      finEstimee: "2026-11-30T05:20:00.000Z",
      libelle: "50 % : 1 200 demandes sur 2 400, fin estimée le 30/11/2026 à 06:20",
    });
    expect(Avancement.parse(a)).toEqual(a);
  });

  it("says nothing of the end before anything is done, nor once the job is over", () => {
    const now = new Date("2026-11-30T05:01:00Z");
    expect(avancementOf({ status: "running", startedAt }, 0, 10, "demandes", now)).toEqual({
      faites: 0,
      total: 10,
      unite: "demandes",
      pourcentage: 0,
      libelle: "0 % : 0 demandes sur 10",
    });
    const done = avancementOf(
      { status: "done", startedAt, finishedAt: now },
      10,
      10,
      "demandes",
      new Date("2026-11-30T06:00:00Z"),
    );
    expect(done).toMatchObject({ pourcentage: 100, libelle: "100 % : 10 demandes sur 10" });
    expect(done.finEstimee).toBeUndefined();
  });

  it("counts without a total while it is not known", () => {
    expect(avancementOf({ status: "running", startedAt }, 3, undefined, "octets", startedAt)).toEqual({
      faites: 3,
      unite: "octets",
      libelle: "3 octets",
    });
  });

  it("writes an instant as dd/mm/yyyy à HH:mm in Paris, summer time included", () => {
    expect(frenchDayTime("2026-11-30T23:30:00Z")).toBe("01/12/2026 à 00:30");
    expect(frenchDayTime(new Date("2026-07-14T10:05:00Z"))).toBe("14/07/2026 à 12:05");
  });
});

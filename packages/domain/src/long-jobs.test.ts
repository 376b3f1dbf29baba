import { describe, expect, it } from "vitest";
import { interrupted, progressOf } from "./long-jobs.js";

const startedAt = new Date("2026-11-29T10:00:00Z");

describe("long jobs", () => {
  it("progress: done of total, percentage, and the end estimated at the pace so far", () => {
    expect(progressOf({ startedAt }, 250, 1000, new Date("2026-11-29T10:01:00Z"))).toEqual({
      done: 250,
      total: 1000,
      percent: 25,
      estimatedEnd: "2026-11-29T10:04:00.000Z",
    });
    expect(progressOf({ startedAt }, 0, 1000, new Date("2026-11-29T10:01:00Z"))).toEqual({
      done: 0,
      total: 1000,
      percent: 0,
    });
    expect(progressOf({ startedAt }, 12, undefined, new Date("2026-11-29T10:01:00Z"))).toEqual({ done: 12 });
    expect(
      progressOf(
        { startedAt, finishedAt: new Date("2026-11-29T10:02:00Z") },
        1000,
        1000,
        new Date("2026-11-29T10:05:00Z"),
      ),
    ).toEqual({ done: 1000, total: 1000, percent: 100 });
  });

  it("a running job silent for more than two minutes is said interrupted", () => {
    const job = { status: "running", heartbeatAt: startedAt };
    expect(interrupted(job, new Date("2026-11-29T10:01:59Z"), "relancez")).toEqual({});
    expect(interrupted(job, new Date("2026-11-29T10:02:01Z"), "relancez")).toEqual({
      status: "interrupted",
      error: "relancez",
    });
    expect(interrupted({ ...job, status: "done" }, new Date("2026-11-29T11:00:00Z"), "x")).toEqual({});
  });
});

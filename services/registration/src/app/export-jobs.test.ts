import { demoUsers } from "@logis/auth";
import { DemandForm } from "@logis/contracts";
import { manualClock } from "@logis/domain";
import { createLogger } from "@logis/observability";
import { memoryAggregates } from "@logis/outbox";
import { demandForm } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { loadLegalRules } from "../adapters/files/legal-rules.js";
import { type Demand, register } from "../domain/demand.js";
import type { Deps } from "./context.js";
import { type ExportDoc, exportJobs } from "./export-jobs.js";
import type { ExportFiles, ReadAuditEntry } from "./ports.js";

// The export job's run on the use case's ports: progress while it runs, and a run taken for dead
// (its process silent) that wakes up after another run replaced it writes nothing more.

const clock = manualClock("2026-11-30T09:00:00.000Z");
const form = DemandForm.parse(demandForm());
const stock: Demand[] = Array.from({ length: 600 }, (_, i) =>
  register({
    id: `dem_${String(i).padStart(4, "0")}`,
    numeroUnique: `069112600000${String(i).padStart(4, "0")}AA`,
    form: { ...form, departement: "69" },
    guichet: { numGuichet: "069000123", organisationId: "org_1", nom: "Guichet test" },
    by: { userId: "usr_1", organisationId: "org_1" },
    now: clock.now(),
    rules: loadLegalRules()(clock.now()),
  }),
);

/** A walk over the stock that waits at `gate` (when given) after its 500th demand. */
function walkOf(gates: Promise<void>[]) {
  return {
    count: async () => stock.length,
    async *demands() {
      const gate = gates.shift();
      for (const [i, d] of stock.entries()) {
        if (i === 500 && gate) await gate;
        yield d;
      }
    },
  };
}

function memoryFiles() {
  const parts = new Map<string, string>();
  const files: ExportFiles = {
    write: async (job, run, n, text) => void parts.set(`${job}:${run}:${n}`, text),
    async *read(job, run, count) {
      for (let n = 0; n < count; n++) yield parts.get(`${job}:${run}:${n}`) ?? "";
    },
    remove: async (job, run, from, to) => {
      for (let n = from; n < to; n++) parts.delete(`${job}:${run}:${n}`);
    },
  };
  return { files, parts };
}

const eventually = async (check: () => boolean) => {
  for (let i = 0; i < 500 && !check(); i++) await new Promise((ok) => setTimeout(ok, 5));
  expect(check()).toBe(true);
};

describe("export jobs, on their ports", () => {
  it("show their progress while they run, and a run replaced by another writes nothing more", async () => {
    let open = () => {};
    const firstGate = new Promise<void>((ok) => {
      open = ok;
    });
    const jobs = memoryAggregates<ExportDoc>();
    const { files, parts } = memoryFiles();
    const audit: ReadAuditEntry[] = [];
    const deps = {
      clock,
      audit: { record: async (e: ReadAuditEntry) => void audit.push(e), list: async () => [] },
      stock: walkOf([firstGate]),
    } as unknown as Deps & { stock: ReturnType<typeof walkOf> };
    const exports = exportJobs(deps, jobs, files, createLogger({ service: "test", level: "silent" }));
    const caller = { principal: demoUsers.guichet, correlationId: "cor_1" };

    const { id, done: firstRun } = await exports.start(caller, { format: "csv", departement: "69" });
    await eventually(() => jobs.docs.get(id)?.done === 500);
    clock.advance(10_000);
    // 500 of 600 in ten seconds: two more seconds to go, at 10:00:12 in Paris.
    expect((await exports.get(caller, id)).avancement).toEqual({
      faites: 500,
      total: 600,
      unite: "demandes",
      pourcentage: 83,
      finEstimee: "2026-11-30T09:00:12.000Z",
      libelle: "83 % : 500 demandes sur 600, fin estimée le 30/11/2026 à 10:00",
    });
    await expect(exports.file(caller, id)).rejects.toThrow("n'est pas terminé (83 %)");

    // Silent for three minutes: taken for dead and run again (from the start, under run 2).
    expect(await exports.resumeStale([id])).toEqual([]);
    clock.advance(180_000);
    const [second] = await exports.resumeStale([id]);
    await second?.done;
    expect(jobs.docs.get(id)).toMatchObject({ status: "done", attempt: 2, done: 600, chunks: 3 });

    // The first run wakes up: it stops at its next write, and leaves nothing of its own.
    open();
    await firstRun;
    expect(jobs.docs.get(id)).toMatchObject({ status: "done", attempt: 2, done: 600 });
    expect([...parts.keys()].sort()).toEqual([`${id}:2:0`, `${id}:2:1`, `${id}:2:2`]);
    const { parts: served } = await exports.file(caller, id);
    let text = "";
    for await (const part of served) text += part;
    expect(text.split("\r\n").filter(Boolean)).toHaveLength(601);
    // Each run's reads are audited (the second read the file again).
    expect(audit.filter((e) => e.demandId === "dem_0000")).toHaveLength(2);
  });
});

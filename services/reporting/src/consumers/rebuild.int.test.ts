import { demoUsers } from "@logis/auth";
import { topics } from "@logis/contracts";
import type { Caller } from "@logis/http";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cancelled, radiated, registered } from "../testing/demand-events.js";
import { unitDeclared, unitFreed } from "../testing/flux-cal-events.js";
import { reportingHarness } from "../testing/harness.js";
import { rebuildRunner } from "./rebuild-runner.js";

let h: Awaited<ReturnType<typeof reportingHarness>>;
beforeAll(async () => {
  h = await reportingHarness("2026-11-29T10:00:00.000Z");
});
afterAll(() => h?.close());

const admin: Caller = {
  principal: { ...demoUsers.prefecture, roles: ["platform-admin"] },
  correlationId: "cor_test",
  requestId: "req_test",
};

const demands = Array.from({ length: 40 }, (_, i) => `dem_rb${i}`);

describe("rebuild jobs on the real engines: progress, the rebuilt rows equal the live ones, resumed after a crash", () => {
  beforeAll(async () => {
    await h.publishDemandEvents(
      demands.flatMap((id, i) => [
        registered({ id, depot: `2026-0${1 + (i % 9)}-10T08:00:00.000Z`, commune: "69383" }),
        ...(i % 3 === 0 ? [radiated(id, 2, "RADATT", "2026-10-01T08:00:00.000Z")] : []),
        ...(i % 3 === 1 ? [cancelled(id, 2, "2026-10-02T08:00:00.000Z")] : []),
      ]),
    );
    const u = { rplsId: "5700000301", commune: "57463" };
    await h.platform.producer.publish(h.platform.topic(topics.fluxUnit), [
      { envelope: unitDeclared(u) },
      { envelope: unitFreed(u, 2, "2026-03-01") },
    ]);
    await eventually(async () => {
      expect(await h.rows.list({})).toHaveLength(40);
      expect((await h.models.units.rows.list()).length).toBe(1);
    }, 120_000);
  }, 180_000);

  it("replays a topic into a new collection, finds no difference with the live read model, and swaps it in", async () => {
    const started = await h.uc.rebuilds.start(admin, { modele: "demandes" });
    expect(started).toMatchObject({ modele: "demandes", statut: "running" });
    const done = await eventually(async () => {
      const res = await h.call("prefecture", "GET", `/v1/reconstructions/${started.id}`);
      expect(res.status).toBe(200);
      expect(res.body.statut).toBe("done");
      return res.body;
    }, 120_000);
    // 40 registrations and 27 exits: 67 events, 40 rows, none different.
    expect(done).toMatchObject({ lignes: 40, ecarts: 0, progression: { done: 67, total: 67, percent: 100 } });
    // The same progress in the platform's shared shape of long jobs.
    expect(done.avancement).toEqual({
      faites: 67,
      total: 67,
      unite: "événements",
      pourcentage: 100,
      libelle: "100 % : 67 événements sur 67",
    });
    // Swapped in: the catalog names the rebuilt collection with its positions, the old one is gone,
    // the statistics read the rebuilt rows and the live consumer feeds them from where they stand.
    expect(done.enServiceLe).toEqual(expect.any(String));
    const entry = await h.catalog.entry("demand_rows");
    expect(entry?.collection).toBe(started.collection);
    expect(Object.values(entry?.positions ?? {}).reduce((a, b) => a + b, 0)).toBe(67);
    const names = (await h.platform.db.listCollections().toArray()).map((c) => c.name);
    expect(names).toContain(started.collection);
    expect(names).not.toContain("demand_rows");
    expect(await h.rows.list({})).toHaveLength(40);
    await h.publishDemandEvents([
      registered({ id: "dem_rbafter", depot: "2026-11-02T08:00:00.000Z", commune: "69383" }),
    ]);
    await eventually(async () => {
      expect(await h.platform.db.collection(started.collection).countDocuments({ _id: "dem_rbafter" } as never)).toBe(
        1,
      );
      expect(await h.rows.list({})).toHaveLength(41);
    }, 120_000);
    const logements = await h.uc.rebuilds.start(admin, { modele: "logements" });
    await eventually(async () => {
      expect(await h.uc.rebuilds.get(admin, logements.id)).toMatchObject({ statut: "done", lignes: 1, ecarts: 0 });
    }, 120_000);
    expect((await h.catalog.entry("unit_rows"))?.collection).toBe(logements.collection);
    expect((await h.models.units.rows.list()).length).toBe(1);
    // Only the platform's administrators start one; a wrong model is named.
    expect((await h.call("prefecture", "POST", "/v1/reconstructions", { modele: "demandes" })).status).toBe(403);
    expect((await h.call("prefecture", "GET", "/v1/reconstructions/job_inconnu")).status).toBe(404);
  }, 300_000);

  it("a run stopped after its first flush (a crash) resumes from its committed offsets to the same rows", async () => {
    const crashing = rebuildRunner(h.platform, h, h.rebuildJobs, h.clock, { maxRows: 1, crashAfterFlushes: 1 });
    const id = "job_crashtest0000000000000000001";
    const job = {
      _id: id,
      modele: "demandes" as const,
      status: "running" as const,
      startedAt: h.clock.now(),
      heartbeatAt: h.clock.now(),
      startedBy: { userId: "usr_admin", organisationId: "org_platform" },
      collection: "rebuild_demandes_crash",
      group: `reporting.rebuild.${id}`,
      done: 0,
    };
    await h.rebuildJobs.insert(job);
    await crashing.run(job, false);
    const stopped = await h.rebuildJobs.get(id);
    expect(stopped?.status).toBe("running");
    expect(stopped?.done).toBeGreaterThan(0);
    expect(stopped?.done).toBeLessThan(68);
    // Two minutes of silence: the job is said interrupted, and the scheduled pass resumes it.
    h.clock.advance(121_000);
    expect((await h.uc.rebuilds.get(admin, id)).statut).toBe("interrupted");
    expect(await h.uc.rebuilds.resumeInterrupted([id])).toEqual([id]);
    await eventually(async () => {
      expect(await h.uc.rebuilds.get(admin, id)).toMatchObject({
        statut: "done",
        lignes: 41,
        ecarts: 0,
        progression: { done: 68, percent: 100 },
      });
    }, 120_000);
    expect((await h.catalog.entry("demand_rows"))?.collection).toBe("rebuild_demandes_crash");
    expect(await h.rows.list({})).toHaveLength(41);
  }, 300_000);
});

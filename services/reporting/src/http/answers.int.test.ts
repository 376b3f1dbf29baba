import { demoUsers } from "@logis/auth";
import { topics } from "@logis/contracts";
import type { AnyOperation, Caller } from "@logis/http";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { radiated, registered } from "../testing/demand-events.js";
import {
  assigned,
  decided,
  leaseSigned,
  proposed,
  sessionScheduled,
  unitDeclared,
} from "../testing/flux-cal-events.js";
import { reportingHarness } from "../testing/harness.js";
import { operations } from "./operations.js";

// Every answer documented in /openapi.json comes from the operation's `output` schema: real answers
// of the service on the real engines must satisfy it. `exactly`: nothing in the answer that the
// schema leaves out, nothing the schema requires or defaults that the answer lacks.

let h: Awaited<ReturnType<typeof reportingHarness>>;
let ops: ReturnType<typeof operations>;
const checked = new Set<string>();
beforeAll(async () => {
  h = await reportingHarness("2026-07-01T10:00:00.000Z");
  ops = operations(h.uc.statistics, h.uc.attributions, h.uc.quotas, h.uc.rebuilds, h.clock, { maskThreshold: 5 });
});
afterAll(() => h?.close());

function conforms(op: AnyOperation, res: { status: number; body: unknown }, exactly = true) {
  expect(res.status, `${op.name}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  const parsed = op.output?.safeParse(res.body);
  expect(parsed?.success, `${op.name}: ${parsed?.error?.message}`).toBe(true);
  if (exactly) expect(JSON.parse(JSON.stringify(parsed?.data)), op.name).toEqual(res.body);
  checked.add(op.name);
}

const al = { reservataireId: "org_al", codeSne: "COLACT", type: "action_logement" };
const prefet = { reservataireId: "org_prefet_57", codeSne: "PPRIOR", type: "prefet_prioritaires" };
const ledger = "flux:org_demo_bailleur_57:57:2026";

// Three leases in Metz (one in QPV to a DALO household on the préfet's flux), their demands, a CAL session.
const leases = [1, 2, 3].flatMap((n) => {
  const rplsId = `570000030${n}`;
  const att = `att_${rplsId}_2026-03-01`;
  const to = n === 3 ? prefet : al;
  const demandId = `dem_ans${n}`;
  return [
    { topic: topics.fluxUnit, e: unitDeclared({ rplsId, commune: "57463", qpv: n === 3 }) },
    {
      topic: topics.calAttribution,
      e: proposed(att, 1, { rplsId, commune: "57463", libereLe: "2026-03-01" }, to, [
        { demandId, dalo: n === 3, revenu: n === 1 ? 5000 : 30000, personnes: 1 },
      ]),
    },
    {
      topic: topics.calAttribution,
      e: leaseSigned(att, 2, {
        rplsId,
        demandId,
        libereLe: "2026-03-01",
        bailSigneLe: "2026-04-15",
        reservataireId: to.reservataireId,
        contingent: to.codeSne,
        dalo: n === 3,
        departement: "57",
      }),
    },
  ];
});

describe("reporting's answers satisfy their documented schemas", () => {
  beforeAll(async () => {
    await h.publishDemandEvents(
      [1, 2, 3, 4].flatMap((n) => [
        registered({
          id: `dem_ans${n}`,
          depot: `2025-0${n}-10T08:00:00.000Z`,
          departement: "57",
          commune: "57463",
          dalo: n === 3,
        }),
        ...(n <= 3 ? [radiated(`dem_ans${n}`, 2, "RADATT", "2026-04-16T08:00:00.000Z")] : []),
      ]),
    );
    const events = [
      ...leases,
      {
        topic: topics.fluxOrientation,
        e: assigned(ledger, 1, { rplsId: "5700000301", commune: "57463" }, al, [{ ...al, du: 2.5 }]),
      },
      { topic: topics.calSession, e: sessionScheduled("ses_ans1", 1, "2026-04-10") },
      { topic: topics.calSession, e: decided("ses_ans1", 2, "ATTRIBUTION", "dem_ans1") },
    ];
    for (const { topic, e } of events)
      await h.platform.producer.publish(h.platform.topic(topic), [{ envelope: e as never }]);
    await eventually(async () => {
      expect(await h.rows.list({})).toHaveLength(4);
      expect((await h.models.attributions.rows.list()).length).toBe(3);
      expect((await h.models.ledgers.rows.list()).length).toBe(1);
      expect((await h.models.sessions.rows.list()).length).toBe(1);
    }, 120_000);
  }, 180_000);

  it("who calls, the demand's statistics, the attributions', the quotas", async () => {
    conforms(ops.whoami, await h.call("prefecture57", "GET", "/v1/whoami"));
    conforms(ops.demandStatistics, await h.call("prefecture57", "GET", "/v1/statistiques/demandes?departement=57"));
    conforms(
      ops.demandStatistics,
      await h.call("epci", "GET", "/v1/statistiques/demandes?du=2025-01-01&au=2026-06-30"),
    );
    conforms(
      ops.attributionStatistics,
      await h.call("prefecture57", "GET", "/v1/statistiques/attributions?departement=57"),
    );
    conforms(ops.quotas, await h.call("prefecture57", "GET", "/v1/objectifs?departement=57"));
  }, 120_000);

  it("a rebuild, started and followed", async () => {
    const admin: Caller = {
      principal: { ...demoUsers.prefecture, roles: ["platform-admin"] },
      correlationId: "cor_ans",
      requestId: "req_ans",
    };
    // No demo user administers the platform: the use case answers what the route would.
    const started = await h.uc.rebuilds.start(admin, { modele: "seances" });
    conforms(ops.startRebuild, { status: 202, body: JSON.parse(JSON.stringify(started)) });
    const done = await eventually(async () => {
      const res = await h.call("prefecture57", "GET", `/v1/reconstructions/${started.id}`);
      expect(res.body.statut).toBe("done");
      return res;
    }, 120_000);
    conforms(ops.getRebuild, done);
    expect(done.body).toMatchObject({ lignes: 1, ecarts: 0, enServiceLe: expect.any(String) });
  }, 180_000);

  it("every JSON operation was checked", () => {
    const json = Object.values(ops)
      .filter((op) => op.output)
      .map((op) => op.name);
    expect([...checked].sort()).toEqual(json.sort());
  });
});

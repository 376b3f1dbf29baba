import { demoUsers, type Principal, Role } from "@logis/auth";
import { createHttpApp, type Listening, listen, mountRoutes, mountTrpc } from "@logis/http";
import { createLogger } from "@logis/observability";
import { check, restCases, send, trpcCases } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { metzCommission } from "../domain/testing/commission.js";
import { family, metzT3 } from "../domain/testing/fixtures.js";
import { calHarness } from "../testing/harness.js";

// Who sees what in the CAL, on the real engines: the landlord's staff and the préfecture of the
// département read in full, a reserver reads its own units' candidates without their figures,
// anyone else gets exactly the answer of something that does not exist. Then hostile requests over
// every route and procedure, from the route tables.

let h: Awaited<ReturnType<typeof calHarness>>;
const att = "att_5700012345_2026-11-02";
beforeAll(async () => {
  h = await calHarness("2026-11-19T09:00:00.000Z");
  const { _id, revision: _r, ...fields } = metzCommission;
  const made = await h.call("bailleur57", "POST", "/v1/commissions", {
    id: _id,
    ...fields,
    bailleurId: "org_demo_bailleur_57",
  });
  expect(made.status).toBe(201);
  const caller = { principal: demoUsers.bailleur57, correlationId: "cor_access", requestId: "req_access" };
  await h.uc.attributions.handle(caller, att, {
    type: "ProposeCandidates",
    id: att,
    bailleurId: "org_demo_bailleur_57",
    unit: metzT3(),
    libereLe: "2026-11-02",
    cible: { reservataireId: "org_demo_action_logement", conventionId: "cnv_al", codeSne: "COLACT" },
    source: "reservataire",
    candidats: [1, 2, 3].map((n) => ({
      demandId: `dem_${n}`,
      numeroUnique: `05711260000000${40 + n}AA`,
      facts: family(),
      justification: `Désigné ${n}`,
    })),
  });
  expect(
    (
      await h.call("bailleur57", "POST", "/v1/seances", {
        id: "ses_1",
        commissionId: _id,
        date: "2026-11-26",
        mode: "presentiel",
      })
    ).status,
  ).toBe(201);
  expect((await h.call("bailleur57", "POST", "/v1/seances/ses_1/ordre-du-jour", { attributionId: att })).status).toBe(
    200,
  );
});
afterAll(async () => {
  await h?.close();
});

type Who = Parameters<typeof h.call>[0];
/** Status and body, the request id aside. */
const seen = async (who: Who, method: string, path: string, body?: unknown) => {
  const res = await h.call(who, method, path, body);
  const b = JSON.parse(JSON.stringify(res.body ?? null));
  if (b?.error?.requestId) b.error.requestId = "<id>";
  return { status: res.status, body: b };
};

describe("who sees an attribution, a session, a commission", () => {
  it("the landlord's staff and the préfecture read an attribution in full, with the applicants' figures", async () => {
    for (const who of ["bailleur57", "prefecture57"] as const) {
      const res = await h.call(who, "GET", `/v1/attributions/${att}`);
      expect(res.status, who).toBe(200);
      expect(res.body.candidats[0].eligibilite).toMatchObject({ eligible: true, revenuReference: { montant: 24800 } });
    }
  });

  it("the reserver reads its own unit's candidates without their figures", async () => {
    const res = await h.call("reservataire57", "GET", `/v1/attributions/${att}`);
    expect(res.status).toBe(200);
    expect(res.body.candidats[0]).toEqual({
      demandId: "dem_1",
      numeroUnique: "0571126000000041AA",
      ordre: 1,
      dalo: false,
      justification: "Désigné 1",
      eligible: true,
    });
    expect(JSON.stringify(res.body)).not.toMatch(/revenu|24800|categorieMenage/);
  });

  it("anyone else, and the reserver for sessions: the answer of something that does not exist", async () => {
    const unknownAtt = await seen("bailleur57", "GET", "/v1/attributions/att_0000000000_2026-01-01");
    for (const who of ["reservataire", "bailleur", "prefecture"] as const)
      expect(await seen(who, "GET", `/v1/attributions/${att}`), who).toEqual(unknownAtt);
    expect(
      await seen("bailleur", "POST", `/v1/attributions/${att}/reponse`, { demandId: "dem_1", reponse: "acceptee" }),
    ).toEqual(unknownAtt);
    const unknownSession = await seen("bailleur57", "GET", "/v1/seances/ses_inconnue");
    for (const who of ["reservataire57", "prefecture", "bailleur"] as const) {
      expect(await seen(who, "GET", "/v1/seances/ses_1"), who).toEqual(unknownSession);
      expect((await seen(who, "GET", "/v1/seances/ses_1/proces-verbal")).status, who).toBe(404);
    }
    expect((await h.call("prefecture57", "GET", "/v1/seances/ses_1")).status).toBe(200);
    expect((await h.call("prefecture57", "GET", "/v1/seances/ses_1/proces-verbal")).status).toBe(200);
    // The préfecture reads every session of its département but changes none.
    expect((await h.call("prefecture57", "POST", "/v1/seances/ses_1/presences", { presents: ["m1"] })).status).toBe(
      403,
    );
  });

  it("a commission is read in its département and constituted only by the landlord's own staff", async () => {
    expect((await h.call("reservataire57", "GET", "/v1/commissions/com_metz")).status).toBe(200);
    expect((await h.call("bailleur", "GET", "/v1/commissions/com_metz")).status).toBe(404);
    const { _id, revision: _r, ...fields } = metzCommission;
    const other = await h.call("bailleur57", "POST", "/v1/commissions", {
      id: "com_autre",
      ...fields,
      bailleurId: "org_demo_bailleur_69",
    });
    expect(other.status).toBe(403);
    expect(other.body.error).toMatchObject({ reason: "NOT_THE_LANDLORD", field: "bailleurId" });
    expect((await h.call("bailleur", "POST", "/v1/commissions/com_metz/planification")).status).toBe(404);
  });
});

/**
 * The route tables with a valid value offered for each path parameter: @logis/testing's generator
 * tries a fixed list of plausible values, none of which is a CAL id (com_…, ses_…, att_…), so the
 * cases would stop at the path instead of reaching the query and body fields.
 */
type Route = (typeof h.parts.http.rest)[number];
type Field = { safeParse(v: unknown): { success: boolean } };
function withSamples(routes: readonly Route[]): Route[] {
  const valid = (path: string, name: string) =>
    name === "numeroUnique"
      ? "0571126000000041AA"
      : path.startsWith("/v1/commissions")
        ? "com_metz"
        : path.startsWith("/v1/seances")
          ? "ses_1"
          : att;
  return routes.map((r) => {
    const shape = (r.params as { shape?: Record<string, Field> } | undefined)?.shape;
    if (!shape) return r;
    const params = {
      shape: Object.fromEntries(
        Object.entries(shape).map(([k, field]) => [
          k,
          { options: [valid(r.path, k)], safeParse: (v: unknown) => field.safeParse(v) },
        ]),
      ),
    };
    return { ...r, params } as unknown as Route;
  });
}

const everything: Principal = {
  userId: "usr_hostile",
  name: "Sonde",
  organisation: { id: "org_demo_bailleur_57", kind: "landlord", name: "Bailleur sonde" },
  roles: [...Role.options],
  territories: { departements: ["57"], epcis: ["200039865"] },
};

describe("hostile input over every route of the CAL", () => {
  let server: Listening;
  let base: string;
  beforeAll(async () => {
    const app = createHttpApp({
      logger: createLogger({ service: "cal-test", level: "warn" }),
      verifier: async () => everything,
      routes: (a) => {
        mountTrpc(a, "/trpc", h.parts.http.trpc);
        mountRoutes(a, h.parts.http.rest);
      },
    });
    server = await listen(app, 0, "127.0.0.1");
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server?.close();
  });
  const run = async (cases: ReturnType<typeof restCases>) => {
    const problems: string[] = [];
    for (const c of cases) {
      const problem = check(c, await send(base, c, "Bearer sonde"));
      if (problem) problems.push(problem);
    }
    return problems;
  };

  it("REST: every route, path, query and body field", async () => {
    const cases = restCases(withSamples(h.parts.http.rest));
    expect(cases.length).toBeGreaterThan(150);
    expect(await run(cases)).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });

  it("tRPC: every procedure, its input as a whole and field by field, batches", async () => {
    const cases = trpcCases(h.parts.http.trpc);
    expect(cases.length).toBeGreaterThan(50);
    expect(await run(cases)).toEqual([]);
    expect((await fetch(`${base}/healthz`)).status).toBe(200);
  });
});

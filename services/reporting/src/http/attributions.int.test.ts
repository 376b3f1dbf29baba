import { topics } from "@logis/contracts";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { registered } from "../testing/demand-events.js";
import { leaseSigned, proposed, unitDeclared } from "../testing/flux-cal-events.js";
import { reportingHarness } from "../testing/harness.js";

let h: Awaited<ReturnType<typeof reportingHarness>>;
beforeAll(async () => {
  h = await reportingHarness("2026-11-29T10:00:00.000Z");
});
afterAll(() => h?.close());

const prefet = { reservataireId: "org_prefet_57", codeSne: "PPRIOR", type: "prefet_prioritaires" };
const al = { reservataireId: "org_al", codeSne: "COLACT", type: "action_logement" };

// Seven leases in Metz: six on Action Logement's flux (outside QPV), one on the préfet's (in QPV, DALO).
const leases = [1, 2, 3, 4, 5, 6, 7].flatMap((n) => {
  const rplsId = `570000010${n}`;
  const att = `att_${rplsId}_2026-03-01`;
  const to = n === 7 ? prefet : al;
  const demandId = `dem_att${n}`;
  return [
    { topic: topics.fluxUnit, e: unitDeclared({ rplsId, commune: "57463", qpv: n === 7 }) },
    {
      topic: topics.calAttribution,
      e: proposed(att, 1, { rplsId, commune: "57463", libereLe: "2026-03-01" }, to, [
        { demandId, dalo: n === 7, revenu: n <= 2 ? 6000 : 30000, personnes: 1 },
      ]),
    },
    {
      topic: topics.calAttribution,
      e: leaseSigned(att, 2, {
        rplsId,
        demandId,
        libereLe: "2026-03-01",
        bailSigneLe: "2026-05-02",
        reservataireId: to.reservataireId,
        contingent: to.codeSne,
        dalo: n === 7,
        departement: "57",
      }),
    },
  ];
});

describe("attribution statistics on the real engines", () => {
  it("joins the CAL's leases with flux's units: by reserver, in and outside QPV, first quartile; CSV masked for inter-landlord use", async () => {
    await h.publishDemandEvents([
      registered({
        id: "dem_att7",
        depot: "2025-06-01T08:00:00.000Z",
        departement: "57",
        commune: "57463",
        dalo: true,
      }),
    ]);
    for (const { topic, e } of leases) await h.platform.producer.publish(h.platform.topic(topic), [{ envelope: e }]);
    const body = await eventually(async () => {
      const res = await h.call("prefecture57", "GET", "/v1/statistiques/attributions?departement=57");
      expect(res.status).toBe(200);
      expect(res.body.ensemble.attributions).toBe(7);
      expect(res.body.ensemble.enQpv).toBe(1);
      return res.body;
    }, 30_000);
    expect(body.ensemble).toMatchObject({ dalo: 1, prioritaires: 1, horsQpv: 6, premierQuartileHorsQpv: 2 });
    expect(body.parReservataire.map((l: { cle: string; attributions: number }) => [l.cle, l.attributions])).toEqual([
      ["org_al", 6],
      ["org_prefet_57", 1],
    ]);
    expect(body.inconnus).toEqual({ qpv: 0, quartile: 0 });
    // Lyon's prefecture does not read the Moselle.
    expect((await h.call("prefecture", "GET", "/v1/statistiques/attributions?departement=57")).status).toBe(403);

    const token = await h.token("prefecture57");
    const csv = await fetch(`${h.base}/v1/statistiques/attributions/csv?departement=57&diffusion=inter-bailleurs`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(csv.status).toBe(200);
    const text = (await csv.text()).replace(/^\uFEFF/, "");
    expect(text).toContain("Baux signés sur la période;7\r\n");
    expect(text).toContain("Effectifs inférieurs à 5 masqués (s)");
    expect(text).toContain("\r\norg_al;org_al;6;0;0;0;6;s;0;0\r\n");
    expect(text).toContain("\r\norg_prefet_57;org_prefet_57;s;s;s;s;0;0;s;0\r\n");
    const bad = await h.call("prefecture57", "GET", "/v1/statistiques/attributions/csv?diffusion=publique");
    expect(bad).toMatchObject({ status: 400, body: { error: { field: "query.diffusion" } } });
  });
});

import { topics } from "@logis/contracts";
import { eventually, readTopic } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ALERT_TOPIC } from "../domain/alert-events.js";
import { assigned, leaseSigned, proposed, unitDeclared } from "../testing/flux-cal-events.js";
import { reportingHarness } from "../testing/harness.js";

let h: Awaited<ReturnType<typeof reportingHarness>>;
beforeAll(async () => {
  // 1 July: half the year gone.
  h = await reportingHarness("2026-07-01T10:00:00.000Z");
});
afterAll(() => h?.close());

const al = { reservataireId: "org_al", codeSne: "COLACT", type: "action_logement" };
const ledger = "flux:org_demo_bailleur_57:57:2026";

/** A lease in Metz outside QPV on Action Logement's flux; `q1`: a first-quartile household (income under 9 300 € per unit). */
const leaseEvents = (n: number, q1: boolean) => {
  const rplsId = `57000002${String(n).padStart(2, "0")}`;
  const att = `att_${rplsId}_2026-03-01`;
  const demandId = `dem_q${n}`;
  return [
    { topic: topics.fluxUnit, e: unitDeclared({ rplsId, commune: "57463", qpv: false }) },
    {
      topic: topics.calAttribution,
      e: proposed(att, 1, { rplsId, commune: "57463", libereLe: "2026-03-01" }, al, [
        { demandId, revenu: q1 ? 5000 : 30000, personnes: 1, dalo: q1 },
      ]),
    },
    {
      topic: topics.calAttribution,
      e: leaseSigned(att, 2, {
        rplsId,
        demandId,
        libereLe: "2026-03-01",
        bailSigneLe: "2026-04-15",
        reservataireId: al.reservataireId,
        contingent: "COLACT",
        dalo: q1,
        departement: "57",
      }),
    },
  ];
};
const publish = async (list: { topic: string; e: unknown }[]) => {
  for (const { topic, e } of list)
    await h.platform.producer.publish(h.platform.topic(topic), [{ envelope: e as never }]);
};
const alertsOnTopic = async () =>
  (await readTopic(h.platform.kafka, h.platform.topic(ALERT_TOPIC))).map((m) => {
    const e = JSON.parse(m.value?.toString() ?? "{}");
    return [e.type, e.aggregateId, e.payload.etat ?? "atteint"];
  });

describe("legal quotas on the real engines: warnings, alerts through the outbox, the year's flux balance", () => {
  it("a rate going off track raises one alert on reporting.alert.v1 and a warning on the page; met again, another", async () => {
    // Ten leases outside QPV, one to a first-quartile (and DALO) household: 10 % against 25 %.
    await publish([...Array.from({ length: 10 }, (_, i) => leaseEvents(i, i === 0)).flat()]);
    await h.platform.producer.publish(h.platform.topic(topics.fluxOrientation), [
      { envelope: assigned(ledger, 1, { rplsId: "5700000200", commune: "57463" }, al, [{ ...al, du: 2.5 }]) },
    ]);
    const view = await eventually(async () => {
      const res = await h.call("prefecture57", "GET", "/v1/objectifs?departement=57");
      expect(res.status).toBe(200);
      expect(res.body.epcis[0]?.q1HorsQpv.denominateur).toBe(10);
      expect(res.body.bilansFlux).toHaveLength(1);
      return res.body;
    }, 30_000);
    expect(view.periode).toEqual({ du: "2026-01-01", au: "2026-07-01" });
    expect(view.epcis[0]).toMatchObject({
      epci: "200039865",
      libelle: "Metz Métropole",
      q1HorsQpv: { numerateur: 1, denominateur: 10, taux: 10, cible: 25, etat: "en-retard" },
      autresQuartilesEnQpv: { etat: "sans-objet" },
      prioritairesParReservataire: [{ reservataireId: "org_al", taux: 10, etat: "en-retard" }],
    });
    expect(view.avertissements.map((a: { id: string }) => a.id)).toEqual([
      "alt:200039865:2026:q1HorsQpv",
      "alt:200039865:2026:prioritaires:org_al",
    ]);
    expect(view.bilansFlux[0]).toMatchObject({
      bailleurId: "org_demo_bailleur_57",
      lignes: [{ reservataireId: "org_al", du: 2.5, orientes: 1, ecart: 1.5 }],
    });

    await h.uc.quotas.checkAlerts();
    await h.uc.quotas.checkAlerts(); // the same state again: nothing new
    await eventually(async () => {
      expect((await alertsOnTopic()).sort()).toEqual([
        ["QuotaOffTrack", "alt:200039865:2026:prioritaires:org_al", "en-retard"],
        ["QuotaOffTrack", "alt:200039865:2026:q1HorsQpv", "en-retard"],
      ]);
    }, 30_000);

    // Five more first-quartile DALO households: 6 of 15, 40 %: both met again.
    await publish([...Array.from({ length: 5 }, (_, i) => leaseEvents(10 + i, true)).flat()]);
    await eventually(async () => {
      const res = await h.call("prefecture57", "GET", "/v1/objectifs?departement=57");
      expect(res.body.epcis[0]?.q1HorsQpv).toMatchObject({ denominateur: 15, etat: "atteint" });
      expect(res.body.avertissements).toEqual([]);
    }, 30_000);
    await h.uc.quotas.checkAlerts();
    await eventually(async () => {
      const types = (await alertsOnTopic()).map(([type, id]) => `${type} ${id}`).sort();
      expect(types).toEqual([
        "QuotaBackOnTrack alt:200039865:2026:prioritaires:org_al",
        "QuotaBackOnTrack alt:200039865:2026:q1HorsQpv",
        "QuotaOffTrack alt:200039865:2026:prioritaires:org_al",
        "QuotaOffTrack alt:200039865:2026:q1HorsQpv",
      ]);
    }, 30_000);

    const token = await h.token("prefecture57");
    const csv = await fetch(`${h.base}/v1/objectifs/csv?departement=57&annee=2026`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const bytes = Buffer.from(await csv.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text.startsWith("Objectifs légaux d'attribution;Année;2026;Du;01/01/2026;Au;01/07/2026\r\n")).toBe(true);
    expect(text).toContain(
      "200039865;Metz Métropole;Hors QPV : premier quartile ou relogés ANRU;;6;15;40;25;Atteint\r\n",
    );
    expect(text).toContain("Aucun objectif en retard à ce jour");
    expect(text).toContain(
      "org_demo_bailleur_57;57;2026;non;1;org_al;COLACT;Employeurs et Action Logement;0;2,5;1;0;0;0;1,5\r\n",
    );
    const html = await fetch(`${h.base}/v1/objectifs/page?departement=57`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    const page = await html.text();
    expect(page).toContain("Aucun objectif en retard au 01/07/2026.");
    expect(page).toContain("<h2>Metz Métropole (200039865)</h2>");
    expect(page).toContain("<svg");
    const bad = await h.call("prefecture57", "GET", "/v1/objectifs?annee=1990");
    expect(bad).toMatchObject({ status: 400, body: { error: { field: "query.annee" } } });
  });
});

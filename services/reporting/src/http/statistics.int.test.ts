import { topics } from "@logis/contracts";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mongoDemandRows } from "../adapters/mongo/demand-rows.js";
import { demandProjection } from "../app/projection.js";
import { startDemandEventsConsumer } from "../consumers/demand-events.js";
import { cancelled, radiated, reactivated, registered, scored } from "../testing/demand-events.js";
import { reportingHarness } from "../testing/harness.js";

let h: Awaited<ReturnType<typeof reportingHarness>>;
beforeAll(async () => {
  h = await reportingHarness("2026-11-29T10:00:00.000Z");
});
afterAll(() => h?.close());

// Four demands of the Rhône and one of the Moselle; one attributed, one lapsed then reactivated.
const events = [
  registered({ id: "dem_int1", depot: "2026-02-01T08:00:00.000Z", commune: "69383", typologie: "T3" }),
  registered({ id: "dem_int2", depot: "2024-06-01T08:00:00.000Z", commune: "69266", typologie: "T2", mutation: true }),
  registered({ id: "dem_int3", depot: "2025-12-31T23:30:00.000Z", commune: "69248", typologie: "T4" }),
  registered({ id: "dem_int4", depot: "2025-05-10T08:00:00.000Z", commune: "69383", typologie: "T3" }),
  registered({ id: "dem_int5", depot: "2026-02-01T08:00:00.000Z", departement: "57", commune: "57463" }),
  radiated("dem_int4", 2, "RADATT", "2026-09-01T08:00:00.000Z"),
  cancelled("dem_int1", 2, "2026-04-01T08:00:00.000Z"),
  reactivated("dem_int1", 3, "2026-04-15T08:00:00.000Z"),
];

const publish = (list: typeof events) => h.publishDemandEvents(list);

describe("reporting on the real engines: demand events in, statistics and CSV out", () => {
  it("folds the demand topic into statistics, once per event even when redelivered", async () => {
    await publish(events);
    // A redelivery (the relay re-sends after a lost acknowledgement): nothing counts twice.
    await publish([events[5], events[6]] as typeof events);
    const stats = await eventually(async () => {
      const res = await h.call("prefecture", "GET", "/v1/statistiques/demandes?departement=69");
      expect(res.status).toBe(200);
      expect(res.body.ensemble.nouvelles).toBe(2);
      expect(res.body.ensemble.radiations).toBe(2);
      // Every demand's events applied (they sit on different partitions): the transfer of 2024 too.
      expect(res.body.ensemble.mutation).toBe(1);
      expect(res.body.ensemble.actives).toBe(3);
      return res.body;
    }, 30_000);
    expect(stats.periode).toEqual({ du: "2026-01-01", au: "2026-11-29" });
    expect(stats.ensemble).toMatchObject({ actives: 3, primo: 2, mutation: 1, nouvelles: 2, radiations: 2 });
    expect(stats.ensemble.radiationsParMotif).toMatchObject({ RADATT: 1, RADREN: 1 });
    expect(stats.parEpci.map((v: { cle: string; actives: number }) => [v.cle, v.actives])).toEqual([
      ["200040566", 1], // Thizy-les-Bourgs: the CA de l'Ouest Rhodanien (COG 2026)
      ["200046977", 2],
    ]);
    // The Moselle is not the Rhône prefecture's to read; the Métropole de Lyon sees its communes only.
    expect((await h.call("prefecture", "GET", "/v1/statistiques/demandes?departement=57")).status).toBe(403);
    const epci = await h.call("epci", "GET", "/v1/statistiques/demandes");
    expect(epci.body.ensemble).toMatchObject({ actives: 2, mutation: 1 });
    const bad = await h.call("prefecture", "GET", "/v1/statistiques/demandes?du=2026-12-01&au=2026-01-01");
    expect(bad).toMatchObject({ status: 400, body: { error: { field: "query.du" } } });
    expect((await h.call("guichet", "GET", "/v1/statistiques/demandes")).status).toBe(403);
  });

  it("serves the CSV a French spreadsheet opens directly: BOM, ';', dd/mm/yyyy, decimal comma", async () => {
    const token = await h.token("prefecture");
    const res = await fetch(`${h.base}/v1/statistiques/demandes/csv?departement=69&du=2026-01-01&au=2026-11-29`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("content-disposition")).toContain("statistiques-demandes-69-2026-01-01-2026-11-29.csv");
    const bytes = Buffer.from(await res.arrayBuffer());
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text.startsWith("Statistiques de la demande de logement social;Du;01/01/2026;Au;29/11/2026\r\n")).toBe(true);
    expect(text).toContain("Demandes actives au 29/11/2026;3\r\n");
    expect(text).toContain("dont mutations;1\r\n");
    expect(text).toContain("Radiations : Attribution d'un logement (RADATT);1\r\n");
    expect(text).toContain("Attributions : Employeurs et Action Logement (COLACT);1\r\n");
    expect(text).toContain("Tension : demandes actives par attribution;3\r\n");
    // 301, 332 and 911 days: the median is 332 days, 10,9 months.
    expect(text).toContain("Attente des demandes actives : médiane (mois);10,9\r\n");
    expect(text).toContain("200046977;Métropole de Lyon;2;1;1;");
    const page = await fetch(`${h.base}/v1/statistiques/demandes/page?departement=69`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain("Du 01/01/2026 au 29/11/2026 — département 69");
    expect(html).toContain("Demandes actives par EPCI");
    expect((await fetch(`${h.base}/v1/statistiques/demandes/page`)).status).toBe(401);
    const doc = (await (await fetch(`${h.base}/openapi.json`)).json()) as {
      paths: Record<string, { get: { responses: Record<string, { content?: Record<string, unknown> }> } }>;
    };
    expect(Object.keys(doc.paths["/v1/statistiques/demandes/csv"]?.get.responses["200"]?.content ?? {})).toEqual([
      "text/csv",
    ]);
  });

  it("reads cotation's scores: the stock by decile of each demand's rank in its EPCI", async () => {
    await h.platform.producer.publish(h.platform.topic(topics.score), [
      { envelope: scored("dem_int1", "200046977", 1, 2, "2026-10-01T02:00:00.000Z") },
      { envelope: scored("dem_int4", "200046977", 1, 1, "2026-08-01T02:00:00.000Z") },
    ]);
    const deciles = await eventually(async () => {
      const res = await h.call("epci", "GET", "/v1/statistiques/demandes");
      const byKey = Object.fromEntries(
        res.body.parDecile.map((v: { cle: string; actives: number; attributions: { total: number } }) => [
          v.cle,
          [v.actives, v.attributions.total],
        ]),
      );
      // dem_int4 was attributed with its last score in the first decile; dem_int2 has no score. Both
      // score events must have been applied (they may sit on different partitions): wait for all.
      expect(byKey).toEqual({ "01": [0, 1], "02": [1, 0], "non-cotee": [1, 0] });
      return byKey;
    }, 30_000);
    expect(deciles["02"]).toEqual([1, 0]);
  });

  it("a rebuild (the topic replayed from the start into a new collection) equals the incremental read model", async () => {
    const rebuilt = mongoDemandRows(h.platform.db, "demand_rows_rebuild");
    const consumer = await startDemandEventsConsumer({
      kafka: h.platform.kafka,
      producer: h.platform.producer,
      projection: demandProjection(rebuilt),
      logger: h.platform.logger,
      topicPrefix: h.platform.topicPrefix,
      group: "reporting.demand-rows.rebuild-test",
    });
    try {
      const sort = <T extends { id: string }>(rows: T[]) => rows.sort((a, b) => a.id.localeCompare(b.id));
      await eventually(async () => {
        const incremental = sort(await h.rows.list({}));
        expect(incremental).toHaveLength(5);
        expect(sort(await rebuilt.list({}))).toEqual(incremental);
      }, 30_000);
    } finally {
      await consumer.stop();
    }
  });
});

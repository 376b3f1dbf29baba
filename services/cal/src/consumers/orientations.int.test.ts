import { readFileSync } from "node:fs";
import { orientationStream, topics } from "@logis/contracts";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { calHarness } from "../testing/harness.js";

// Flux's orientations on the real engines: the consumer group opens one attribution per oriented
// unit; a redelivered event changes nothing; an override moves it; a stale redelivery does not.

let h: Awaited<ReturnType<typeof calHarness>>;
beforeAll(async () => {
  h = await calHarness("2026-11-19T09:00:00.000Z");
});
afterAll(async () => {
  await h?.close();
});

const fixture = (type: string) =>
  JSON.parse(readFileSync(new URL(`../../../../packages/contracts/fixtures/${type}.v1.json`, import.meta.url), "utf8"));
const publish = (...events: unknown[]) =>
  h.platform.producer.publish(
    h.platform.topic(topics.fluxOrientation),
    events.map((e) => ({ envelope: orientationStream.schema.parse(e) })),
  );

describe("flux's orientations open the attributions (consumer group cal.orientations)", () => {
  it("opens the vacancy once, waiting for the reserver's designation; an override moves it once", async () => {
    const assigned = fixture("UnitAssignedToReserver");
    const id = "att_5700000001_2026-03-01";
    await publish(assigned, assigned);
    const opened = await eventually(async () => {
      const res = await h.call("bailleur57", "GET", `/v1/attributions/${id}`);
      expect(res.status).toBe(200);
      return res.body;
    }, 30_000);
    expect(opened).toMatchObject({
      statut: "a_designer",
      designationAvant: "2026-04-01",
      cible: { reservataireId: "org_demo_prefet_57", codeSne: "PPRIOR" },
      logement: { rplsId: "5700000001", bailleurId: "org_demo_bailleur_57", typologie: "T3" },
      candidats: [],
      fluxVu: 4,
    });

    const overridden = {
      ...assigned,
      eventId: "evt_fixture_override",
      type: "OrientationOverridden",
      aggregateVersion: 5,
      payload: {
        rplsId: "5700000001",
        libereLe: "2026-03-01",
        de: assigned.payload.cible,
        vers: {
          reservataireId: "org_demo_action_logement",
          conventionId: "cnv_al",
          type: "action_logement",
          codeSne: "COLACT",
        },
        motif: "Logement adapté au public d'Action Logement",
        decideLe: "2026-03-03T08:00:00.000Z",
        decidePar: "usr_demo_bailleur_57",
      },
    };
    // The override, then the orientation and the override delivered again (a relay's re-send).
    await publish(overridden, assigned, overridden);
    const moved = await eventually(async () => {
      const res = await h.call("bailleur57", "GET", `/v1/attributions/${id}`);
      expect(res.body.cible.reservataireId).toBe("org_demo_action_logement");
      return res.body;
    }, 30_000);
    // A marker after the re-sends: once it is applied, everything before it has been too.
    const other = {
      ...assigned,
      eventId: "evt_fixture_marker",
      payload: { ...assigned.payload, logement: { ...assigned.payload.logement, rplsId: "5700000002" } },
    };
    await publish(other);
    await eventually(async () => {
      expect((await h.call("bailleur57", "GET", "/v1/attributions/att_5700000002_2026-03-01")).status).toBe(200);
    }, 30_000);
    const after = (await h.call("bailleur57", "GET", `/v1/attributions/${id}`)).body;
    expect(after).toEqual(moved);
    expect(after).toMatchObject({ statut: "a_designer", fluxVu: 5, revision: 2 });
    expect(await h.platform.db.collection("attributions").countDocuments()).toBe(2);
  });

  it("a PLAI adapté unit (flux's optional plaiAdapte fact) is known as such: the three-candidate exception may apply", async () => {
    const assigned = fixture("UnitAssignedToReserver");
    const adapted = {
      ...assigned,
      eventId: "evt_fixture_plai_adapte",
      aggregateVersion: 6,
      payload: {
        ...assigned.payload,
        logement: { ...assigned.payload.logement, rplsId: "5700000003", financement: "PLAI", plaiAdapte: true },
      },
    };
    await publish(adapted);
    const opened = await eventually(async () => {
      const res = await h.call("bailleur57", "GET", "/v1/attributions/att_5700000003_2026-03-01");
      expect(res.status).toBe(200);
      return res.body;
    }, 30_000);
    expect(opened.unite).toMatchObject({ financement: "PLAI", plaiAdapte: true });
    // Units declared before the fact existed carry none: not a PLAI adapté.
    const older = (await h.call("bailleur57", "GET", "/v1/attributions/att_5700000002_2026-03-01")).body;
    expect(older.unite.plaiAdapte ?? false).toBe(false);
  });
});

import { readFileSync } from "node:fs";
import { attributionStream, type LogementDeclare, topics } from "@logis/contracts";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FluxHarness, fluxHarness } from "../testing/harness.js";

let h: FluxHarness;
beforeAll(async () => {
  h = await fluxHarness("2026-11-22T09:00:00.000Z");
});
afterAll(async () => {
  await h.close();
});

const fixture = JSON.parse(
  readFileSync(new URL("../../../../packages/contracts/fixtures/LeaseSigned.v1.json", import.meta.url), "utf8"),
);
const unit: LogementDeclare = {
  rplsId: "5700000099",
  idBailleur: "MOS-0099",
  commune: "57463",
  adresse: "5 rue Serpenoise",
  codePostal: "57000",
  qpv: false,
  nbPieces: 3,
  surface: 65,
  etage: 1,
  ascenseur: false,
  accessibilite: "accessible",
  anneeConstruction: 1968,
  financement: "PLUS",
  loyer: 420.5,
};

describe("a lease signed in the CAL (issue 12's effect on flux)", () => {
  it("lets the freed unit and counts the attribution to the reserver of its orientation, once", async () => {
    expect((await h.call("bailleur57", "POST", "/v1/logements", unit)).status).toBeLessThan(300);
    const freed = await h.call("bailleur57", "POST", `/v1/logements/${unit.rplsId}/liberation`, {
      libereLe: "2026-11-10",
      motif: "depart",
    });
    expect(freed.status, JSON.stringify(freed.body)).toBe(202);
    await eventually(async () => {
      const res = await h.call("bailleur57", "GET", `/v1/logements/${unit.rplsId}/orientation`);
      expect(res.body).toHaveLength(1);
    }, 30_000);

    const lease = attributionStream.schema.parse({
      ...fixture,
      payload: { ...fixture.payload, rplsId: unit.rplsId, libereLe: "2026-11-10", bailSigneLe: "2026-11-20" },
    });
    // Delivered twice (a relay's re-send): counted once.
    await h.platform.producer.publish(h.platform.topic(topics.calAttribution), [
      { envelope: lease },
      { envelope: lease },
    ]);
    const orientation = await eventually(async () => {
      const res = await h.call("bailleur57", "GET", `/v1/logements/${unit.rplsId}/orientation`);
      expect(res.body[0]?.attribue).toBe(true);
      return res.body;
    }, 30_000);
    expect(orientation).toHaveLength(1);
    const now = await h.call("bailleur57", "GET", `/v1/logements/${unit.rplsId}`);
    expect(now.body.vacance ?? null).toBeNull();
  });
});

import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { createEvent, DemandRegistered } from "@logis/contracts";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { family } from "../domain/testing/fixtures.js";
import { calHarness } from "../testing/harness.js";

// The CAL's demo seed against the service on the real engines, run twice as up.sh would: the
// commissions, the sessions scheduled, a designated unit placed on the first session's agenda and
// its candidates decided; the second run changes nothing.

const run = promisify(execFile);
let h: Awaited<ReturnType<typeof calHarness>>;
let keysFile: string;
const numero = (n: number) => `0571126${String(n).padStart(9, "0")}SD`;

beforeAll(async () => {
  h = await calHarness(new Date().toISOString());
  keysFile = join(mkdtempSync(join(tmpdir(), "cal-seed-")), "keys.json");
  writeFileSync(keysFile, JSON.stringify(h.keys));
  await h.publishDemandEvents(
    [1, 2, 3].map((n) =>
      createEvent(DemandRegistered, {
        aggregateId: `dem_seed_${n}`,
        aggregateVersion: 1,
        correlationId: "cor_seed",
        occurredAt: new Date("2025-06-01T10:00:00.000Z"),
        payload: {
          numeroUnique: numero(n),
          departement: "57",
          dateDepot: "2025-06-01T10:00:00.000Z",
          validUntil: "2099-06-01T00:00:00.000Z",
          guichet: { numGuichet: "057000123", organisationId: "org_demo_bailleur_57", nom: "Guichet test" },
          demande: family((d) => {
            d.demandeur.ressources.revenuFiscal = {
              anneeN2: new Date().getUTCFullYear() - 2,
              montantN2: 24_800,
            };
          }),
        },
      }),
    ),
  );
  const fixture = JSON.parse(
    readFileSync(
      new URL("../../../../packages/contracts/fixtures/UnitAssignedToReserver.v1.json", import.meta.url),
      "utf8",
    ),
  );
  await h.publishOrientations([
    {
      ...fixture,
      payload: {
        ...fixture.payload,
        cible: {
          reservataireId: "org_demo_action_logement",
          conventionId: "cnv_al",
          type: "action_logement",
          codeSne: "COLACT",
        },
        designationAvant: "2099-01-01",
      },
    },
  ]);
  const att = "att_5700000001_2026-03-01";
  await eventually(async () => {
    expect(await h.platform.db.collection("demands").countDocuments()).toBe(6);
    expect((await h.call("bailleur57", "GET", `/v1/attributions/${att}`)).status).toBe(200);
  }, 30_000);
  const designated = await h.call("reservataire57", "POST", `/v1/attributions/${att}/designation`, {
    numerosUniques: [1, 2, 3].map(numero),
  });
  expect(designated.status, JSON.stringify(designated.body)).toBe(201);
});
afterAll(async () => {
  await h?.close();
});

const seed = async () => {
  const script = new URL("./seed-demo.ts", import.meta.url).pathname;
  const { stderr } = await run(process.execPath, ["--import", "tsx", script, h.base, keysFile], { timeout: 60_000 });
  return stderr;
};

describe("the CAL's demo seed", () => {
  it("constitutes the commissions, schedules sessions, places the designated unit and decides its candidates, once", async () => {
    const first = await seed();
    expect(first).toMatch(
      /cal: 2 commission\(s\) constituted, \d+ session\(s\) scheduled, 1 unit\(s\) placed on an agenda, 3 decision\(s\) recorded/,
    );
    const commission = await h.call("bailleur57", "GET", "/v1/commissions/com_moselis_caleol");
    expect(commission.body).toMatchObject({ typeCommission: "CALEOL", bailleurId: "org_demo_bailleur_57" });
    const sessions = (await h.platform.db.collection("sessions").find({}).toArray()) as unknown as {
      decisions: { type: string; rang: number }[];
      agenda: unknown[];
    }[];
    const decided = sessions.filter((s) => s.decisions.length > 0);
    expect(decided).toHaveLength(1);
    expect(decided[0]?.decisions.map((d) => [d.type, d.rang])).toEqual([
      ["ATTRIBUTION_RANG", 1],
      ["ATTRIBUTION_RANG", 2],
      ["ATTRIBUTION_RANG", 3],
    ]);
    const second = await seed();
    expect(second).toMatch(
      /cal: 0 commission\(s\) constituted, 0 session\(s\) scheduled, 0 unit\(s\) placed on an agenda, 0 decision\(s\) recorded/,
    );
    expect(await h.platform.db.collection("sessions").countDocuments()).toBe(sessions.length);
  });
});

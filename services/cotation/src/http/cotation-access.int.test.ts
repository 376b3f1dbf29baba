import type { Principal } from "@logis/auth";
import { demoUsers } from "@logis/auth";
import { eventually, household } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReferenceGrid } from "../adapters/files/reference-data.js";
import { cotationHarness } from "../testing/harness.js";

// Issue 10: who may read a cotation (it shows DALO, violence, handicap criteria), and a numéro
// outside one's reach must look exactly like a numéro that does not exist.

type Harness = Awaited<ReturnType<typeof cotationHarness>>;
let h: Harness;
const EPCI = "200046977";
let known: string;
const unknown = "0690326999999998ZZ";

const deskOf35: Principal = {
  ...demoUsers.guichet,
  userId: "usr_desk_35",
  organisation: { id: "org_desk_35", kind: "desk", name: "Guichet Rennes", guichet: "035000001" },
  territories: { departements: ["35"], epcis: [] },
};
const otherEpci: Principal = {
  ...demoUsers.epci,
  userId: "usr_other_epci",
  organisation: { id: "org_other_epci", kind: "epci", name: "Autre EPCI" },
  territories: { departements: ["69"], epcis: ["200040715"] },
};

beforeAll(async () => {
  h = await cotationHarness();
  const events = [
    h.registered(
      household((d) => {
        d.situations.dalo = { statut: "ACTIF" };
        d.situations.violencesFamiliales = true;
      }),
      "2025-11-01",
    ),
    h.registered(household(), "2024-05-10"),
  ];
  known = events[0]?.payload.numeroUnique as string;
  await h.publishDemandEvents(events);
  await eventually(() => expect(h.stock.applied).toBe(2));
  const grid = loadReferenceGrid("synthetique");
  const created = await h.call("epci", "POST", "/v1/grilles", {
    epci: EPCI,
    kind: "unique",
    nom: grid.nom,
    rules: grid.rules,
  });
  expect(created.status).toBe(201);
  expect((await h.call("epci", "POST", `/v1/grilles/${created.body.id}/simulation`, { topN: 2 })).status).toBe(200);
  const published = await h.call("epci", "POST", `/v1/grilles/${created.body.id}/publication`, {
    effectiveFrom: "2026-11-22",
  });
  expect(published.status).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

type Who = Parameters<Harness["call"]>[0];

/** What a client sees: status and body, the numéro asked and the request id aside. */
async function seen(who: Who, numero: string, via: "rest" | "trpc") {
  const res =
    via === "rest"
      ? await h.call(who, "GET", `/v1/demandes/${numero}/cotation`)
      : await h.call(
          who,
          "GET",
          `/trpc/cotation?input=${encodeURIComponent(JSON.stringify({ numeroUnique: numero }))}`,
        );
  const body = JSON.parse(JSON.stringify(res.body).replaceAll(numero, "<numéro>"));
  if (body.error?.requestId) body.error.requestId = "<id>";
  if (body.error?.data?.requestId) body.error.data.requestId = "<id>";
  if (body.error?.data?.path) body.error.data.path = "<path>";
  return { status: res.status, body };
}

describe("who may read a cotation", () => {
  it("desks and the préfecture of the département, and the EPCI's staff, read it", async () => {
    for (const who of ["guichet", "prefecture", "epci"] as const) {
      const res = await h.call(who, "GET", `/v1/demandes/${known}/cotation`);
      expect(res.status, who).toBe(200);
      expect(res.body.cotations[0]).toMatchObject({ epci: EPCI });
      expect(res.body.cotations[0].criteria.map((c: { code: string }) => c.code)).toContain("DALO_ACTIF");
    }
  });

  it("a landlord without a link to the household, a desk of another département, another EPCI: as if the numéro did not exist", async () => {
    for (const via of ["rest", "trpc"] as const) {
      const nothing = await seen("guichet", unknown, via);
      expect(nothing.status).toBe(404);
      for (const who of ["bailleur", deskOf35, otherEpci] as Who[]) {
        expect(await seen(who, known, via), `${via} ${JSON.stringify(who)}`).toEqual(nothing);
        expect(await seen(who, unknown, via)).toEqual(nothing);
      }
    }
  });

  it("a landlord cannot walk the stock: every computed numéro answers the same", async () => {
    const statuses = new Set<number>();
    for (let seq = 1; seq <= 3; seq++) {
      const row = h.stock.projection.rowOfNumeroUnique(known);
      expect(row).toBeDefined();
      const res = await h.call(
        "bailleur",
        "GET",
        `/v1/demandes/${known.slice(0, 7)}${String(seq).padStart(9, "0")}AA/cotation`,
      );
      statuses.add(res.status);
    }
    statuses.add((await h.call("bailleur", "GET", `/v1/demandes/${known}/cotation`)).status);
    expect([...statuses]).toEqual([404]);
  });
});

import type { AnyOperation } from "@logis/http";
import { eventually, household } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReferenceGrid } from "../adapters/files/reference-data.js";
import { cotationHarness } from "../testing/harness.js";
import { operations } from "./operations.js";

// Every answer documented in /openapi.json comes from the operation's `output` schema: real answers
// of the service on the real engines must satisfy it. `exactly`: nothing in the answer that the
// schema leaves out, nothing the schema requires or defaults that the answer lacks.

type Harness = Awaited<ReturnType<typeof cotationHarness>>;
type Operations = ReturnType<typeof operations>;
let h: Harness;
let ops: Operations;
const checked = new Set<string>();
const EPCI = "200046977";
const numeros: string[] = [];

beforeAll(async () => {
  h = await cotationHarness();
  ops = operations(h.uc);
  const events = [
    h.registered(
      household((d) => {
        d.situations.dalo = { statut: "ACTIF" };
      }),
      "2025-11-01",
    ),
    h.registered(household(), "2019-05-10"),
    h.registered(
      household((d) => {
        d.souhaits.typologies = ["T3"];
      }),
      "2021-05-10",
    ),
  ];
  for (const e of events) numeros.push(e.payload.numeroUnique);
  await h.publishDemandEvents(events);
  await eventually(() => expect(h.stock.applied).toBe(events.length));
});
afterAll(async () => {
  await h?.close();
});

function conforms(op: AnyOperation, res: { status: number; body: unknown }, exactly = true) {
  expect(res.status, `${op.name}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  const parsed = op.output?.safeParse(res.body);
  expect(parsed?.success, `${op.name}: ${parsed?.error?.message}`).toBe(true);
  if (exactly) expect(JSON.parse(JSON.stringify(parsed?.data)), op.name).toEqual(res.body);
  checked.add(op.name);
}

describe("cotation's answers satisfy their documented schemas", () => {
  it("the facts, and a grid drafted, simulated, published, then a new draft changed and simulated against it", async () => {
    conforms(ops.facts, await h.call("epci", "GET", "/v1/faits"));
    const grid = loadReferenceGrid("synthetique");
    const created = await h.call("epci", "POST", "/v1/grilles", {
      epci: EPCI,
      kind: "unique",
      nom: grid.nom,
      rules: grid.rules,
    });
    conforms(ops.createDraft, created);
    const first = await h.call("epci", "POST", `/v1/grilles/${created.body.id}/simulation`, { topN: 2 });
    conforms(ops.simulate, first);
    expect(first.body.before).toBeNull();
    const published = await h.call("epci", "POST", `/v1/grilles/${created.body.id}/publication`, {
      effectiveFrom: "2026-11-22",
    });
    conforms(ops.publish, published);
    expect(published.body).toMatchObject({ status: "published", drawSeed: expect.any(Number) });

    const draft = await h.call("epci", "POST", "/v1/grilles", {
      epci: EPCI,
      kind: "unique",
      nom: "Révision",
      rules: grid.rules,
    });
    conforms(ops.createDraft, draft);
    const changed = await h.call("epci", "PUT", `/v1/grilles/${draft.body.id}`, {
      nom: "Révision 2027",
      note: "nom de la révision",
    });
    conforms(ops.updateDraft, changed);
    const second = await h.call("epci", "POST", `/v1/grilles/${draft.body.id}/simulation`, { topN: 2 });
    conforms(ops.simulate, second);
    expect(second.body.before).not.toBeNull();
    conforms(ops.grid, await h.call("epci", "GET", `/v1/grilles/${draft.body.id}`));
    const list = await h.call("epci", "GET", `/v1/grilles?epci=${EPCI}`);
    conforms(ops.grids, list);
    expect(list.body).toHaveLength(2);
  });

  it("a demand's cotation, the ranking for a unit, the applicant's link and page", async () => {
    const cotation = await h.call("guichet", "GET", `/v1/demandes/${numeros[0]}/cotation`);
    conforms(ops.cotation, cotation);
    expect(cotation.body.cotations.length).toBeGreaterThan(0);
    const page = await h.call("bailleur", "GET", `/v1/epcis/${EPCI}/classement?n=2`);
    conforms(ops.classement, page);
    expect(page.body.suivant).toBe(2);
    const link = await h.call("guichet", "POST", `/v1/demandes/${numeros[1]}/cotation/lien`);
    conforms(ops.explanationLink, link);
    const explained = await h.call(null, "GET", link.body.chemin);
    conforms(ops.explanation, explained);
    expect(explained.body.cotations[0].explication.criteres.length).toBeGreaterThan(0);
  });

  it("every JSON operation was checked; the applicant's page is documented by its media type", async () => {
    const all = Object.values(ops) as AnyOperation[];
    expect(all.every((op) => op.output !== undefined)).toBe(true);
    expect([...checked].sort()).toEqual(all.map((op) => op.name).sort());
    const doc = (await h.call(null, "GET", "/openapi.json")).body;
    const content = doc.paths["/v1/explication/{token}"].get.responses["200"].content;
    expect(Object.keys(content).sort()).toEqual(["application/json", "text/html"]);
  });
});

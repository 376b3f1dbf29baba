import { eventually, household } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReferenceGrid } from "../adapters/files/reference-data.js";
import { cotationHarness } from "../testing/harness.js";

// Decision 0011: the CAL asks cotation for an EPCI's demands in rank order that pass a coarse
// prefilter for one unit, a page at a time; ids, ranks and scores only, for callers working there.

type Harness = Awaited<ReturnType<typeof cotationHarness>>;
let h: Harness;
const EPCI = "200046977";
const ids: Record<string, string> = {};

beforeAll(async () => {
  h = await cotationHarness();
  const events = [
    // DALO first: best ranked under the synthetic grid.
    [
      "dalo",
      h.registered(
        household((d) => {
          d.situations.dalo = { statut: "ACTIF" };
        }),
        "2025-11-01",
      ),
    ],
    [
      "t3",
      h.registered(
        household((d) => {
          d.souhaits.typologies = ["T3"];
        }),
        "2020-01-10",
      ),
    ],
    ["t2a", h.registered(household(), "2019-05-10")],
    [
      "t2b",
      h.registered(
        household((d) => {
          // Above every PLUS ceiling of a single person (category 3 at most: 37,584 € in 2026).
          d.demandeur.ressources.revenuFiscal = { anneeN2: 2024, montantN2: 60000 };
        }),
        "2021-05-10",
      ),
    ],
    [
      "autreCommune",
      h.registered(
        household((d) => {
          d.souhaits.communes = ["69382"];
        }),
        "2018-05-10",
      ),
    ],
    [
      "adapte",
      h.registered(
        household((d) => {
          d.souhaits.logementAdapte = true;
        }),
        "2018-06-10",
      ),
    ],
    [
      "pauvre",
      h.registered(
        household((d) => {
          d.demandeur.ressources.mensuelles = [];
        }),
        "2018-07-10",
      ),
    ],
    [
      "nombreux",
      h.registered(
        household((d) => {
          d.personnesACharge = [1, 2, 3].map((k) => ({
            nom: "Martin",
            prenom: `Enfant ${k}`,
            dateNaissance: `201${k}-01-01`,
            lienParente: "E",
          }));
        }),
        "2018-08-10",
      ),
    ],
  ] as const;
  for (const [name, e] of events) ids[name] = e.aggregateId;
  await h.publishDemandEvents(events.map(([, e]) => e));
  await eventually(() => expect(h.stock.applied).toBe(events.length));
  const grid = loadReferenceGrid("synthetique");
  const created = await h.call("epci", "POST", "/v1/grilles", {
    epci: EPCI,
    kind: "unique",
    nom: grid.nom,
    rules: grid.rules,
  });
  await h.call("epci", "POST", `/v1/grilles/${created.body.id}/simulation`, { topN: 2 });
  await h.call("epci", "POST", `/v1/grilles/${created.body.id}/publication`, { effectiveFrom: "2026-11-22" });
});
afterAll(async () => {
  await h?.close();
});

const url = (query: string) => `/v1/epcis/${EPCI}/classement?${query}`;
const names = (body: { demandes: { demandId: string }[] }) =>
  body.demandes.map((d) => Object.keys(ids).find((k) => ids[k] === d.demandId));

describe("an EPCI's ranked demands for one unit (GET /v1/epcis/:epci/classement)", () => {
  it("walks the whole ranking in rank order without a filter", async () => {
    const res = await h.call("bailleur", "GET", url("n=50"));
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.demandes).toHaveLength(8);
    expect(res.body.demandes.map((d: { rank: number }) => d.rank)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(res.body.demandes[0]).toMatchObject({ demandId: ids.dalo, of: 8, grid: { version: 1 } });
    expect(res.body.suivant).toBeNull();
    expect(Object.keys(res.body.demandes[0]).sort()).toEqual([
      "demandId",
      "grid",
      "numeroUnique",
      "of",
      "rank",
      "score",
    ]);
  });

  it("keeps only the demands the prefilter lets through: commune, typology, household size, adapted unit, rent burden", async () => {
    const res = await h.call(
      "bailleur",
      "GET",
      url("commune=69381&typologie=T2&personnesMax=3&nonAdapte=true&coutMensuel=500&tauxEffortMax=0.35&n=50"),
    );
    expect(res.status).toBe(200);
    expect(new Set(names(res.body))).toEqual(new Set(["dalo", "t2a", "t2b"]));
    // Walked: the demands wishing the commune and the typology (the index), not the T3 one nor the other commune's.
    expect(res.body.parcourues).toBe(6);
  });

  it("with the unit's income ceilings, leaves out a household above every category it could be in", async () => {
    const plus2026 = "plafonds=23403,31254,37584,45374,53376,60156&plafondParPersonneSupplementaire=6711";
    const res = await h.call(
      "bailleur",
      "GET",
      url(
        `commune=69381&typologie=T2&personnesMax=3&nonAdapte=true&coutMensuel=500&tauxEffortMax=0.35&n=50&${plus2026}`,
      ),
    );
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(new Set(names(res.body))).toEqual(new Set(["dalo", "t2a"]));
    // The age of the ranking walked (served while a newer one is rebuilt in the background).
    expect(res.body.ageSecondes).toBeGreaterThanOrEqual(0);
    expect(Date.parse(res.body.classementCalculeLe)).toBeLessThanOrEqual(Date.now());
    const bad = await h.call("bailleur", "GET", url("plafonds=1,2,3"));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toMatch(/plafonds : six montants/);
  });

  it("pages with after: the next page starts after the last rank given, and the pages add up to the whole", async () => {
    const first = await h.call("bailleur", "GET", url("n=3"));
    expect(first.body.demandes).toHaveLength(3);
    expect(first.body.suivant).toBe(3);
    const rest = await h.call("bailleur", "GET", url(`n=50&after=${first.body.suivant}`));
    expect(rest.body.demandes.map((d: { rank: number }) => d.rank)).toEqual([4, 5, 6, 7, 8]);
    expect(rest.body.suivant).toBeNull();
  });

  it("an EPCI out of the caller's territory answers as an unknown one; bad input names the field", async () => {
    const out = await h.call("bailleur57", "GET", url("n=3"));
    const unknown = await h.call("bailleur", "GET", "/v1/epcis/200071082/classement?n=3");
    expect(out.status).toBe(404);
    expect(unknown.status).toBe(404);
    expect(out.body.error.message).toBe(unknown.body.error.message.replace("200071082", EPCI));
    expect((await h.call("reservataire", "GET", url("n=3"))).status).toBe(403);
    const bad = await h.call("bailleur", "GET", url("n=0&tauxEffortMax=2"));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body.error)).toMatch(/n : au moins 1/);
  });
});

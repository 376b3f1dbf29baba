import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { createEvent, type DemandFacts, DemandRegistered, topics } from "@logis/contracts";
import { eventually, readTopic, testKafka } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cotationRanking } from "../adapters/http/cotation-ranking.js";
import type { RankingPage } from "../app/ports.js";
import { family } from "../domain/testing/fixtures.js";
import { calHarness } from "../testing/harness.js";

// Candidates of the vacancies flux orients, on the real engines: the reserver designates (three or
// a legal exception, nothing recorded otherwise), the landlord proposes from cotation's ranking over
// HTTP (pages, full eligibility, snapshot), and "why (not) on this list". Cotation's side of the
// route is tested by cotation (classement.int.test.ts); here a small HTTP server answers in its
// place with a fixed ranking, checking what the CAL asks.

let h: Awaited<ReturnType<typeof calHarness>>;
let cotation: Server;
const asked: URL[] = [];
const ranked: RankingPage["demandes"] = [];
const TOKEN = "service-token-of-the-cal-for-tests";

const fixture = JSON.parse(
  readFileSync(
    new URL("../../../../packages/contracts/fixtures/UnitAssignedToReserver.v1.json", import.meta.url),
    "utf8",
  ),
);
/** An orientation of unit `rplsId` (a T3 in Metz, PLUS) to a reserver, or to the landlord's own part. */
const oriented = (rplsId: string, version: number, own = false) => ({
  ...fixture,
  eventId: `evt_orient_${rplsId}`,
  aggregateVersion: version,
  payload: {
    ...fixture.payload,
    logement: { ...fixture.payload.logement, rplsId },
    cible: own
      ? { reservataireId: "org_demo_bailleur_57", conventionId: null, type: "bailleur", codeSne: "AUCUN" }
      : {
          reservataireId: "org_demo_action_logement",
          conventionId: "cnv_al",
          type: "action_logement",
          codeSne: "COLACT",
        },
    designationAvant: "2026-04-01",
  },
});

const demands: Record<string, { id: string; numero: string }> = {};
const register = (name: string, seq: number, facts: DemandFacts) => {
  const numero = `0570326${String(seq).padStart(9, "0")}AA`;
  demands[name] = { id: `dem_cal_${seq}`, numero };
  return createEvent(DemandRegistered, {
    aggregateId: `dem_cal_${seq}`,
    aggregateVersion: 1,
    correlationId: "cor_test",
    occurredAt: new Date("2025-06-01T10:00:00.000Z"),
    payload: {
      numeroUnique: numero,
      departement: "57",
      dateDepot: "2025-06-01T10:00:00.000Z",
      validUntil: "2027-06-01T00:00:00.000Z",
      guichet: { numGuichet: "057000123", organisationId: "org_demo_bailleur_57", nom: "Guichet test" },
      demande: facts,
    },
  });
};

beforeAll(async () => {
  cotation = createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://cotation");
    asked.push(url);
    if (req.headers.authorization !== `Bearer ${TOKEN}` || url.pathname !== "/v1/epcis/200039865/classement") {
      res.writeHead(404).end("{}");
      return;
    }
    // Pages of two, whatever n: the CAL must follow `suivant`.
    const after = Number(url.searchParams.get("after") ?? 0);
    const page = ranked.filter((d) => d.rank > after).slice(0, 2);
    const last = page.at(-1)?.rank;
    const body: RankingPage = {
      demandes: page,
      parcourues: page.length,
      suivant: last !== undefined && ranked.some((d) => d.rank > last) ? last : null,
    };
    res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => cotation.listen(0, "127.0.0.1", resolve));
  const baseUrl = `http://127.0.0.1:${(cotation.address() as AddressInfo).port}`;
  h = await calHarness("2026-03-05T09:00:00.000Z", { ranking: cotationRanking({ baseUrl, token: async () => TOKEN }) });
  await h.publishDemandEvents([
    register("a", 1, family()),
    register("b", 2, family()),
    register("c", 3, family()),
    register(
      "riche",
      4,
      family((d) => {
        d.demandeur.ressources.revenuFiscal = { anneeN2: 2024, montantN2: 90_000 };
      }),
    ),
    register(
      "t4",
      5,
      family((d) => {
        d.souhaits.typologies = ["T4"];
      }),
    ),
    register("loin", 6, family()),
    register(
      "dalo",
      7,
      family((d) => {
        d.situations.dalo = { statut: "ACTIF" };
      }),
    ),
  ]);
  await h.publishOrientations([
    oriented("5700000011", 1),
    oriented("5700000012", 2, true),
    oriented("5700000013", 3, true),
    oriented("5700000014", 4),
  ]);
  await eventually(async () => {
    expect((await h.call("bailleur57", "GET", "/v1/attributions/att_5700000014_2026-03-01")).status).toBe(200);
    expect(await h.platform.db.collection("demands").countDocuments()).toBe(14);
  }, 30_000);
});
afterAll(async () => {
  await h?.close();
  cotation?.close();
});

const entry = (name: string, rank: number) => ({
  demandId: demands[name]?.id ?? `dem_inconnue_${rank}`,
  numeroUnique: demands[name]?.numero ?? `0570326${String(900 + rank).padStart(9, "0")}ZZ`,
  rank,
  of: 40,
  score: 100 - rank,
  grid: { gridId: "grd_200039865_unique.v1", version: 1 },
});

describe("the reserver designates its candidates", () => {
  const att = "att_5700000011_2026-03-01";

  it("fewer than three without a legal exception, or an unknown numéro: 422 naming the rule, nothing recorded", async () => {
    const two = await h.call("reservataire57", "POST", `/v1/attributions/${att}/designation`, {
      numerosUniques: [demands.a?.numero, demands.b?.numero],
    });
    expect(two.status).toBe(422);
    expect(two.body.error).toMatchObject({ reason: "THREE_CANDIDATES_RULE", field: "candidats" });
    const unknown = await h.call("reservataire57", "POST", `/v1/attributions/${att}/designation`, {
      numerosUniques: [demands.a?.numero, "057032699999999ZZZ", demands.b?.numero],
    });
    expect(unknown.status).toBe(422);
    expect(unknown.body.error).toMatchObject({ reason: "DEMAND_NOT_ACTIVE", field: "numerosUniques.1" });
    const rich = await h.call("reservataire57", "POST", `/v1/attributions/${att}/designation`, {
      numerosUniques: [demands.a?.numero, demands.b?.numero, demands.riche?.numero],
    });
    expect(rich.status).toBe(422);
    expect(rich.body.error.reason).toBe("CANDIDATE_INELIGIBLE");
    expect((await h.call("bailleur57", "GET", `/v1/attributions/${att}`)).body).toMatchObject({
      statut: "a_designer",
      candidats: [],
    });
  });

  it("another reserver cannot designate (as if the vacancy did not exist); a landlord has no designation right at all", async () => {
    const body = { numerosUniques: [demands.a?.numero, demands.b?.numero, demands.c?.numero] };
    const other = await h.call("reservataire", "POST", `/v1/attributions/${att}/designation`, body);
    expect(other.status).toBe(404);
    const landlord = await h.call("bailleur57", "POST", `/v1/attributions/${att}/designation`, body);
    expect(landlord.status).toBe(403);
    expect(landlord.body.error?.code ?? landlord.body.code).toBe("FORBIDDEN");
  });

  it("three eligible households: proposed with their eligibility snapshot, CandidatesProposed leaves", async () => {
    const res = await h.call("reservataire57", "POST", `/v1/attributions/${att}/designation`, {
      numerosUniques: [demands.a?.numero, demands.b?.numero, demands.c?.numero],
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.candidats.map((c: { demandId: string; eligibilite: { eligible: boolean } }) => c.demandId)).toEqual(
      [demands.a?.id, demands.b?.id, demands.c?.id],
    );
    expect(res.body.candidats[0].justification).toBe("Désigné par le réservataire Action Logement Services");
    await eventually(async () => {
      const sent = (await readTopic(testKafka(), h.platform.topic(topics.calAttribution))).map((m) =>
        JSON.parse(String(m.value)),
      );
      expect(sent.find((e) => e.aggregateId === att)).toMatchObject({
        type: "CandidatesProposed",
        payload: { source: "reservataire", cible: { reservataireId: "org_demo_action_logement" } },
      });
    });
  });
});

describe("the landlord proposes from cotation's ranking", () => {
  it("not over a reserver's designation, nor before its deadline; a reserver may not propose", async () => {
    const designated = await h.call("bailleur57", "POST", "/v1/attributions/att_5700000011_2026-03-01/proposition");
    expect(designated.status).toBe(409);
    const early = await h.call("bailleur57", "POST", "/v1/attributions/att_5700000014_2026-03-01/proposition");
    expect(early.status).toBe(422);
    expect(early.body.error).toMatchObject({ reason: "DESIGNATION_PENDING" });
    expect(
      (await h.call("reservataire57", "POST", "/v1/attributions/att_5700000012_2026-03-01/proposition")).status,
    ).toBe(403);
  });

  it("walks the ranking page by page, keeps the first three eligible and records why the others were left out", async () => {
    ranked.splice(
      0,
      ranked.length,
      entry("riche", 1),
      entry("t4", 2),
      entry("a", 3),
      entry("inconnue", 4),
      entry("b", 5),
      entry("c", 6),
      entry("loin", 7),
    );
    asked.length = 0;
    const res = await h.call("bailleur57", "POST", "/v1/attributions/att_5700000012_2026-03-01/proposition");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.candidats.map((c: { demandId: string }) => c.demandId)).toEqual([
      demands.a?.id,
      demands.b?.id,
      demands.c?.id,
    ]);
    expect(res.body.candidats[0]).toMatchObject({
      rangCotation: { rank: 3, of: 40 },
      score: 97,
      grille: { gridId: "grd_200039865_unique.v1", version: 1 },
    });
    expect(res.body.candidats[0].justification).toMatch(
      /^Rang 3 sur 40 .*2 demande\(s\) mieux classée\(s\) écartée\(s\)/,
    );
    expect(res.body.examen).toMatchObject({ epci: "200039865", examinees: 5, dernierRang: 6, parcourues: 6 });
    expect(
      res.body.examen.ecartees.map((e: { rank: number; refus: { regle: string }[] }) => [e.rank, e.refus[0]?.regle]),
    ).toEqual([
      [1, "PLAFOND_RESSOURCES"],
      [2, "TYPOLOGIE_NON_SOUHAITEE"],
      [4, "DEMANDE_INCONNUE"],
    ]);
    // Three pages asked (after 0, 2, 4), each with the unit's prefilter.
    expect(asked.map((u) => u.searchParams.get("after"))).toEqual(["0", "2", "4"]);
    expect(Object.fromEntries(asked[0]?.searchParams ?? [])).toMatchObject({
      commune: "57463",
      typologie: "T3",
      personnesMax: "4",
      nonAdapte: "true",
      tauxEffortMax: "0.35",
      // The unit's PLUS ceilings of 2026 (autres régions), one euro more per extra person.
      plafonds: "23403,31254,37584,45374,53376,60156",
      plafondParPersonneSupplementaire: "6711",
    });
  });

  it("why a demand is on the list, was left out, or was never reached", async () => {
    const why = (name: string) =>
      h.call("bailleur57", "GET", `/v1/attributions/att_5700000012_2026-03-01/pourquoi/${demands[name]?.numero}`);
    expect((await why("a")).body).toMatchObject({ statut: "candidat", ordre: 1, rangCotation: { rank: 3 } });
    const rich = (await why("riche")).body;
    expect(rich).toMatchObject({ statut: "ecartee", rangCotation: { rank: 1 } });
    expect(rich.refus[0]).toMatchObject({ regle: "PLAFOND_RESSOURCES", chiffres: { revenu: 90_000 } });
    expect((await why("loin")).body).toMatchObject({
      statut: "non_examinee",
      eligibiliteAujourdhui: { eligible: true },
    });
    expect((await why("loin")).body.motif).toMatch(/rang 6/);
    expect(
      (
        await h.call(
          "reservataire57",
          "GET",
          `/v1/attributions/att_5700000012_2026-03-01/pourquoi/${demands.a?.numero}`,
        )
      ).status,
    ).toBe(404);
  });

  it("fewer eligible households than three in the whole ranking: the legal exception with its counts", async () => {
    ranked.splice(0, ranked.length, entry("riche", 1), entry("a", 2), entry("t4", 3));
    const res = await h.call("bailleur57", "POST", "/v1/attributions/att_5700000013_2026-03-01/proposition");
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body.candidats).toHaveLength(1);
    expect(res.body.exception).toEqual({
      code: "INSUFFISANCE_CANDIDATS",
      justification:
        "1 demande(s) éligible(s) sur 3 demande(s) classée(s) examinée(s) : moins de 3 candidats possibles",
    });
  });
});

describe("the préfet designates a DALO household (L441-2-3 II)", () => {
  const att = "att_5700000014_2026-03-01";
  it("alone, under the DALO exception; the exception is refused for a household not recognised DALO", async () => {
    const notDalo = await h.call("prefecture57", "POST", `/v1/attributions/${att}/designation`, {
      numerosUniques: [demands.a?.numero],
      exception: { code: "DALO_DESIGNE", justification: "Ménage prioritaire" },
    });
    expect(notDalo.status).toBe(422);
    expect(notDalo.body.error.reason).toBe("EXCEPTION_NOT_APPLICABLE");
    const res = await h.call("prefecture57", "POST", `/v1/attributions/${att}/designation`, {
      numerosUniques: [demands.dalo?.numero],
      exception: { code: "DALO_DESIGNE", justification: "Ménage reconnu DALO, désigné par le préfet" },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({
      statut: "proposee",
      exception: { code: "DALO_DESIGNE" },
      candidats: [{ demandId: demands.dalo?.id, dalo: true }],
    });
    expect(res.body.candidats[0].justification).toMatch(/^Désigné par le préfet .* au titre du DALO$/);
  });
});

import type { LogementDeclare } from "@logis/contracts";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FluxHarness, fluxHarness } from "../testing/harness.js";

// The whole path on the real engines: a Moselle landlord declares and imports its units, signs its
// conventions (one refused by a legal cap), frees units, sees them oriented (events on Kafka), a
// reserver hands one back, the landlord overrides another and records a lease; the balance follows.

const prefet = {
  id: "org_demo_ddets_57",
  nom: "Préfet de la Moselle (publics prioritaires)",
  type: "prefet_prioritaires",
};
const agents = {
  id: "org_demo_ddets_57_agents",
  nom: "Préfet de la Moselle (agents de l'État)",
  type: "prefet_agents",
};
const actionLogement = { id: "org_demo_action_logement", nom: "Action Logement Services", type: "action_logement" };
const metz = { id: "org_ville_metz", nom: "Ville de Metz", type: "commune" };
const conditions = (over: Record<string, unknown> = {}) => ({
  pourcentage: 25,
  fondement: "contingent_legal",
  ventilation: [],
  delaiDesignationJours: 30,
  logementRendu: "compte",
  validFrom: "2026-01-01",
  ...over,
});
const unit = (rplsId: string, over: Partial<LogementDeclare> = {}): LogementDeclare => ({
  rplsId,
  idBailleur: `MOS-${rplsId.slice(-4)}`,
  commune: "57463",
  adresse: "3 rue Serpenoise",
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
  ...over,
});
const header =
  "rplsId;idBailleur;commune;adresse;codePostal;qpv;nbPieces;surface;etage;ascenseur;accessibilite;anneeConstruction;financement;loyer;plaiAdapte";
const csv = [
  header,
  '5700000011;MOS-0011;57463;"8 rue des Roberts; bât. A";57000;oui;2;48,5;3;oui;accessible;1972;PLAI;365,10;oui',
  "5700000012;MOS-0012;57463;10 rue des Roberts;57000;non;4;82;0;non;adapte;1995;PLUS;510",
  "5700000013;MOS-0013;57463;12 rue des Roberts;57000;non;trois;70;1;non;accessible;2001;PLS;600",
  "5700000014;MOS-0014;57463;14 rue des Roberts;57000;non;1;30;2;non;non_accessible;1960;PLUS;290",
  "6900000015;LYO-0015;69123;1 place Bellecour;69002;non;3;60;1;oui;accessible;1990;PLUS;450",
].join("\r\n");

let h: FluxHarness;
beforeAll(async () => {
  h = await fluxHarness("2026-11-22T09:00:00.000Z", { IMPORT_MAX_BYTES: "4096" });
});
afterAll(() => h?.close());

const orientationOf = (rplsId: string) =>
  eventually(async () => {
    const res = await h.call("bailleur57", "GET", `/v1/logements/${rplsId}/orientation`);
    expect(res.status).toBe(200);
    return res.body as { cible: { reservataireId: string }; motif: string; rendu: boolean; attribue: boolean }[];
  });

describe("conventions", () => {
  it("signs the landlord's conventions with author and dates, and refuses one beyond a legal cap, naming the field", async () => {
    for (const [reservataire, over, commune] of [
      [prefet, { pourcentage: 25 }, undefined],
      [actionLogement, { pourcentage: 25, fondement: "financement", logementRendu: "ne_compte_pas" }, undefined],
      [metz, { pourcentage: 20, fondement: "garantie_emprunt" }, "57463"],
    ] as const) {
      const res = await h.call("bailleur57", "POST", "/v1/conventions", {
        reservataire,
        departement: "57",
        ...(commune ? { commune } : {}),
        conditions: conditions(over),
        signeLe: "2025-12-15",
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      expect(res.body).toMatchObject({ bailleurId: "org_demo_bailleur_57", reservataire, signeLe: "2025-12-15" });
    }
    const refused = await h.call("bailleur57", "POST", "/v1/conventions", {
      reservataire: agents,
      departement: "57",
      conditions: conditions({ pourcentage: 10 }),
      signeLe: "2025-12-15",
    });
    expect(refused.status).toBe(422);
    expect(refused.body.error).toMatchObject({ code: "RULE_VIOLATION", field: "conditions.pourcentage" });
    expect(refused.body.error.message).toMatch(
      /Plafond dépassé : contingent préfectoral à 35 %.*Ramenez la part de cette convention à 5 %/,
    );
    const list = await h.call("bailleur57", "GET", "/v1/conventions?departement=57");
    expect(list.body).toHaveLength(3);
  });

  it("refuses a bad body with the field named in French", async () => {
    const res = await h.call("bailleur57", "POST", "/v1/conventions", {
      reservataire: prefet,
      departement: "57",
      conditions: conditions({ pourcentage: 120 }),
      signeLe: "2025-12-15",
    });
    expect(res.status).toBe(400);
    expect(res.body.error.field).toBe("conditions.pourcentage");
    expect(res.body.error.message).toMatch(/ne peut pas dépasser 100 %/);
  });

  it("amends a convention, and shows a reserver its own conventions only", async () => {
    const mine = await h.call("reservataire57", "GET", "/v1/conventions");
    expect(mine.status).toBe(200);
    expect(mine.body.map((c: { reservataire: { id: string } }) => c.reservataire.id)).toEqual([actionLogement.id]);
    const amended = await h.call("bailleur57", "POST", `/v1/conventions/${mine.body[0].conventionId}/avenants`, {
      conditions: conditions({
        pourcentage: 20,
        fondement: "financement",
        logementRendu: "ne_compte_pas",
        validFrom: "2027-01-01",
      }),
      signeLe: "2026-11-20",
      motif: "Révision de la part d'Action Logement pour 2027",
    });
    expect(amended.status, JSON.stringify(amended.body)).toBe(200);
    expect(amended.body.versions).toHaveLength(2);
    const events = await eventually(async () => {
      const all = await h.eventsOn(h.topics.fluxConvention);
      expect(all.map((e) => e.type)).toEqual([
        "ConventionSigned",
        "ConventionSigned",
        "ConventionSigned",
        "ConventionAmended",
      ]);
      return all;
    });
    expect(events[3]?.payload).toMatchObject({
      avenant: 1,
      signePar: "usr_demo_bailleur_57",
      champs: ["pourcentage", "validFrom"],
    });
  });
});

describe("the housing stock", () => {
  it("declares a unit, idempotently on its RPLS id, and refuses a bad one naming the field", async () => {
    const first = await h.call("bailleur57", "POST", "/v1/logements", unit("5700000001"));
    expect(first.status, JSON.stringify(first.body)).toBe(200);
    expect(first.body).toMatchObject({
      events: ["UnitDeclared"],
      unit: { logement: { typologie: "T3", departement: "57" } },
    });
    const again = await h.call("bailleur57", "POST", "/v1/logements", unit("5700000001"));
    expect(again.body.events).toEqual([]);
    const bad = await h.call("bailleur57", "POST", "/v1/logements", unit("5700000002", { surface: -3 }));
    expect(bad.status).toBe(400);
    expect(bad.body.error).toMatchObject({ field: "surface" });
    expect(bad.body.error.message).toMatch(/surface habitable/);
    const notPlai = await h.call("bailleur57", "POST", "/v1/logements", unit("5700000002", { plaiAdapte: true }));
    expect(notPlai.status).toBe(400);
    expect(notPlai.body.error).toMatchObject({ code: "VALIDATION", field: "plaiAdapte" });
    const outside = await h.call(
      "bailleur57",
      "POST",
      "/v1/logements",
      unit("6900000002", { commune: "69123", codePostal: "69001" }),
    );
    expect(outside.status).toBe(403);
    const notLandlord = await h.call("reservataire57", "POST", "/v1/logements", unit("5700000003"));
    expect(notLandlord.status).toBe(403);
  });

  it("imports a CSV as a job: progress, one line refused with its line and field, the rest declared; a re-import changes nothing", async () => {
    const started = await h.upload("bailleur57", "/v1/imports-patrimoine", csv);
    expect(started.status, started.text).toBe(202);
    const done = await eventually(async () => {
      const job = await h.call("bailleur57", "GET", `/v1/imports-patrimoine/${started.body.id}`);
      expect(job.body.status).toBe("done");
      return job.body;
    });
    expect(done.progress).toEqual({ lus: 5, crees: 3, modifies: 0, inchanges: 0, erreurs: 2 });
    expect(done.errors).toEqual([
      expect.objectContaining({
        ligne: 4,
        champ: "nbPieces",
        valeur: "trois",
        message: expect.stringMatching(/nombre/),
      }),
      expect.objectContaining({
        ligne: 6,
        rplsId: "6900000015",
        champ: "commune",
        message: expect.stringMatching(/69/),
      }),
    ]);
    const again = await h.upload("bailleur57", "/v1/imports-patrimoine", csv);
    const second = await eventually(async () => {
      const job = await h.call("bailleur57", "GET", `/v1/imports-patrimoine/${again.body.id}`);
      expect(job.body.status).toBe("done");
      return job.body;
    });
    expect(second.progress).toMatchObject({ crees: 0, inchanges: 3, erreurs: 2 });
    const plai = await h.call("bailleur57", "GET", "/v1/logements/5700000011");
    expect(plai.body.logement).toMatchObject({ financement: "PLAI", plaiAdapte: true });
    const listed = await h.call("bailleur57", "GET", "/v1/logements?departement=57");
    expect(listed.body.logements.map((u: { rplsId: string }) => u.rplsId)).toEqual([
      "5700000001",
      "5700000011",
      "5700000012",
      "5700000014",
    ]);
  });

  it("refuses an upload beyond the size limit (413) and answers 404 for another landlord's unit", async () => {
    const big = await h.upload("bailleur57", "/v1/imports-patrimoine", `${header}\r\n${"x".repeat(5000)}`);
    expect(big.status).toBe(413);
    const other = await h.call("bailleur", "GET", "/v1/logements/5700000001");
    expect(other.status).toBe(404);
    const state = await h.call("prefecture57", "GET", "/v1/logements/5700000001");
    expect(state.status).toBe(200);
  });
});

describe("freeing, orientation, ledger and balance", () => {
  const freed = ["5700000001", "5700000011", "5700000012", "5700000014"];

  it("orients each freed unit to a reserver with its explanation, through the outbox", async () => {
    for (const [i, rplsId] of freed.entries()) {
      const res = await h.call("bailleur57", "POST", `/v1/logements/${rplsId}/liberation`, {
        libereLe: `2026-11-1${i}`,
        motif: "depart",
      });
      expect(res.status, JSON.stringify(res.body)).toBe(202);
      expect(res.body.events).toEqual(["UnitFreed"]);
      const [orientation] = await orientationOf(rplsId);
      expect(orientation?.motif).toMatch(/^Orienté vers /);
    }
    const twice = await h.call("bailleur57", "POST", `/v1/logements/${freed[0]}/liberation`, {
      libereLe: "2026-11-15",
      motif: "depart",
    });
    expect(twice.status).toBe(409);
    expect(twice.body.error).toMatchObject({ field: "libereLe" });

    const events = await eventually(async () => {
      const all = await h.eventsOn(h.topics.fluxOrientation);
      expect(all.filter((e) => e.type === "UnitAssignedToReserver")).toHaveLength(4);
      return all;
    });
    expect(events[0]?.type).toBe("FluxYearOpened");
    const assigned = events.filter((e) => e.type === "UnitAssignedToReserver");
    expect(assigned.map((e) => e.aggregateVersion)).toEqual([2, 3, 4, 5]);
    expect(assigned[0]?.payload).toMatchObject({
      logement: { rplsId: freed[0] },
      explication: { regle: "plus_en_retard", positions: expect.any(Array) },
    });
    const units = await h.eventsOn(h.topics.fluxUnit);
    expect(units.filter((e) => e.type === "UnitFreed")).toHaveLength(4);
  });

  it("shows a reserver only the units oriented to it, and lets it hand one back (counted as its convention says)", async () => {
    const mine = await h.call("reservataire57", "GET", "/v1/orientations?departement=57&annee=2026");
    expect(mine.status).toBe(200);
    expect(mine.body.length).toBeGreaterThan(0);
    expect(
      mine.body.every((v: { cible: { reservataireId: string } }) => v.cible.reservataireId === actionLogement.id),
    ).toBe(true);
    const all = await h.call("prefecture57", "GET", "/v1/orientations?departement=57&annee=2026");
    expect(all.body).toHaveLength(4);
    const returned = await h.call("reservataire57", "POST", `/v1/logements/${mine.body[0].rplsId}/restitution`, {
      renduLe: "2026-11-21",
    });
    expect(returned.status, JSON.stringify(returned.body)).toBe(200);
    expect(returned.body).toMatchObject({ rendu: true, cible: { reservataireId: "org_demo_bailleur_57" } });
    const notHis = all.body.find(
      (v: { cible: { reservataireId: string } }) => v.cible.reservataireId !== actionLogement.id,
    );
    const refused = await h.call("reservataire57", "POST", `/v1/logements/${notHis.rplsId}/restitution`, {
      renduLe: "2026-11-21",
    });
    expect(refused.status).toBe(404);
  });

  it("lets the landlord override an orientation with a written reason, and record a lease", async () => {
    const [current] = await orientationOf(freed[0] as string);
    const target = current?.cible.reservataireId === metz.id ? prefet.id : metz.id;
    const short = await h.call("bailleur57", "POST", `/v1/logements/${freed[0]}/orientation/derogation`, {
      reservataireId: target,
      motif: "court",
    });
    expect(short.status).toBe(400);
    expect(short.body.error.field).toBe("motif");
    const override = await h.call("bailleur57", "POST", `/v1/logements/${freed[0]}/orientation/derogation`, {
      reservataireId: target,
      motif: "Relogement d'un ménage prioritaire désigné en commission",
    });
    expect(override.status, JSON.stringify(override.body)).toBe(200);
    expect(override.body).toMatchObject({
      cible: { reservataireId: target },
      motif: expect.stringMatching(/^Dérogation/),
    });
    const lease = await h.call("bailleur57", "POST", `/v1/logements/${freed[0]}/bail`, { bailSigneLe: "2026-11-21" });
    expect(lease.status, JSON.stringify(lease.body)).toBe(200);
    await eventually(async () => {
      const [v] = await orientationOf(freed[0] as string);
      expect(v?.attribue).toBe(true);
    });
    // On the topic once the relay has published (and committed) them.
    await eventually(async () => {
      const events = await h.eventsOn(h.topics.fluxOrientation);
      expect(events.map((e) => e.type)).toEqual(
        expect.arrayContaining(["UnitReturned", "OrientationOverridden", "AttributionRecorded"]),
      );
    });
  });

  it("gives the balance per reserver (JSON and a CSV for French spreadsheets), each reader its own part", async () => {
    const res = await h.call("bailleur57", "GET", "/v1/bilans?departement=57&annee=2026");
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toMatchObject({ annee: 2026, fluxBrut: 4, fluxNet: 4, cloture: false });
    const lignes = res.body.lignes as { reservataireId: string; orientes: number; attribues: number; du: number }[];
    expect(lignes.reduce((n, l) => n + l.orientes, 0)).toBe(4);
    expect(lignes.reduce((n, l) => n + l.attribues, 0)).toBe(1);
    expect(lignes.reduce((n, l) => n + l.du, 0)).toBeCloseTo(4, 5);
    const reserver = await h.call(
      "reservataire57",
      "GET",
      "/v1/bilans?departement=57&annee=2026&bailleurId=org_demo_bailleur_57",
    );
    expect(reserver.body.lignes.map((l: { reservataireId: string }) => l.reservataireId)).toEqual([actionLogement.id]);
    const csvRes = await h.raw("bailleur57", "/v1/bilans/csv?departement=57&annee=2026");
    expect(csvRes.status).toBe(200);
    expect(csvRes.headers["content-type"]).toMatch(/text\/csv/);
    expect([...csvRes.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = csvRes.bytes.toString("utf8");
    expect(text).toContain("Édité le;22/11/2026;Exercice clôturé;non;Flux brut;4;Flux net;4");
    expect(text).toMatch(/Réservataire;Type;Code SNE;Convention/);
    expect(text).toMatch(/org_demo_ddets_57;prefet_prioritaires;PPRIOR;cnv_[0-9a-f]+;0;\d+(,\d+)?;/);

    const page = await h.raw("bailleur57", "/v1/bilans/html?departement=57&annee=2026");
    expect(page.status).toBe(200);
    expect(page.headers["content-type"]).toMatch(/text\/html; charset=utf-8/);
    const html = page.bytes.toString("utf8");
    expect(html).toContain("<h1>Bilan annuel du flux 2026</h1>");
    expect(html).toContain("<dt>Édité le</dt><dd>22/11/2026</dd>");
    expect(html).toContain('<th scope="row">Préfet de la Moselle (publics prioritaires)</th>');
    for (const part of [
      "par typologie",
      "par financement initial",
      "en quartier prioritaire",
      "par période",
      "par commune",
    ])
      expect(html).toContain(`Logements proposés et attribués, ${part}`);
    const theirs = await h.raw(
      "reservataire57",
      "/v1/bilans/html?departement=57&annee=2026&bailleurId=org_demo_bailleur_57",
    );
    expect(theirs.status).toBe(200);
    expect(theirs.bytes.toString("utf8")).not.toContain("Préfet de la Moselle");
  });

  it("closes the year once it is over (BalanceClosed), and opens the next with the carry-over", async () => {
    const early = await h.call("bailleur57", "POST", "/v1/bilans/cloture", { departement: "57", annee: 2026 });
    expect(early.status).toBe(422);
    expect(early.body.error.reason).toBe("YEAR_NOT_OVER");
    h.clock.set("2027-02-10T09:00:00.000Z");
    const forecast = { mutation_interne: 2, renouvellement_urbain: 1, copropriete_degradee: 0, demolition: 0 };
    const closed = await h.call("bailleur57", "POST", "/v1/bilans/cloture", {
      departement: "57",
      annee: 2026,
      previsionSoustraits: forecast,
    });
    expect(closed.status, JSON.stringify(closed.body)).toBe(200);
    expect(closed.body).toMatchObject({ annee: 2026, fluxBrut: 4, previsionSoustraits: forecast });
    const again = await h.call("bailleur57", "POST", "/v1/bilans/cloture", { departement: "57", annee: 2026 });
    expect(again.status).toBe(409);
    const next = await h.call("bailleur57", "POST", "/v1/previsions-soustraits", {
      departement: "57",
      annee: 2027,
      prevision: forecast,
    });
    expect(next.status, JSON.stringify(next.body)).toBe(200);
    expect(next.body.events).toEqual(["FluxYearOpened", "SubtractionForecastDeclared"]);
    const events = await eventually(async () => {
      const all = await h.eventsOn(h.topics.fluxOrientation);
      expect(all.some((e) => e.type === "SubtractionForecastDeclared")).toBe(true);
      return all;
    });
    expect(events.filter((e) => e.type === "BalanceClosed")).toHaveLength(1);
    const opened2027 = events.find(
      (e) => e.type === "FluxYearOpened" && (e.payload as { annee: number }).annee === 2027,
    );
    const reports = (opened2027?.payload as { reports: { report: number }[] } | undefined)?.reports ?? [];
    const closedLines = (closed.body.lignes as { report: number }[]).filter((l) => l.report !== 0);
    expect(closedLines.length).toBeGreaterThan(0);
    expect(reports.map((r) => r.report).sort()).toEqual(closedLines.map((l) => l.report).sort());
  });

  it("documents every REST operation in OpenAPI, with its French summary", async () => {
    const res = await h.call(null, "GET", "/openapi.json");
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.paths)).toEqual(
      expect.arrayContaining([
        "/v1/logements",
        "/v1/imports-patrimoine",
        "/v1/conventions",
        "/v1/bilans",
        "/v1/bilans/csv",
        "/v1/bilans/html",
      ]),
    );
    expect(JSON.stringify(res.body)).toContain("Déclarer un logement du patrimoine");
  });

  it("answers the console over tRPC from the same operations", async () => {
    const token = await h.call("bailleur57", "GET", "/v1/conventions"); // warms the token cache
    expect(token.status).toBe(200);
    const res = await h.call(
      "bailleur57",
      "GET",
      `/trpc/conventions?input=${encodeURIComponent(JSON.stringify({ departement: "57" }))}`,
    );
    expect(res.status).toBe(200);
    expect(res.body.result.data).toHaveLength(3);
  });
});

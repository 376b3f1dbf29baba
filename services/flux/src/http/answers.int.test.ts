import type { LogementDeclare } from "@logis/contracts";
import type { AnyOperation } from "@logis/http";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FluxHarness, fluxHarness } from "../testing/harness.js";
import { type Operations, operations } from "./operations.js";

// Every answer documented in /openapi.json comes from the operation's `output` schema: real answers
// of the service on the real engines must satisfy it. `exactly`: nothing in the answer that the
// schema leaves out, nothing the schema requires or defaults that the answer lacks.

let h: FluxHarness;
let ops: Operations;
const checked = new Set<string>();
beforeAll(async () => {
  h = await fluxHarness("2026-11-22T09:00:00.000Z");
  ops = operations(h.uc, { importMaxBytes: 1 });
});
afterAll(() => h?.close());

function conforms(op: AnyOperation, res: { status: number; body: unknown }, exactly = true) {
  expect(res.status, `${op.name}: ${JSON.stringify(res.body)}`).toBeLessThan(300);
  const parsed = op.output?.safeParse(res.body);
  expect(parsed?.success, `${op.name}: ${parsed?.error?.message}`).toBe(true);
  if (exactly) expect(JSON.parse(JSON.stringify(parsed?.data)), op.name).toEqual(res.body);
  checked.add(op.name);
}

const prefet = {
  id: "org_demo_ddets_57",
  nom: "Préfet de la Moselle (publics prioritaires)",
  type: "prefet_prioritaires",
};
const actionLogement = { id: "org_demo_action_logement", nom: "Action Logement Services", type: "action_logement" };
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
const csv = [
  "rplsId;idBailleur;commune;adresse;codePostal;qpv;nbPieces;surface;etage;ascenseur;accessibilite;anneeConstruction;financement;loyer",
  "5700000021;MOS-0021;57463;8 rue des Roberts;57000;oui;2;48,5;3;oui;accessible;1972;PLAI;365,10",
  "5700000022;MOS-0022;57463;10 rue des Roberts;57000;non;trois;82;0;non;adapte;1995;PLUS;510",
].join("\r\n");

describe("flux's answers satisfy their documented schemas", () => {
  it("conventions: signed, amended, read and listed", async () => {
    for (const [reservataire, over] of [
      [prefet, {}],
      [actionLogement, { fondement: "financement", logementRendu: "ne_compte_pas" }],
    ] as const) {
      const signed = await h.call("bailleur57", "POST", "/v1/conventions", {
        reservataire,
        departement: "57",
        conditions: conditions(over),
        signeLe: "2025-12-15",
      });
      conforms(ops.signConvention, signed);
    }
    const list = await h.call("reservataire57", "GET", "/v1/conventions");
    conforms(ops.conventions, list);
    const id = list.body[0].conventionId;
    conforms(ops.convention, await h.call("bailleur57", "GET", `/v1/conventions/${id}`));
    const amended = await h.call("bailleur57", "POST", `/v1/conventions/${id}/avenants`, {
      conditions: conditions({ pourcentage: 20, fondement: "financement", validFrom: "2027-01-01" }),
      signeLe: "2026-11-20",
      motif: "Révision de la part pour 2027",
    });
    conforms(ops.amendConvention, amended);
    expect(amended.body.versions).toHaveLength(2);
  });

  it("the housing stock: declared, updated, read, listed and imported (202 with Location)", async () => {
    for (const rplsId of ["5700000001", "5700000002", "5700000003"])
      conforms(ops.declareUnit, await h.call("bailleur57", "POST", "/v1/logements", unit(rplsId)));
    const updated = await h.call("bailleur57", "PATCH", "/v1/logements/5700000002", { loyer: 431.2, qpv: true });
    conforms(ops.updateUnit, updated);
    expect(updated.body.events).toEqual(["UnitUpdated"]);
    const read = await h.call("prefecture57", "GET", "/v1/logements/5700000001");
    conforms(ops.unit, read);
    expect(read.body.vacance).toBeNull();
    const page = await h.call("bailleur57", "GET", "/v1/logements?departement=57&limite=2");
    conforms(ops.units, page);
    expect(page.body.suivant).toBe("5700000002");

    const started = await h.upload("bailleur57", "/v1/imports-patrimoine", csv);
    conforms(ops.importUnits, started);
    expect(started.status).toBe(202);
    expect(started.headers.location).toBe(`/v1/imports-patrimoine/${started.body.id}`);
    const done = await eventually(async () => {
      const job = await h.call("bailleur57", "GET", started.headers.location ?? "");
      expect(job.body.status).toBe("done");
      return job;
    });
    conforms(ops.unitImport, done);
    expect(done.body.errors).toEqual([expect.objectContaining({ ligne: 3, champ: "nbPieces", valeur: "trois" })]);
  });

  it("freeing, orientation, override, return and lease", async () => {
    for (const [i, rplsId] of ["5700000001", "5700000002", "5700000003"].entries()) {
      const freed = await h.call("bailleur57", "POST", `/v1/logements/${rplsId}/liberation`, {
        libereLe: `2026-11-1${i}`,
        motif: "depart",
      });
      conforms(ops.freeUnit, freed);
      expect(freed.status).toBe(202);
      expect(freed.headers.location).toBe(`/v1/logements/${rplsId}/orientation`);
    }
    // A unit subtracted from the flux: its orientation has no reserver.
    const subtracted = await h.call("bailleur57", "POST", "/v1/logements/5700000021/liberation", {
      libereLe: "2026-11-14",
      motif: "depart",
      soustraction: "mutation_interne",
    });
    conforms(ops.freeUnit, subtracted);
    const orientation = await eventually(async () => {
      const res = await h.call("bailleur57", "GET", "/v1/logements/5700000021/orientation");
      expect(res.status).toBe(200);
      return res;
    });
    conforms(ops.orientation, orientation);
    expect(orientation.body[0]).toMatchObject({ soustraction: "mutation_interne" });
    expect(orientation.body[0]).not.toHaveProperty("cible");

    const all = await eventually(async () => {
      const res = await h.call("prefecture57", "GET", "/v1/orientations?departement=57&annee=2026");
      expect(res.body).toHaveLength(4);
      return res;
    });
    conforms(ops.orientations, all);
    const oriented = (all.body as { rplsId: string; cible?: { reservataireId: string } }[]).filter((v) => v.cible);
    const [first, second] = oriented;
    const target = first?.cible?.reservataireId === prefet.id ? actionLogement.id : prefet.id;
    conforms(
      ops.overrideOrientation,
      await h.call("bailleur57", "POST", `/v1/logements/${first?.rplsId}/orientation/derogation`, {
        reservataireId: target,
        motif: "Relogement d'un ménage prioritaire désigné en commission",
      }),
    );
    const returned = await h.call("bailleur57", "POST", `/v1/logements/${second?.rplsId}/restitution`, {
      renduLe: "2026-11-21",
    });
    conforms(ops.returnUnit, returned);
    expect(returned.body.rendu).toBe(true);
    conforms(
      ops.letUnit,
      await h.call("bailleur57", "POST", `/v1/logements/${first?.rplsId}/bail`, { bailSigneLe: "2026-11-21" }),
    );
    await eventually(async () => {
      const res = await h.call("bailleur57", "GET", `/v1/logements/${first?.rplsId}/orientation`);
      expect(res.body[0].attribue).toBe(true);
    });
  });

  it("the yearly balance: the forecast, each reader's part, the closing", async () => {
    const forecast = { mutation_interne: 2, renouvellement_urbain: 1, copropriete_degradee: 0, demolition: 0 };
    const declared = await h.call("bailleur57", "POST", "/v1/previsions-soustraits", {
      departement: "57",
      annee: 2027,
      prevision: forecast,
    });
    conforms(ops.declareForecast, declared);
    // The year's own forecast, declared late in the year: the balance sets it beside what was realised.
    const forecast2026 = { mutation_interne: 3, renouvellement_urbain: 0, copropriete_degradee: 0, demolition: 1 };
    const declared2026 = await h.call("bailleur57", "POST", "/v1/previsions-soustraits", {
      departement: "57",
      annee: 2026,
      prevision: forecast2026,
    });
    expect(declared2026.body.events).toEqual(["SubtractionForecastDeclared"]);
    const balance = await h.call("bailleur57", "GET", "/v1/bilans?departement=57&annee=2026");
    conforms(ops.balance, balance);
    expect(balance.body).toMatchObject({
      fluxBrut: 4,
      fluxNet: 3,
      soustraits: { mutation_interne: 1, demolition: 0 },
      previsionSoustraits: forecast2026,
      previsionAnneeSuivante: forecast,
    });
    conforms(
      ops.balance,
      await h.call("reservataire57", "GET", "/v1/bilans?departement=57&annee=2026&bailleurId=org_demo_bailleur_57"),
    );
    h.clock.set("2027-02-10T09:00:00.000Z");
    const closed = await h.call("bailleur57", "POST", "/v1/bilans/cloture", { departement: "57", annee: 2026 });
    conforms(ops.closeYear, closed);
    // Closed without a forecast in the request: the one declared for 2027 goes with the balance.
    expect(closed.body).toMatchObject({ annee: 2026, previsionSoustraits: forecast });
    const after = await h.call("bailleur57", "GET", "/v1/bilans?departement=57&annee=2026");
    conforms(ops.balance, after);
    expect(after.body.cloture).toBe(true);
  });

  it("every JSON operation was checked; the files are documented by their media types", async () => {
    const json = Object.values(ops).filter((op) => !op.raw);
    expect(json.every((op) => op.output !== undefined)).toBe(true);
    expect([...checked].sort()).toEqual(json.map((op) => op.name).sort());
    expect(json).toHaveLength(19);

    const doc = (await h.call(null, "GET", "/openapi.json")).body;
    const ok = (path: string, method = "get") => Object.keys(doc.paths[path][method].responses["200"]?.content ?? {});
    expect(ok("/v1/bilans/csv")).toEqual(["text/csv"]);
    expect(ok("/v1/bilans/html")).toEqual(["text/html"]);
    expect(ok("/v1/bilans")).toEqual(["application/json"]);
    const upload = doc.paths["/v1/imports-patrimoine"].post;
    expect(Object.keys(upload.requestBody.content)).toEqual(["text/csv"]);
    expect(upload.responses["202"].headers).toHaveProperty("Location");
  });
});

import { readFileSync, rmSync } from "node:fs";
import { demoUsers } from "@logis/auth";
import type { AnyOperation } from "@logis/http";
import { demandFormInput, eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";
import { syntheticCsvFile } from "../testing/import-files.js";
import { lifecycleWorker } from "../workers/lifecycle.js";
import { type Operations, operations } from "./operations.js";

// Every answer documented in /openapi.json comes from the operation's `output` schema: real answers
// of the service on the real engines must satisfy it. `exactly`: nothing in the answer that the
// schema leaves out, nothing the schema requires or defaults that the answer lacks.

let h: RegistrationHarness;
let ops: Operations;
beforeAll(async () => {
  h = await registrationHarness("2026-10-01T09:00:00.000Z");
  ops = operations(h.uc);
});
afterAll(async () => {
  await h.close();
});

function conforms(op: AnyOperation, res: { status: number; body: unknown }, exactly = true) {
  expect(res.status, JSON.stringify(res.body)).toBeLessThan(300);
  const parsed = op.output?.safeParse(res.body);
  expect(parsed?.success, `${op.name}: ${parsed?.error?.message}`).toBe(true);
  if (exactly) expect(JSON.parse(JSON.stringify(parsed?.data)), op.name).toEqual(res.body);
}

describe("registration's answers satisfy their documented schemas", () => {
  let numero = "";

  it("register, read, search, history, attestation and duplicates", async () => {
    const form = demandFormInput();
    const registered = await h.call("guichet", "POST", "/v1/demandes", { demande: form });
    conforms(ops.register, registered);
    numero = registered.body.demand.numeroUnique;

    conforms(ops.get, await h.call("guichet", "GET", `/v1/demandes/${numero}`));
    // The sensitive details: read by the role that may, absent (with sensibleMasque) for the others.
    const sensible = await h.call("sensible", "GET", `/v1/demandes/${numero}`);
    conforms(ops.get, sensible);
    expect(sensible.body.form.sensible).toBeDefined();
    conforms(ops.search, await h.call("guichet", "GET", "/v1/demandes?nom=dup"));
    conforms(ops.attestation, await h.call("guichet", "GET", `/v1/demandes/${numero}/attestation`));
    conforms(ops.duplicates, await h.call("guichet", "POST", "/v1/doublons/recherche", form));
    const history = await h.call("guichet", "GET", `/v1/demandes/${numero}/historique`);
    conforms(ops.history, history);
    expect(history.body.lectures.length).toBeGreaterThan(0);
  });

  it("the procedures answer the file", async () => {
    conforms(
      ops.recordProof,
      await h.call("guichet", "POST", `/v1/demandes/${numero}/justificatifs`, {
        justificatif: "JUGEMENT_EXPULSION",
        criteres: ["EXPULSION_JUGEMENT"],
      }),
    );
    conforms(
      ops.recordRefusal,
      await h.call("guichet", "POST", `/v1/demandes/${numero}/refus`, {
        refuseLe: "2026-09-30",
        logementAdapte: true,
        rplsId: "0000012345",
        commentaire: "T3 refusé",
      }),
    );
    conforms(
      ops.issueAttestation,
      await h.call("guichet", "POST", `/v1/demandes/${numero}/attestation/emissions`, { canal: "courrier" }),
    );
    const letter = await h.call("guichet", "POST", `/v1/demandes/${numero}/courriers`, {
      envoyeLe: "2026-10-01T09:00:00.000Z",
      objet: "justificatif de ressources",
    });
    conforms(ops.requestInformation, letter);
    expect(letter.body.procedure.kind).toBe("no-answer");
    conforms(
      ops.recordAnswer,
      await h.call("guichet", "POST", `/v1/demandes/${numero}/courriers/reponse`, { commentaire: "reçu" }),
    );
    const cal = { ...demoUsers.guichet, roles: ["desk-agent", "cal-secretary"] };
    const inadmissible = await h.call(cal as never, "POST", `/v1/demandes/${numero}/irrecevabilite`, {
      sousMotif: "IRRRES",
      notifieLe: "2026-09-30T10:00:00.000Z",
      decision: "CAL du 28/09/2026",
    });
    conforms(ops.notifyInadmissibility, inadmissible);
    expect(inadmissible.body.procedure.kind).toBe("inadmissibility");
    conforms(
      ops.withdrawInadmissibility,
      await h.call(cal as never, "POST", `/v1/demandes/${numero}/irrecevabilite/retrait`, { commentaire: "recours" }),
    );
    const current = await h.call("guichet", "GET", `/v1/demandes/${numero}`);
    conforms(
      ops.update,
      await h.call("guichet", "PUT", `/v1/demandes/${numero}`, {
        expectedVersion: current.body.version,
        demande: { ...current.body.form, contact: { ...current.body.form.contact, telephone: "04 72 00 00 00" } },
        motif: "déclaration du demandeur",
      }),
    );
    const radiated = await h.call("guichet", "POST", `/v1/demandes/${numero}/radiation`, {
      motif: "RADABA",
      commentaire: "renonciation écrite",
    });
    conforms(ops.radiate, radiated);
    expect(radiated.body.radiation.motif).toBe("RADABA");
  });

  it("renewal and reactivation of a demand cancelled for non-renewal", async () => {
    h.clock.set("2026-01-05T09:00:00.000Z");
    const form = demandFormInput({
      demandeur: { ...demandFormInput().demandeur, nom: "Renouvelle", prenom: "Rita", nir: undefined },
      cotitulaire: undefined,
    });
    const d = (await h.call("guichet", "POST", "/v1/demandes", { demande: form })).body.demand;
    h.clock.set("2026-12-01T09:00:00.000Z");
    conforms(ops.renew, await h.call("guichet", "POST", `/v1/demandes/${d.numeroUnique}/renouvellement`));
    // Cancelled by the scheduler a month after the end of its validity, then reactivated in the legal window.
    const worker = lifecycleWorker(h.deps, h.logger);
    h.clock.set("2027-12-20T09:00:00.000Z");
    await worker.runOnce();
    h.clock.set("2028-02-10T09:00:00.000Z");
    expect(await worker.runOnce()).toMatchObject({ cancelled: 1 });
    conforms(ops.reactivate, await h.call("guichet", "POST", `/v1/demandes/${d.numeroUnique}/reactivation`));
  });

  it("the long jobs: a duplicate scan and an import, started (202 with Location) and followed", async () => {
    const scan = await fetch(`${h.base}/v1/doublons/analyses`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: await h.authHeader("guichet") },
      body: JSON.stringify({ departement: "69" }),
    });
    const started = { status: scan.status, body: (await scan.json()) as { id: string } };
    conforms(ops.startDuplicateScan, started);
    expect(scan.status).toBe(202);
    expect(scan.headers.get("location")).toBe(`/v1/doublons/analyses/${started.body.id}`);
    const done = await eventually(async () => {
      const r = await h.call("guichet", "GET", scan.headers.get("location") ?? "");
      expect(r.body.status).toBe("done");
      return r;
    });
    // Jobs gain progress fields as they are worked on: only what is documented is checked here.
    conforms(ops.duplicateScan, done, false);

    const file = syntheticCsvFile(3, 11);
    const upload = await fetch(`${h.base}/v1/imports?format=csv&departement=69`, {
      method: "POST",
      headers: { "content-type": "text/csv", authorization: await h.authHeader("guichet") },
      body: readFileSync(file),
    });
    rmSync(file, { force: true });
    const imp = { status: upload.status, body: (await upload.json()) as { id: string } };
    conforms(ops.startImport, imp);
    expect(upload.headers.get("location")).toBe(`/v1/imports/${imp.body.id}`);
    const imported = await eventually(async () => {
      const r = await h.call("guichet", "GET", `/v1/imports/${imp.body.id}`);
      expect(r.body.status).toBe("done");
      return r;
    });
    conforms(ops.getImport, imported, false);
    // Created or refused record by record (the error report is part of the documented answer).
    expect(imported.body.progress.read).toBe(3);
    expect(imported.body.progress.created + imported.body.progress.failed).toBe(3);

    const exp = await fetch(`${h.base}/v1/exports`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: await h.authHeader("guichet") },
      body: JSON.stringify({ format: "csv", departement: "69" }),
    });
    const exportStarted = { status: exp.status, body: (await exp.json()) as { id: string } };
    conforms(ops.startExport, exportStarted);
    expect(exp.status).toBe(202);
    expect(exp.headers.get("location")).toBe(`/v1/exports/${exportStarted.body.id}`);
    const exported = await eventually(async () => {
      const r = await h.call("guichet", "GET", exp.headers.get("location") ?? "");
      expect(r.body.status).toBe("done");
      return r;
    });
    conforms(ops.getExport, exported);
    expect(exported.body.fichier.adresse).toBe(`/v1/exports/${exportStarted.body.id}/fichier`);
  });
});

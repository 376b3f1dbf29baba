import { demandFormInput, eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";

let source: RegistrationHarness;
let target: RegistrationHarness;
beforeAll(async () => {
  [source, target] = await Promise.all([registrationHarness(), registrationHarness()]);
});
afterAll(async () => {
  await Promise.all([source.close(), target.close()]);
});

async function upload(h: RegistrationHarness, format: "sne-xml" | "csv", body: string) {
  const res = await fetch(`${h.base}/v1/imports?format=${format}&departement=69`, {
    method: "POST",
    headers: {
      "content-type": format === "csv" ? "text/csv" : "application/xml",
      authorization: await h.authHeader("guichet"),
    },
    body,
  });
  expect(res.status).toBe(202);
  const { id } = (await res.json()) as { id: string };
  return eventually(async () => {
    const r = await h.call("guichet", "GET", `/v1/imports/${id}`);
    expect(r.body.status).not.toBe("running");
    // Progress as desks read it: the share of the file read, the records counted.
    // The shared progress shape (@logis/http Avancement) over the file's bytes, with the records counted.
    if (r.body.status === "done") {
      expect(r.body.avancement).toMatchObject({
        enregistrementsLus: r.body.progress.read,
        faites: r.body.bytes.total,
        total: r.body.bytes.total,
        unite: "octets",
        pourcentage: 100,
      });
      expect(r.body.avancement.libelle).toMatch(/^100 % : /);
      expect(r.body.avancement).not.toHaveProperty("finEstimee");
    }
    return r.body;
  });
}

const exported = async (h: RegistrationHarness, format: "sne-xml" | "csv") => {
  const res = await fetch(`${h.base}/v1/exports?format=${format}&departement=69`, {
    headers: { authorization: await h.authHeader("guichet") },
  });
  expect(res.status).toBe(200);
  // As bytes: fetch's text() would drop the byte-order mark the file starts with.
  return { type: res.headers.get("content-type"), text: Buffer.from(await res.arrayBuffer()).toString("utf8") };
};

describe("import and export (SNE XML v02.01 and CSV), on the real database", () => {
  const numeros: string[] = [];

  it("exports the stock as SNE XML and CSV, without NIR or sensitive details", async () => {
    const forms = [
      demandFormInput({
        motifs: [{ code: "23", precision: "local commercial transformé" }, { code: "13" }],
        naissanceAttendue: { nombre: 1, dateNaissancePrevue: "2026-09-01" },
      }),
      demandFormInput({
        cotitulaire: undefined,
        demandeur: {
          ...demandFormInput().demandeur,
          nom: "Garnier",
          prenom: "Luc",
          dateNaissance: "1960-02-29",
          nir: undefined,
        },
      }),
      demandFormInput({
        cotitulaire: undefined,
        personnesACharge: [],
        enfantsEnGarde: [{ dateNaissance: "2016-05-05", coParentalite: "G" }],
        demandeur: {
          ...demandFormInput().demandeur,
          nom: "Nguyen",
          prenom: "Linh",
          dateNaissance: "1992-12-12",
          nir: undefined,
        },
      }),
    ];
    for (const demande of forms) {
      const r = await source.call("guichet", "POST", "/v1/demandes", {
        demande: { ...demande, sensible: { sante: { description: "asthme sévère" } } },
      });
      expect(r.status).toBe(201);
      numeros.push(r.body.demand.numeroUnique);
    }
    const xml = await exported(source, "sne-xml");
    expect(xml.type).toContain("application/xml");
    expect(xml.text).toContain('versionInterface="02.01"');
    expect(xml.text.match(/<ns1:demandeLogement>/g)).toHaveLength(3);
    const csv = await exported(source, "csv");
    expect(csv.text.split("\r\n").filter(Boolean)).toHaveLength(4);
    // For French spreadsheets: BOM, `;`, dates dd/mm/yyyy, labels beside the codes.
    expect(csv.text.startsWith("\uFEFFnumUnique;")).toBe(true);
    expect(csv.text).toContain(";29/02/1960;");
    expect(csv.text).toContain("civiliteLibelle");
    expect(csv.text).toMatch(/;Madame;|;Monsieur;/);
    for (const text of [xml.text, csv.text]) {
      expect(text).not.toContain("288047512345654");
      expect(text).not.toContain("asthme");
    }
    const audit = await source.call("guichet", "GET", `/v1/demandes/${numeros[0]}/historique`);
    expect(audit.body.lectures.filter((l: { what: string }) => l.what === "file").length).toBeGreaterThanOrEqual(2);
  });

  it("imports the XML into another database: same numbers, deposit dates and forms; DemandRegistered for each", async () => {
    const xml = (await exported(source, "sne-xml")).text;
    const report = await upload(target, "sne-xml", xml);
    expect(report).toMatchObject({
      status: "done",
      progress: { read: 3, created: 3, alreadyPresent: 0, failed: 0 },
      errors: [],
    });
    for (const numero of numeros) {
      const [a, b] = await Promise.all([
        source.call("sensible", "GET", `/v1/demandes/${numero}`),
        target.call("sensible", "GET", `/v1/demandes/${numero}`),
      ]);
      expect(b.status).toBe(200);
      expect(b.body.dateDepot.slice(0, 10)).toBe(a.body.dateDepot.slice(0, 10));
      const { nir: _n, ...demandeur } = a.body.form.demandeur;
      const { nir: _c, ...cotitulaire } = a.body.form.cotitulaire ?? {};
      expect(b.body.form).toEqual({
        ...a.body.form,
        demandeur,
        ...(a.body.form.cotitulaire ? { cotitulaire } : {}),
        situations: b.body.form.situations, // not carried by the interface
        sensible: {}, // never exported
      });
    }
    // The events wait in the import batch (no per-demand outbox, no marker), then leave once each.
    const docs = await target.db.collection("demands").find({}).toArray();
    expect(docs.map((d) => d.outbox)).toEqual([[], [], []]);
    expect(await target.db.collection("demands_outbox").countDocuments()).toBe(0);
    const { relay, stop } = await target.startRelay();
    await relay.flush();
    await stop();
    for (const d of docs) {
      const events = await target.demandEventsOf(String(d._id));
      expect(events.map((e) => [e.type, e.aggregateVersion, e.payload])).toEqual([
        ["DemandRegistered", 1, expect.objectContaining({ numeroUnique: d.numeroUnique })],
      ]);
    }
  });

  it("re-importing the same file creates nothing twice", async () => {
    const report = await upload(target, "sne-xml", (await exported(source, "sne-xml")).text);
    expect(report.progress).toEqual({ read: 3, created: 0, alreadyPresent: 3, failed: 0 });
    expect(await target.db.collection("demands").countDocuments()).toBe(3);
  });

  it("a bad record goes to the report with its field, and the rest of the batch is imported", async () => {
    const csv = (await exported(source, "csv")).text.split("\n").filter(Boolean);
    const header = csv[0] as string;
    const cols = header.replace(/^\uFEFF/, "").split(";");
    const row = (line: string, patch: Record<string, string>) => {
      const cells = line.split(";");
      for (const [k, v] of Object.entries(patch)) cells[cols.indexOf(k)] = v;
      return cells.join(";");
    };
    const file = [
      header,
      row(csv[1] as string, { numUnique: "069032600000900AAA", dateNaissance: "31/13/1980" }),
      row(csv[2] as string, { numUnique: "069032600000901AAA", communesSouhaitees: "69383|75056" }),
      row(csv[3] as string, { numUnique: "0690318016982G1104", nom: "Nouveau" }),
      row(csv[3] as string, { numUnique: "", nom: "SansNumero" }),
    ].join("\n");
    const report = await upload(target, "csv", file);
    expect(report.status).toBe("done");
    expect(report.progress).toEqual({ read: 4, created: 1, alreadyPresent: 0, failed: 3 });
    expect(report.errors).toEqual([
      expect.objectContaining({ record: 1, numUnique: "069032600000900AAA", field: "demandeur.dateNaissance" }),
      expect.objectContaining({ record: 2, field: "souhaits.communes.1" }),
      expect.objectContaining({ record: 4, field: "numUnique" }),
    ]);
    const imported = await target.call("guichet", "GET", "/v1/demandes/0690318016982G1104");
    expect(imported.status).toBe(200);
    expect(imported.body.form.demandeur.nom).toBe("Nouveau");
  });

  it("a file that is not XML fails the job with a message; bad parameters are refused naming the field", async () => {
    const report = await upload(
      target,
      "sne-xml",
      "<ns1:interfaceNuu><ns1:demande><ns1:demandeLogement><oops></ns1:demande>",
    );
    expect(report.status).toBe("failed");
    expect(report.error).toBeTruthy();
    const bad = await fetch(`${target.base}/v1/imports?format=pdf&departement=69`, {
      method: "POST",
      headers: { authorization: await target.authHeader("guichet") },
      body: "x",
    });
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { field: string } }).error.field).toBe("query.format");
    const elsewhere = await fetch(`${target.base}/v1/imports?format=csv&departement=75`, {
      method: "POST",
      headers: { authorization: await target.authHeader("guichet") },
      body: "x",
    });
    expect(elsewhere.status).toBe(403);
  });
});

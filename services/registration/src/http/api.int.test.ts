import { entryEnvelope, type OutboxEntry } from "@logis/outbox";
import { demandFormInput, eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isValidNumeroUnique } from "../domain/numero-unique.js";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness();
});
afterAll(async () => {
  await h.close();
});

const demands = () => h.db.collection("demands");
const otherHousehold = (nom: string, prenom: string, dateNaissance: string) =>
  demandFormInput({
    demandeur: { ...demandFormInput().demandeur, nom, prenom, dateNaissance, nir: undefined },
    cotitulaire: undefined,
  });

describe("registration REST API", () => {
  let numero: string;

  it("registers a demand: 201, an 18-character numéro unique, DemandRegistered waiting in the outbox", async () => {
    const res = await h.call("guichet", "POST", "/v1/demandes", { demande: demandFormInput() });
    expect(res.status).toBe(201);
    expect(res.body.outcome).toBe("registered");
    numero = res.body.demand.numeroUnique;
    expect(isValidNumeroUnique(numero)).toBe(true);
    expect(numero.slice(0, 7)).toBe("0690326");
    expect(res.body.demand.validUntil).toBe("2027-03-15T10:00:00.000Z");
    expect(res.body.demand.guichet).toEqual({
      numGuichet: "069000123",
      organisationId: "org_demo_bailleur_69",
      nom: "Guichet Lyon Métropole Habitat",
    });
    const doc = await demands().findOne({ numeroUnique: numero });
    expect(doc?.outbox.map((e: OutboxEntry) => [entryEnvelope(e).type, entryEnvelope(e).aggregateVersion])).toEqual([
      ["DemandRegistered", 1],
    ]);
    expect(JSON.stringify(doc?.outbox)).not.toContain("288047512345654");
  });

  it("delivers the attestation as JSON and as a printable French page", async () => {
    const json = await h.call("guichet", "GET", `/v1/demandes/${numero}/attestation`);
    expect(json.status).toBe(200);
    expect(json.body).toMatchObject({
      numeroUnique: numero,
      dateDepot: "2026-03-15T10:00:00.000Z",
      validiteJusquAu: "2027-03-15T10:00:00.000Z",
      demandeur: { civilite: "Madame", nom: "Dupont", prenom: "Aïcha" },
      organismeEnregistreur: { nom: "Guichet Lyon Métropole Habitat" },
    });
    expect(json.body.regles.radiation).toHaveLength(5);
    const html = await fetch(`${h.base}/v1/demandes/${numero}/attestation`, {
      headers: { accept: "text/html", authorization: await h.authHeader("guichet") },
    });
    const page = await html.text();
    expect(html.headers.get("content-type")).toContain("text/html");
    expect(page).toContain(numero);
    expect(page).toContain("Valable jusqu'au");
    expect(page).toContain("15/03/2027");
    // Places by their names (the official division, COG), not their codes.
    expect(json.body.lieux.departement).toBe("Rhône");
    for (const code of json.body.communesSouhaitees as string[])
      expect(json.body.lieux.communes[code]).toMatch(/^Lyon|^Villeurbanne|^[A-ZÉ]/);
    expect(page).toContain("Rhône (69)");
    expect(page).not.toContain("(commune 69");
    // The desk's contact details (config/guichets.json), in the answer and on the page.
    expect(json.body.coordonneesGuichet).toEqual({
      nom: "Guichet Lyon Métropole Habitat",
      adresse: { lignes: ["Accueil demande de logement", "194 rue Duguesclin"], codePostal: "69003", commune: "Lyon" },
      telephone: "04 65 71 01 23",
      courriel: "demande-logement@lmh-demo.example",
      horaires: "du lundi au vendredi, de 9 h à 12 h et de 13 h 30 à 17 h",
    });
    expect(page).toContain("Votre guichet enregistreur");
    expect(page).toContain("194 rue Duguesclin<br>69003 Lyon");
    expect(page).toContain("Téléphone : 04 65 71 01 23");
    expect(page).toContain('<a href="mailto:demande-logement@lmh-demo.example">');

    // A PDF too, that a link can open (the desk's browser cannot set Accept on a link).
    const pdf = await fetch(`${h.base}/v1/demandes/${numero}/attestation?format=pdf`, {
      headers: { authorization: await h.authHeader("guichet") },
    });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get("content-type")).toBe("application/pdf");
    expect(pdf.headers.get("content-disposition")).toBe(`inline; filename="attestation-${numero}.pdf"`);
    const bytes = Buffer.from(await pdf.arrayBuffer()).toString("latin1");
    expect(bytes.startsWith("%PDF-1.4")).toBe(true);
    expect(bytes).toContain(`(${numero}) Tj`);
    expect(bytes).toContain("(15/03/2027) Tj");
    expect(bytes).toContain("(04 65 71 01 23) Tj");
    expect(bytes).toContain("(demande-logement@lmh-demo.example) Tj");
    expect(bytes).toContain("%%EOF");
    const refused = await h.call("guichet", "GET", `/v1/demandes/${numero}/attestation?format=docx`);
    expect(refused.status).toBe(400);
    expect(refused.body.error.field).toBe("query.format");
  });

  it("names every invalid field in a 400 and writes nothing", async () => {
    const before = await demands().countDocuments();
    const bad = demandFormInput();
    bad.demandeur = { ...bad.demandeur, dateNaissance: "12/04/1988" };
    bad.souhaits = { typologies: [], communes: ["69383"] };
    const res = await h.call("guichet", "POST", "/v1/demandes", { demande: bad });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe("VALIDATION");
    expect(res.body.error.field).toBe("demande.demandeur.dateNaissance");
    expect(res.body.error.issues.map((i: { path: string }) => i.path)).toEqual([
      "demande.demandeur.dateNaissance",
      "demande.souhaits.typologies",
    ]);
    const outside = await h.call("guichet", "POST", "/v1/demandes", {
      demande: demandFormInput({ souhaits: { typologies: ["T2"], communes: ["69383", "75056"] } }),
    });
    expect(outside.status).toBe(400);
    expect(outside.body.error).toMatchObject({ reason: "DEPARTEMENT_MISMATCH", field: "souhaits.communes.1" });
    const badJson = await fetch(`${h.base}/v1/demandes`, {
      method: "POST",
      headers: { "content-type": "application/json", authorization: await h.authHeader("guichet") },
      body: "{oops",
    });
    expect(badJson.status).toBe(400);
    expect(await demands().countDocuments()).toBe(before);
  });

  it("denies by default: no token 401, landlords and reservers 403, other départements 403/404", async () => {
    expect((await h.call(null, "GET", `/v1/demandes/${numero}`)).status).toBe(401);
    expect((await h.call("bailleur", "GET", `/v1/demandes/${numero}`)).status).toBe(403);
    expect((await h.call("reservataire", "GET", "/v1/demandes")).status).toBe(403);
    const paris = { ...parisDesk(), territories: { departements: ["75"], epcis: [] } };
    expect((await h.call(paris, "GET", `/v1/demandes/${numero}`)).status).toBe(404);
    const registerElsewhere = await h.call("guichet", "POST", "/v1/demandes", {
      demande: demandFormInput({ departement: "75", souhaits: { typologies: ["T2"], communes: ["75056"] } }),
    });
    expect(registerElsewhere.status).toBe(403);
    expect(registerElsewhere.body.error.reason).toBe("OUT_OF_TERRITORY");
  });

  it("shows possible duplicates to the desk, which confirms a distinct household or links to the existing demand", async () => {
    const again = demandFormInput({
      demandeur: { ...demandFormInput().demandeur, nom: "DUPONT", prenom: "aicha", nir: undefined },
      cotitulaire: undefined,
    });
    const first = await h.call("guichet", "POST", "/v1/demandes", { demande: again });
    expect(first.status).toBe(409);
    expect(first.body.error.reason).toBe("POSSIBLE_DUPLICATE");
    expect(first.body.error.details.candidats).toEqual([
      expect.objectContaining({
        numeroUnique: numero,
        score: 0.9,
        demandeur: { nom: "Dupont", prenom: "Aïcha", dateNaissance: "1988-04-12" },
      }),
    ]);
    const count = await demands().countDocuments();
    const linked = await h.call("guichet", "POST", "/v1/demandes", {
      demande: again,
      doublons: { decision: "meme-menage", examines: [numero], numeroRetenu: numero },
    });
    expect(linked.status).toBe(201);
    expect(linked.body).toMatchObject({ outcome: "linked", demand: { numeroUnique: numero } });
    expect(await demands().countDocuments()).toBe(count);
    const distinct = await h.call("guichet", "POST", "/v1/demandes", {
      demande: again,
      doublons: { decision: "distinct", examines: [numero] },
    });
    expect(distinct.status).toBe(201);
    expect(distinct.body.demand.numeroUnique).not.toBe(numero);
    expect(distinct.body.demand.distinctFrom).toHaveLength(1);
    const search = await h.call("guichet", "POST", "/v1/doublons/recherche", again);
    expect(search.body.candidats).toHaveLength(2);
  });

  it("shows a near name born the same day (a typo) as a possible duplicate, and not a namesake born the same day", async () => {
    const person = (nom: string, prenom: string) =>
      demandFormInput({
        demandeur: { ...demandFormInput().demandeur, nom, prenom, dateNaissance: "1979-11-05", nir: undefined },
        cotitulaire: undefined,
      });
    const first = await h.call("guichet", "POST", "/v1/demandes", { demande: person("Benali", "Karim") });
    expect(first.status).toBe(201);
    const typo = await h.call("guichet", "POST", "/v1/demandes", { demande: person("Benalli", "Karim") });
    expect(typo.status).toBe(409);
    expect(typo.body.error.details.candidats).toEqual([
      expect.objectContaining({ numeroUnique: first.body.demand.numeroUnique, score: 0.75 }),
    ]);
    // Shares the name block and the birth date, but the first names differ: not shown.
    const other = await h.call("guichet", "POST", "/v1/demandes", { demande: person("Bensaid", "Fatima") });
    expect(other.status).toBe(201);
  });

  it("records who changed what on update, refuses a stale version, and emits DemandUpdated", async () => {
    const current = await h.call("guichet", "GET", `/v1/demandes/${numero}`);
    const form = current.body.form;
    const change = {
      expectedVersion: current.body.version,
      motif: "Nouveau contrat de travail (justificatif du 14/03)",
      demande: {
        ...form,
        demandeur: { ...form.demandeur, situationProfessionnelle: { typeContrat: "CDI" } },
        sensible: {},
      },
    };
    const updated = await h.call("guichet", "PUT", `/v1/demandes/${numero}`, change);
    expect(updated.status).toBe(200);
    const last = updated.body.history.at(-1);
    expect(last).toMatchObject({
      action: "update",
      by: { userId: "usr_demo_guichet", organisationId: "org_demo_bailleur_69", name: "Camille Martin" },
      changes: [
        "demandeur.situationProfessionnelle.communeTravail",
        "demandeur.situationProfessionnelle.profession",
        "demandeur.situationProfessionnelle.typeContrat",
      ],
      comment: "Nouveau contrat de travail (justificatif du 14/03)",
    });
    const stale = await h.call("guichet", "PUT", `/v1/demandes/${numero}`, change);
    expect(stale.status).toBe(409);
    expect(stale.body.error.reason).toBe("STALE_VERSION");
    const doc = await demands().findOne({ numeroUnique: numero });
    expect(doc?.outbox.map((e: OutboxEntry) => entryEnvelope(e).type)).toContain("DemandUpdated");
  });

  it("shows sensitive details only to the roles that need them, and audits every read of the file", async () => {
    const res = await h.call("guichet", "POST", "/v1/demandes", {
      demande: {
        ...otherHousehold("Moreau", "Léa", "1992-07-01"),
        situations: { violencesFamiliales: true },
        sensible: { violences: { description: "Ordonnance de protection du 2 mars", ordonnanceProtection: true } },
      },
    });
    expect(res.status).toBe(201);
    const n = res.body.demand.numeroUnique;
    const desk = await h.call("guichet", "GET", `/v1/demandes/${n}`);
    expect(desk.body.form.sensible).toBeUndefined();
    expect(desk.body.sensibleMasque).toBe(true);
    expect(desk.body.form.situations.violencesFamiliales).toBe(true);
    const sensitive = await h.call("sensible", "GET", `/v1/demandes/${n}`);
    expect(sensitive.body.form.sensible.violences.description).toBe("Ordonnance de protection du 2 mars");
    const history = await h.call("guichet", "GET", `/v1/demandes/${n}/historique`);
    // The clock does not move in this test, so compare without order.
    expect(history.body.lectures.map((l: { userId: string; what: string }) => `${l.userId}:${l.what}`).sort()).toEqual([
      "usr_demo_guichet:file",
      "usr_demo_guichet:history",
      "usr_demo_sensible:sensitive",
    ]);
  });

  it("starts a stock scan for duplicates (202) and reports it; refuses a bad département naming the field", async () => {
    const started = await h.call("guichet", "POST", "/v1/doublons/analyses", { departement: "69" });
    expect(started.status).toBe(202);
    expect(started.body.id).toMatch(/^job_/);
    const report = await eventually(async () => {
      const r = await h.call("guichet", "GET", `/v1/doublons/analyses/${started.body.id}`);
      expect(r.body.status).toBe("done");
      return r.body;
    });
    expect(report.progress.processed).toBe(report.progress.total);
    const bad = await h.call("guichet", "POST", "/v1/doublons/analyses", { departement: "6" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.field).toBe("departement");
  });

  it("searches by number, name (without accents), wished commune and status, paginated", async () => {
    for (const [nom, prenom, date] of [
      ["Lefèvre", "Paul", "1970-01-01"],
      ["Lefebvre", "Anne", "1975-05-05"],
      ["Garnier", "Luc", "1980-08-08"],
    ] as const) {
      expect(
        (await h.call("guichet", "POST", "/v1/demandes", { demande: otherHousehold(nom, prenom, date) })).status,
      ).toBe(201);
    }
    const byName = await h.call("guichet", "GET", "/v1/demandes?nom=lefe&pageSize=1");
    expect(byName.status).toBe(200);
    expect(byName.body.total).toBe(2);
    expect(byName.body.items).toHaveLength(1);
    const page2 = await h.call("guichet", "GET", "/v1/demandes?nom=LEFE&pageSize=1&page=2");
    expect(page2.body.items[0].demandeur.nom).not.toBe(byName.body.items[0].demandeur.nom);
    const byNumero = await h.call("guichet", "GET", `/v1/demandes?numeroUnique=${numero}`);
    expect(byNumero.body.items.map((i: { numeroUnique: string }) => i.numeroUnique)).toEqual([numero]);
    const byCommune = await h.call("guichet", "GET", "/v1/demandes?commune=69388&statut=active");
    expect(byCommune.body.total).toBeGreaterThanOrEqual(5);
    const invalid = await h.call("guichet", "GET", "/v1/demandes?pageSize=500");
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.field).toBe("query.pageSize");
  });
});

function parisDesk() {
  return {
    userId: "usr_paris",
    name: "Agent Paris",
    organisation: { id: "org_paris", kind: "desk" as const, name: "Guichet Paris", guichet: "075000001" },
    roles: ["desk-agent" as const],
  };
}

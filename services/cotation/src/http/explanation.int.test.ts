import { createEvent, DemandProofValidated, DemandRefusalRecorded } from "@logis/contracts";
import { eventually, household } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadReferenceGrid } from "../adapters/files/reference-data.js";
import { cotationHarness } from "../testing/harness.js";

// Issue 16: proofs and refusals recorded by registration's desks reach the ranking; the applicant
// reads their own cotation and its explanation through a link a desk gives them.

type Harness = Awaited<ReturnType<typeof cotationHarness>>;
let h: Harness;
const synthetic = loadReferenceGrid("synthetique");
const EPCI = "200046977";
let evicted: { id: string; numero: string };
let refuser: { id: string; numero: string };

const proof = (d: { id: string; numero: string }, version: number, justificatif: string, at: string) =>
  createEvent(DemandProofValidated, {
    aggregateId: d.id,
    aggregateVersion: version,
    correlationId: "cor_test",
    occurredAt: new Date(at),
    payload: {
      numeroUnique: d.numero,
      departement: "69",
      justificatif,
      criteres: ["EXPULSION_JUGEMENT"],
      verifieLe: at,
      verifiePar: { userId: "usr_demo_guichet", organisationId: "org_demo_bailleur_69" },
    },
  });
const refusal = (d: { id: string; numero: string }, version: number, refusLe: string, logementAdapte: boolean) =>
  createEvent(DemandRefusalRecorded, {
    aggregateId: d.id,
    aggregateVersion: version,
    correlationId: "cor_test",
    occurredAt: new Date(`${refusLe}T12:00:00.000Z`),
    payload: { numeroUnique: d.numero, departement: "69", refusLe, logementAdapte },
  });

beforeAll(async () => {
  h = await cotationHarness("2026-11-22T09:00:00.000Z");
  const a = h.registered(
    household((d) => {
      d.motifs = [{ code: "05" }, { code: "06" }];
      d.logementActuel = { modele: "CPE", nombreOccupants: 3, surface: 60, typeLogement: "T3" };
    }),
    "2026-05-22",
  );
  const b = h.registered(household(), "2026-05-22");
  evicted = { id: a.aggregateId, numero: a.payload.numeroUnique };
  refuser = { id: b.aggregateId, numero: b.payload.numeroUnique };
  await h.publishDemandEvents([a, b]);
  await eventually(() => expect(h.stock.applied).toBe(2));
  const created = await h.call("epci", "POST", "/v1/grilles", {
    epci: EPCI,
    kind: "unique",
    nom: synthetic.nom,
    rules: synthetic.rules,
  });
  await h.call("epci", "POST", `/v1/grilles/${created.body.id}/simulation`, {});
  const published = await h.call("epci", "POST", `/v1/grilles/${created.body.id}/publication`, {
    effectiveFrom: "2026-11-22",
  });
  expect(published.status).toBe(200);
});
afterAll(async () => {
  await h?.close();
});

const cotationOf = async (numero: string, date?: string) =>
  (await h.call("guichet", "GET", `/v1/demandes/${numero}/cotation${date ? `?date=${date}` : ""}`)).body.cotations[0];

describe("proofs and refusals from registration count in the cotation", () => {
  it("a proof-gated criterion counts once registration says its piece was checked", async () => {
    const before = await cotationOf(evicted.numero);
    expect(before.criteria.map((c: { code: string }) => c.code)).not.toContain("EXPULSION_JUGEMENT");
    expect(before.explication.criteres.find((c: { code: string }) => c.code === "EXPULSION_JUGEMENT")).toMatchObject({
      statut: "en_attente_justificatif",
    });
    await h.publishDemandEvents([proof(evicted, 2, "JUGEMENT_EXPULSION", "2026-11-22T10:00:00.000Z")]);
    await eventually(() => expect(h.stock.applied).toBe(3));
    await h.scoring.refresh();
    const after = await cotationOf(evicted.numero);
    expect(after.criteria.map((c: { code: string }) => c.code)).toContain("EXPULSION_JUGEMENT");
    expect(after.score - before.score).toBe(80 - 30); // expulsion (80) replaces "hébergé par la famille" (30)
    expect(after.explication.criteres.find((c: { code: string }) => c.code === "HEBERGE_FAMILLE")).toMatchObject({
      statut: "non_retenu_meilleur",
    });
    // The violence criterion still waits for its social worker's validation, said in words.
    expect(after.explication.enAttente.join(" ")).toContain("Validation par un travailleur social");
  });

  it("only refusals of suitable units count, and only within the grid's twelve-month window", async () => {
    await h.publishDemandEvents([
      refusal(refuser, 2, "2026-06-10", true),
      refusal(refuser, 3, "2026-07-01", false),
      refusal(refuser, 4, "2026-10-01", true),
    ]);
    await eventually(() => expect(h.stock.applied).toBe(6));
    await h.scoring.refresh();
    const now = await cotationOf(refuser.numero);
    expect(now.explication.criteres.find((c: { code: string }) => c.code === "REFUS_LOGEMENT_ADAPTE")).toMatchObject({
      points: -100,
      statut: "retenu",
    });
    // On 2027-06-10 the June refusal has left the window: one refusal left.
    const later = await cotationOf(refuser.numero, "2027-06-10");
    expect(later.explication.criteres.find((c: { code: string }) => c.code === "REFUS_LOGEMENT_ADAPTE")?.points).toBe(
      -50,
    );
    const gone = await cotationOf(refuser.numero, "2027-10-01");
    expect(gone.explication.criteres.map((c: { code: string }) => c.code)).not.toContain("REFUS_LOGEMENT_ADAPTE");
  });
});

describe("the applicant reads their own explanation", () => {
  it("through a signed, expiring link a desk gives them: JSON and a printable page, without an account", async () => {
    const link = await h.call("guichet", "POST", `/v1/demandes/${evicted.numero}/cotation/lien`);
    expect(link.status).toBe(201);
    expect(link.body.expireLe).toBe("2026-12-22T09:00:00.000Z");
    expect((await h.call("reservataire", "POST", `/v1/demandes/${evicted.numero}/cotation/lien`)).status).toBe(403);

    const json = await h.call(null, "GET", link.body.chemin);
    expect(json.status).toBe(200);
    const [c] = json.body.cotations;
    expect(c.grille).toMatchObject({ nom: synthetic.nom, version: 1 });
    expect(c.explication.prioriteL441).toMatchObject({ prioritaire: false });
    expect(c.explication.total.score).toBe(c.score);

    const html = await fetch(`${h.base}${link.body.chemin}`, { headers: { accept: "text/html" } });
    const text = await html.text();
    expect(html.headers.get("cache-control")).toBe("no-store");
    expect(text).toContain("Votre cotation de demande de logement social");
    expect(text).toContain(synthetic.nom);
    expect(text).toContain("rempli, non retenu");
    expect(text).toContain("pas encore compté");

    const forged = `${link.body.token.slice(0, -2)}xx`;
    expect((await h.call(null, "GET", `/v1/explication/${forged}`)).status).toBe(404);
    h.clock.set("2026-12-22T09:00:00.000Z");
    const expired = await h.call(null, "GET", link.body.chemin);
    expect(expired.status).toBe(404);
    expect(expired.body.error.reason).toBe("LINK_INVALID");
  });
});

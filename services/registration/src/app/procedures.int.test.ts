import { demandFormInput } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";
import { lifecycleWorker } from "../workers/lifecycle.js";

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness("2026-03-15T10:00:00.000Z");
});
afterAll(async () => {
  await h.close();
});

const identities = {
  recues: [
    { piece: "PIECE_IDENTITE", personne: "demandeur" },
    { piece: "PIECE_IDENTITE", personne: "cotitulaire" },
  ],
};
const household = (nom: string, prenom: string) => {
  const form = demandFormInput();
  return {
    ...form,
    demandeur: { ...form.demandeur, nom, prenom, nir: undefined },
    cotitulaire: undefined,
    contact: { ...form.contact, canauxAcceptes: ["courrier", "email", "sms"] as ("courrier" | "email" | "sms")[] },
  };
};
async function registerOne(nom: string, prenom: string) {
  const res = await h.call("guichet", "POST", "/v1/demandes", {
    demande: household(nom, prenom),
    pieces: { recues: [{ piece: "PIECE_IDENTITE" }] },
  });
  expect(res.status).toBe(201);
  return res.body.demand as { numeroUnique: string; id: string };
}

describe("registration procedures on the real engines, with the injectable clock", () => {
  it("registration: identity pieces required (residence permit outside the EU/EEA/Switzerland), recorded", async () => {
    const none = await h.call("guichet", "POST", "/v1/demandes", {
      demande: demandFormInput(),
      pieces: { recues: [] },
    });
    expect(none.status).toBe(400);
    const form = demandFormInput();
    const horsUe = { ...form, demandeur: { ...form.demandeur, nationalite: "3" } };
    const noPermit = await h.call("guichet", "POST", "/v1/demandes", { demande: horsUe, pieces: identities });
    expect(noPermit.status).toBe(422);
    expect(noPermit.body.error).toMatchObject({ reason: "PIECE_REQUIRED", field: "pieces" });
    const ok = await h.call("guichet", "POST", "/v1/demandes", {
      demande: horsUe,
      pieces: { recues: [...identities.recues, { piece: "TITRE_SEJOUR", personne: "demandeur" }] },
    });
    expect(ok.status).toBe(201);
    expect(ok.body.demand.pieces.map((p: { piece: string; personne: string }) => `${p.piece}/${p.personne}`)).toEqual([
      "PIECE_IDENTITE/demandeur",
      "PIECE_IDENTITE/cotitulaire",
      "TITRE_SEJOUR/demandeur",
    ]);
  });

  it("separation: the ex-partner's demand keeps the first deposit date, the link is recorded and published", async () => {
    const base = demandFormInput();
    const form = {
      ...base,
      demandeur: { ...base.demandeur, nom: "Separe", nir: undefined },
      cotitulaire: base.cotitulaire && { ...base.cotitulaire, nom: "Ancien", prenom: "Marco" },
    };
    const original = await h.call("guichet", "POST", "/v1/demandes", { demande: form });
    expect(original.status).toBe(201);
    h.clock.set("2026-09-01T10:00:00.000Z");
    const exPartner = {
      ...form,
      demandeur: { ...form.demandeur, ...form.cotitulaire, nir: undefined, lienDemandeur: undefined },
      cotitulaire: undefined,
    };
    delete (exPartner.demandeur as Record<string, unknown>).lienDemandeur;
    const res = await h.call("guichet", "POST", "/v1/demandes", {
      demande: exPartner,
      separation: { numeroUniqueOrigine: original.body.demand.numeroUnique },
    });
    expect(res.status).toBe(201);
    expect(res.body.demand).toMatchObject({
      dateDepot: "2026-03-15T10:00:00.000Z",
      validUntil: "2027-09-01T10:00:00.000Z",
      separation: {
        numeroUniqueOrigine: original.body.demand.numeroUnique,
        dateDepotOrigine: "2026-03-15T10:00:00.000Z",
      },
    });
    const { relay, stop } = await h.startRelay();
    await relay.flush();
    await stop();
    const [registered] = await h.demandEventsOf(res.body.demand.id);
    expect(registered?.payload).toMatchObject({
      dateDepot: "2026-03-15T10:00:00.000Z",
      separation: { numeroUniqueOrigine: original.body.demand.numeroUnique },
    });
  });

  it("proofs and refusals are recorded with who and when, and published for cotation", async () => {
    h.clock.set("2026-10-01T09:00:00.000Z");
    const d = await registerOne("Proof", "Paul");
    const proof = await h.call("guichet", "POST", `/v1/demandes/${d.numeroUnique}/justificatifs`, {
      justificatif: "JUGEMENT_EXPULSION",
      criteres: ["EXPULSION_JUGEMENT"],
    });
    expect(proof.status).toBe(201);
    expect(proof.body.pieces.at(-1)).toMatchObject({
      piece: "JUGEMENT_EXPULSION",
      checked: true,
      receivedAt: "2026-10-01T09:00:00.000Z",
      by: { userId: "usr_demo_guichet" },
    });
    const refusal = await h.call("guichet", "POST", `/v1/demandes/${d.numeroUnique}/refus`, {
      refuseLe: "2026-09-30",
      logementAdapte: true,
      commentaire: "T3 à Villeurbanne refusé sans motif",
    });
    expect(refusal.status).toBe(201);
    const { relay, stop } = await h.startRelay();
    await relay.flush();
    await stop();
    const events = await h.demandEventsOf(d.id);
    expect(events.map((e) => e.type)).toEqual(["DemandRegistered", "DemandProofValidated", "DemandRefusalRecorded"]);
    expect(events[1]?.payload).toMatchObject({
      verifiePar: { userId: "usr_demo_guichet" },
      criteres: ["EXPULSION_JUGEMENT"],
    });
    expect(events[2]?.payload).toMatchObject({ refusLe: "2026-09-30", logementAdapte: true });
  });

  it("the attestation read shows what was issued, and each issue; notices go on every accepted channel", async () => {
    h.clock.set("2026-11-02T09:00:00.000Z");
    const d = await registerOne("Attest", "Anne");
    h.clock.set("2027-01-10T09:00:00.000Z");
    const read = await h.call("guichet", "GET", `/v1/demandes/${d.numeroUnique}/attestation`);
    expect(read.body).toMatchObject({
      delivreeLe: "2026-11-02T09:00:00.000Z",
      reconstituee: false,
      emissions: [{ issuedAt: "2026-11-02T09:00:00.000Z", channel: "guichet", reason: "registration" }],
    });
    const file = await h.call("guichet", "GET", `/v1/demandes/${d.numeroUnique}`);
    expect(file.body.attestations).toEqual([
      {
        issuedAt: "2026-11-02T09:00:00.000Z",
        channel: "guichet",
        reason: "registration",
        contentVersion: "R441-2-4/2015-03-23",
      },
    ]);
    const copy = await h.call("guichet", "POST", `/v1/demandes/${d.numeroUnique}/attestation/emissions`, {
      canal: "email",
    });
    expect(copy.status).toBe(201);
    expect(copy.body.emissions.map((e: { channel: string }) => e.channel)).toEqual(["guichet", "email"]);

    h.clock.set("2027-10-05T09:00:00.000Z"); // less than a month before expiry (2027-11-02)
    const report = await lifecycleWorker(h.deps, h.logger).runOnce();
    expect(report.notices).toBeGreaterThanOrEqual(1);
    const history = await h.call("guichet", "GET", `/v1/demandes/${d.numeroUnique}/historique`);
    expect(history.body.notices.map((n: { channel: string }) => n.channel)).toEqual(["courrier", "email", "sms"]);
  });

  it("inadmissibility: notified by a CAL, radiated a month after the notification by the scheduler; withdrawal before", async () => {
    h.clock.set("2028-01-10T09:00:00.000Z");
    const a = await registerOne("Irrecevable", "Ines");
    const b = await registerOne("Retrait", "Remi");
    const body = { sousMotif: "IRRRES", notifieLe: "2028-01-08T10:00:00.000Z", decision: "CAL LMH du 05/01/2028" };
    expect((await h.call("guichet", "POST", `/v1/demandes/${a.numeroUnique}/irrecevabilite`, body)).status).toBe(403);
    const cal = { ...(await import("@logis/auth")).demoUsers.guichet, roles: ["desk-agent", "cal-secretary"] };
    const notified = await h.call(cal as never, "POST", `/v1/demandes/${a.numeroUnique}/irrecevabilite`, body);
    expect(notified.status).toBe(200);
    expect(notified.body).toMatchObject({ status: "active", procedure: { dueAt: "2028-02-08T10:00:00.000Z" } });
    await h.call(cal as never, "POST", `/v1/demandes/${b.numeroUnique}/irrecevabilite`, body);
    const withdrawn = await h.call(cal as never, "POST", `/v1/demandes/${b.numeroUnique}/irrecevabilite/retrait`, {
      commentaire: "recours gracieux accueilli",
    });
    expect(withdrawn.status).toBe(200);

    const worker = lifecycleWorker(h.deps, h.logger);
    h.clock.set("2028-02-08T09:59:00.000Z");
    expect((await worker.runOnce()).radiated).toBeUndefined();
    h.clock.set("2028-02-08T10:00:00.000Z");
    expect((await worker.runOnce()).radiated).toBe(1);
    expect((await h.call("guichet", "GET", `/v1/demandes/${a.numeroUnique}`)).body).toMatchObject({
      status: "radiated",
      radiation: { motif: "RADIRR", sousMotif: "IRRRES", date: "2028-02-08T10:00:00.000Z" },
    });
    expect((await h.call("guichet", "GET", `/v1/demandes/${b.numeroUnique}`)).body.status).toBe("active");
  });

  it("a landlord's letter: without answer radiated after two months, reactivated by a late answer within five", async () => {
    h.clock.set("2028-03-01T09:00:00.000Z");
    const a = await registerOne("Silence", "Sam");
    const b = await registerOne("Reponse", "Rose");
    const letter = { envoyeLe: "2028-03-01T09:00:00.000Z", objet: "justificatif de ressources" };
    for (const d of [a, b])
      expect((await h.call("guichet", "POST", `/v1/demandes/${d.numeroUnique}/courriers`, letter)).status).toBe(200);
    h.clock.set("2028-04-20T09:00:00.000Z");
    const answer = await h.call("guichet", "POST", `/v1/demandes/${b.numeroUnique}/courriers/reponse`, {
      commentaire: "avis d'imposition reçu",
    });
    expect(answer.body.procedure).toBeUndefined();

    h.clock.set("2028-05-01T09:00:00.000Z");
    expect((await lifecycleWorker(h.deps, h.logger).runOnce()).radiated).toBe(1);
    const radiated = await h.call("guichet", "GET", `/v1/demandes/${a.numeroUnique}`);
    expect(radiated.body).toMatchObject({
      status: "radiated",
      radiation: { motif: "RADCON" },
      reactivableUntil: "2028-10-01T09:00:00.000Z",
    });
    h.clock.set("2028-07-01T09:00:00.000Z");
    const late = await h.call("guichet", "POST", `/v1/demandes/${a.numeroUnique}/courriers/reponse`, {
      commentaire: "réponse tardive",
    });
    expect(late.body).toMatchObject({ status: "active", dateDepot: "2028-03-01T09:00:00.000Z" });
    expect((await h.call("guichet", "GET", `/v1/demandes/${b.numeroUnique}`)).body.status).toBe("active");
  });
});

import { deciderSpec, demandForm } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { loadLegalRules } from "../adapters/files/legal-rules.js";
import { type Demand, register } from "./demand.js";
import { type DemandChange, type DemandContext, demandDecider, publicEventOf } from "./demand-decider.js";
import { checkRegistrationPieces, noticeChannels } from "./procedures.js";

const book = loadLegalRules();
const by = { userId: "usr_1", organisationId: "org_1", name: "Agent" };
const guichet = { numGuichet: "069000123", organisationId: "org_1", nom: "Guichet test" };
const at = (iso: string): DemandContext => ({ now: new Date(iso), rules: book(new Date(iso)), by });
const registered = (form = demandForm()): Demand =>
  register({
    id: "dem_1",
    numeroUnique: "0690326000000001AA",
    form,
    guichet,
    by,
    now: new Date("2026-03-15T10:00:00Z"),
    rules: book(new Date("2026-03-15T10:00:00Z")),
  });
const given = (...changes: DemandChange[]) =>
  deciderSpec({ ...demandDecider, initialState: registered() }).given(...changes);

describe("pieces, proofs, refusals and the attestation", () => {
  it("registration requires each adult's identity document, and the residence permit outside the EU/EEA/Switzerland", () => {
    const rules = book(new Date("2026-03-15T10:00:00Z"));
    const form = demandForm();
    const identities = [
      { piece: "PIECE_IDENTITE", personne: "demandeur" as const },
      { piece: "PIECE_IDENTITE", personne: "cotitulaire" as const },
    ];
    expect(checkRegistrationPieces(form, identities, [], rules).ok).toBe(true);
    expect(checkRegistrationPieces(form, identities.slice(0, 1), [], rules)).toEqual({
      ok: false,
      error: { code: "PIECE_REQUIRED", piece: "PIECE_IDENTITE", personne: "cotitulaire" },
    });
    const horsUe = { ...form, demandeur: { ...form.demandeur, nationalite: "3" as const } };
    expect(checkRegistrationPieces(horsUe, identities, [], rules)).toEqual({
      ok: false,
      error: { code: "PIECE_REQUIRED", piece: "TITRE_SEJOUR", personne: "demandeur" },
    });
    // A Swiss or Norwegian national (code 3 in the SNE list) needs no residence permit.
    expect(checkRegistrationPieces(horsUe, identities, ["demandeur"], rules).ok).toBe(true);
  });

  it("a checked proof records which piece, by whom, when, for which criterion, and tells cotation", () => {
    const { events, state } = given().when(
      { type: "RecordPiece", piece: "JUGEMENT_EXPULSION", criteres: ["EXPULSION_JUGEMENT"], checked: true },
      at("2026-04-02T09:15:00Z"),
    );
    expect(state.pieces).toEqual([
      {
        piece: "JUGEMENT_EXPULSION",
        criteres: ["EXPULSION_JUGEMENT"],
        checked: true,
        receivedAt: "2026-04-02T09:15:00.000Z",
        by,
      },
    ]);
    const event = publicEventOf(registered(), events?.[0] as DemandChange);
    expect(event?.definition.type).toBe("DemandProofValidated");
    expect(event?.payload).toMatchObject({
      justificatif: "JUGEMENT_EXPULSION",
      criteres: ["EXPULSION_JUGEMENT"],
      verifieLe: "2026-04-02T09:15:00.000Z",
      verifiePar: { userId: "usr_1", organisationId: "org_1" },
    });
  });

  it("a refusal records its date and whether the unit was suitable; a future date is refused", () => {
    const { events, state } = given().when(
      { type: "RecordRefusal", refusedOn: "2026-06-08", suitable: true, rplsId: "6900012345", comment: "T3 refusé" },
      at("2026-06-10T14:00:00Z"),
    );
    expect(state.refusals).toMatchObject([{ refusedOn: "2026-06-08", suitable: true, rplsId: "6900012345" }]);
    expect(publicEventOf(registered(), events?.[0] as DemandChange)?.payload).toMatchObject({
      refusLe: "2026-06-08",
      logementAdapte: true,
    });
    expect(
      given().when(
        { type: "RecordRefusal", refusedOn: "2026-07-01", suitable: false, comment: "x" },
        at("2026-06-10T14:00:00Z"),
      ).error,
    ).toMatchObject({ code: "VALIDATION", field: "refuseLe" });
  });

  it("the attestation is issued at registration and again at renewal, each issue kept with its content", () => {
    expect(registered().attestations).toMatchObject([
      {
        issuedAt: "2026-03-15T10:00:00.000Z",
        channel: "guichet",
        reason: "registration",
        contentVersion: "R441-2-4/2015-03-23",
        content: { delivreeLe: "2026-03-15T10:00:00.000Z", validiteJusquAu: "2027-03-15T10:00:00.000Z" },
      },
    ]);
    const { state, events } = given().when({ type: "Renew" }, at("2027-02-20T09:00:00Z"));
    expect(events?.map((e) => e.type)).toEqual(["Renewed", "AttestationIssued"]);
    expect(state.attestations?.at(-1)).toMatchObject({
      reason: "renewal",
      content: { delivreeLe: "2027-02-20T09:00:00.000Z", validiteJusquAu: "2028-02-20T09:00:00.000Z" },
    });
    expect(state.attestations?.[0]?.content).toMatchObject({ delivreeLe: "2026-03-15T10:00:00.000Z" });
  });

  it("renewal notices go on every accepted channel the platform sends on and has an address for", () => {
    const rules = book(new Date("2027-02-15T10:00:00Z"));
    const form = demandForm();
    expect(noticeChannels(form, rules)).toEqual(["courrier"]);
    const all = { ...form, contact: { ...form.contact, canauxAcceptes: ["courrier", "email", "sms"] as const } };
    expect(
      noticeChannels({ ...all, contact: { ...all.contact, canauxAcceptes: [...all.contact.canauxAcceptes] } }, rules),
    ).toEqual(["courrier", "email", "sms"]);
    const spec = deciderSpec({
      ...demandDecider,
      initialState: registered({ ...form, contact: { ...form.contact, canauxAcceptes: ["email", "sms"] } }),
    });
    const { state } = spec.given().when({ type: "SendRenewalNotice" }, at("2027-02-15T10:00:00Z"));
    expect(state.notices.map((n) => n.channel)).toEqual(["email", "sms"]);
  });
});

describe("radiation procedures", () => {
  it("inadmissibility radiates one month after its notification, not at once; reversible before", () => {
    expect(
      given().when(
        { type: "Radiate", radiation: { motif: "RADIRR", sousMotif: "IRRRES" }, comment: "x" },
        at("2026-06-01T00:00:00Z"),
      ).error,
    ).toMatchObject({ code: "RULE_VIOLATION", reason: "NEEDS_PROCEDURE" });
    const notified = given().when(
      {
        type: "NotifyInadmissibility",
        sousMotif: "IRRRES",
        notifiedAt: "2026-06-01T08:00:00Z",
        decision: "CAL 2026-05-28",
      },
      at("2026-06-02T10:00:00Z"),
    );
    expect(notified.state).toMatchObject({
      status: "active",
      procedure: { kind: "inadmissibility", notifiedAt: "2026-06-01T08:00:00.000Z", dueAt: "2026-07-01T08:00:00.000Z" },
    });
    const changes = notified.events ?? [];
    expect(given(...changes).when({ type: "RadiateAfterProcedure" }, at("2026-07-01T07:59:59Z")).events).toEqual([]);
    const radiated = given(...changes).when({ type: "RadiateAfterProcedure" }, at("2026-07-01T08:00:00Z"));
    expect(radiated.state).toMatchObject({ status: "radiated", radiation: { motif: "RADIRR", sousMotif: "IRRRES" } });
    expect(radiated.state.procedure).toBeUndefined();
    // The decision's reference is free text: it stays in the history, not in the event others read.
    expect(JSON.stringify(publicEventOf(notified.state, radiated.events?.[0] as DemandChange))).not.toContain(
      "CAL 2026",
    );
    const purged = given(...changes, ...(radiated.events ?? [])).when({ type: "Purge" }, at("2027-07-01T08:00:00Z"));
    expect(purged.state).toMatchObject({ status: "purged", history: [] });
    for (const gone of ["pieces", "attestations", "refusals", "procedure", "separation"] as const)
      expect(purged.state[gone]).toBeUndefined();
    const abandon = given().when(
      { type: "Radiate", radiation: { motif: "RADABA", commentaire: "lettre de Mme Dupont" }, comment: "RADABA" },
      at("2026-06-01T00:00:00Z"),
    );
    expect(abandon.state.radiation?.commentaire).toBe("lettre de Mme Dupont");
    expect(JSON.stringify(publicEventOf(registered(), abandon.events?.[0] as DemandChange))).not.toContain("Dupont");
    const withdrawn = given(...changes).when(
      { type: "StopProcedure", kind: "inadmissibility", comment: "décision retirée" },
      at("2026-06-20T10:00:00Z"),
    );
    expect(withdrawn.state.procedure).toBeUndefined();
    expect(
      given(...(withdrawn.events ?? [])).when({ type: "RadiateAfterProcedure" }, at("2026-07-02T00:00:00Z")).events,
    ).toEqual([]);
    expect(
      given(...changes).when(
        { type: "StopProcedure", kind: "inadmissibility", comment: "trop tard" },
        at("2026-07-01T08:00:00Z"),
      ).error,
    ).toMatchObject({ reason: "PROCEDURE_UNDER_WAY" });
  });

  it("a letter without answer radiates after two months, reactivable five months; an answer stops it", () => {
    const letter = given().when(
      { type: "RequestInformation", letterAt: "2026-05-01T09:00:00Z", objet: "avis d'imposition" },
      at("2026-05-01T09:00:00Z"),
    );
    expect(letter.state.procedure).toMatchObject({ kind: "no-answer", dueAt: "2026-07-01T09:00:00.000Z" });
    const answered = given(...(letter.events ?? [])).when(
      { type: "StopProcedure", kind: "no-answer", comment: "réponse reçue" },
      at("2026-06-15T09:00:00Z"),
    );
    expect(answered.state).toMatchObject({ status: "active" });
    expect(answered.state.procedure).toBeUndefined();

    const radiated = given(...(letter.events ?? [])).when(
      { type: "RadiateAfterProcedure" },
      at("2026-07-01T09:00:00Z"),
    );
    expect(radiated.state).toMatchObject({
      status: "radiated",
      radiation: { motif: "RADCON" },
      reactivableUntil: "2026-12-01T09:00:00.000Z",
    });
    const after = [...(letter.events ?? []), ...(radiated.events ?? [])];
    expect(given(...after).when({ type: "Reactivate" }, at("2026-12-01T09:00:00Z")).state).toMatchObject({
      status: "active",
      dateDepot: "2026-03-15T10:00:00.000Z",
    });
    expect(given(...after).when({ type: "Reactivate" }, at("2026-12-01T09:00:01Z")).error).toMatchObject({
      reason: "REACTIVATION_WINDOW_CLOSED",
    });
  });
});

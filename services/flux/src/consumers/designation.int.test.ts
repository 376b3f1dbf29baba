import { readFileSync } from "node:fs";
import { attributionStream, type LogementDeclare, topics } from "@logis/contracts";
import { eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type FluxHarness, fluxHarness } from "../testing/harness.js";

// The reserver's deadline to designate candidates, on the real engines: the CAL's CandidatesProposed
// records a designation; the scheduled pass (every second here, under its Redis lock) finds the other
// unit expired once its deadline is over, and only once.

let h: FluxHarness;
beforeAll(async () => {
  h = await fluxHarness("2026-11-22T09:00:00.000Z", { DESIGNATION_CHECK_EVERY_MS: "1000" });
});
afterAll(() => h?.close());

const fixture = JSON.parse(
  readFileSync(new URL("../../../../packages/contracts/fixtures/CandidatesProposed.v1.json", import.meta.url), "utf8"),
);
const BAILLEUR = "org_demo_bailleur_57";
const prefet = { id: "org_demo_ddets_57", nom: "Préfet de la Moselle", type: "prefet_prioritaires" };
const actionLogement = { id: "org_demo_action_logement", nom: "Action Logement Services", type: "action_logement" };
const unit = (rplsId: string): LogementDeclare => ({
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
});
const [A, B] = ["5700000201", "5700000202"] as const;
type Orientation = {
  cible: { reservataireId: string; conventionId: string | null };
  designationAvant: string;
  designation?: { le: string; source: string; enRetard?: boolean };
  designationExpiree?: boolean;
};
const orientationOf = async (rplsId: string) =>
  (await h.call("bailleur57", "GET", `/v1/logements/${rplsId}/orientation`)).body as Orientation[];
const proposal = (rplsId: string, source: string, aggregateId: string, proposeLe = "2026-12-01T10:00:00.000Z") =>
  attributionStream.schema.parse({
    ...fixture,
    eventId: `evt_${rplsId}_${source}`,
    aggregateId,
    payload: {
      ...fixture.payload,
      logement: { ...fixture.payload.logement, rplsId, bailleurId: BAILLEUR },
      libereLe: "2026-11-10",
      source,
      proposeLe,
    },
  });
const expiredEvents = async () =>
  (await h.eventsOn(h.topics.fluxOrientation)).filter((e) => e.type === "UnitDesignationExpired");

describe("the reserver's deadline to designate candidates", () => {
  it("orients two units to reservers with a deadline 30 days after their orientation", async () => {
    for (const [reservataire, pourcentage, fondement] of [
      [prefet, 30, "contingent_legal"],
      [actionLogement, 50, "financement"],
    ] as const) {
      const signed = await h.call("bailleur57", "POST", "/v1/conventions", {
        reservataire,
        departement: "57",
        conditions: {
          pourcentage,
          fondement,
          ventilation: [],
          delaiDesignationJours: 30,
          logementRendu: "compte",
          validFrom: "2026-01-01",
        },
        signeLe: "2025-12-15",
      });
      expect(signed.status, JSON.stringify(signed.body)).toBe(201);
    }
    for (const rplsId of [A, B]) {
      expect((await h.call("bailleur57", "POST", "/v1/logements", unit(rplsId))).status).toBeLessThan(300);
      const freed = await h.call("bailleur57", "POST", `/v1/logements/${rplsId}/liberation`, {
        libereLe: "2026-11-10",
        motif: "depart",
      });
      expect(freed.status, JSON.stringify(freed.body)).toBe(202);
      await eventually(async () => expect(await orientationOf(rplsId)).toHaveLength(1), 30_000);
    }
    expect((await orientationOf(A))[0]).toMatchObject({
      cible: { reservataireId: actionLogement.id },
      designationAvant: "2026-12-22",
    });
    expect((await orientationOf(B))[0]).toMatchObject({
      cible: { reservataireId: prefet.id },
      designationAvant: "2026-12-22",
    });
  });

  it("records the reserver's candidates proposed in the CAL as its designation, once; the landlord's own designate nothing", async () => {
    const key = `att_${A}_2026-11-10`;
    // On one partition (one key), in order: once A's designation shows, B's proposal was handled too.
    await h.platform.producer.publish(h.platform.topic(topics.calAttribution), [
      { envelope: proposal(B, "bailleur", key) },
      { envelope: proposal(A, "reservataire", key) },
      { envelope: proposal(A, "reservataire", key) },
    ]);
    await eventually(async () => {
      expect((await orientationOf(A))[0]?.designation).toEqual({ le: "2026-12-01", source: "reservataire" });
    }, 30_000);
    expect((await orientationOf(B))[0]?.designation).toBeUndefined();
  });

  it("leaves the reserver its last day, then finds the undesignated unit expired, once; it still counts for the reserver", async () => {
    h.clock.set("2026-12-22T22:00:00.000Z"); // 23:00 in Paris: the last day
    expect(await h.uc.orientation.expireDue()).toBe(0);

    h.clock.set("2026-12-23T08:00:00.000Z");
    const [event] = await eventually(async () => {
      const found = await expiredEvents();
      expect(found).toHaveLength(1);
      return found;
    }, 30_000);
    expect(event?.payload).toMatchObject({
      rplsId: B,
      libereLe: "2026-11-10",
      designationAvant: "2026-12-22",
      cible: { reservataireId: prefet.id },
      constateLe: "2026-12-23T08:00:00.000Z",
    });
    // More passes, two at once, and the job's own run: nothing more.
    expect(await Promise.all([h.uc.orientation.expireDue(), h.uc.orientation.expireDue()])).toEqual([0, 0]);
    expect((await orientationOf(B))[0]).toMatchObject({ designationExpiree: true });
    expect((await orientationOf(A))[0]?.designationExpiree).toBeUndefined();

    const returned = await h.call("bailleur57", "POST", `/v1/logements/${B}/restitution`, { renduLe: "2026-12-23" });
    expect(returned.status).toBe(409);
    expect(returned.body.error).toMatchObject({ field: "rplsId" });
    expect(returned.body.error.message).toMatch(/délai de désignation .* a expiré/);

    const bilan = await h.call("bailleur57", "GET", "/v1/bilans?departement=57&annee=2026");
    const line = (id: string) => bilan.body.lignes.find((l: { reservataireId: string }) => l.reservataireId === id);
    expect(line(prefet.id)).toMatchObject({ orientes: 1 });
    expect(line(actionLogement.id)).toMatchObject({ orientes: 1 });
    expect(await expiredEvents()).toHaveLength(1);
  });

  it("records a designation arriving after the expiry, shown late; the unit still counts for the reserver", async () => {
    const key = `att_${B}_2026-11-10`;
    await h.platform.producer.publish(h.platform.topic(topics.calAttribution), [
      { envelope: proposal(B, "prefet_dalo", key, "2026-12-24T09:00:00.000Z") },
    ]);
    await eventually(async () => {
      expect((await orientationOf(B))[0]).toMatchObject({
        designationExpiree: true,
        designation: { le: "2026-12-24", source: "prefet_dalo", enRetard: true },
      });
    }, 30_000);
    h.clock.set("2026-12-26T08:00:00.000Z");
    expect(await h.uc.orientation.expireDue()).toBe(0);
    expect(await expiredEvents()).toHaveLength(1);
    const bilan = await h.call("bailleur57", "GET", "/v1/bilans?departement=57&annee=2026");
    const line = (id: string) => bilan.body.lignes.find((l: { reservataireId: string }) => l.reservataireId === id);
    expect(line(prefet.id)).toMatchObject({ orientes: 1, rendus: 0 });
    expect((await orientationOf(A))[0]?.designation?.enRetard).toBeUndefined();
  });
});

import { readFileSync } from "node:fs";
import { attributionStream, topics } from "@logis/contracts";
import { demandFormInput, eventually } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegisterInput } from "../app/register-demand.js";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness();
});
afterAll(async () => {
  await h.close();
});

const fixture = JSON.parse(
  readFileSync(new URL("../../../../packages/contracts/fixtures/LeaseSigned.v1.json", import.meta.url), "utf8"),
);

describe("a lease signed in the CAL radiates the demand for attribution (issue 12's effect on registration)", () => {
  it("RADATT with the R441-2-9 data of the lease; a redelivered event changes nothing", async () => {
    const { demand } = await h.uc.registerDemand(
      h.caller("guichet"),
      RegisterInput.parse({
        demande: demandFormInput({ cotitulaire: undefined }),
        pieces: { recues: [{ piece: "PIECE_IDENTITE", personne: "demandeur" }] },
      }),
    );
    const lease = attributionStream.schema.parse({
      ...fixture,
      payload: { ...fixture.payload, demandId: demand.id, numeroUnique: demand.numeroUnique, departement: "69" },
    });
    await h.platform.producer.publish(h.platform.topic(topics.calAttribution), [{ envelope: lease }]);
    const radiated = await eventually(async () => {
      const d = await h.deps.demands.get(demand.id);
      expect(d?.status).toBe("radiated");
      return d;
    }, 30_000);
    expect(radiated?.radiation).toMatchObject({
      motif: "RADATT",
      attribution: { rplsId: "5700012345", contingent: "PPRIOR", dalo: false, bailleur: "org_demo_bailleur" },
      commentaire: "Bail signé le 20/12/2026 (logement 5700012345)",
    });

    // Delivered again (a relay's re-send), then a lease of another household on the same key (same
    // partition, so handled after the re-send): once that one is radiated, the first demand must
    // still be as it was.
    const other = (
      await h.uc.registerDemand(
        h.caller("guichet"),
        RegisterInput.parse({
          demande: demandFormInput({
            cotitulaire: undefined,
            demandeur: { ...demandFormInput().demandeur, nom: "Autre", nir: undefined },
          }),
          pieces: { recues: [{ piece: "PIECE_IDENTITE", personne: "demandeur" }] },
        }),
      )
    ).demand;
    const next = attributionStream.schema.parse({
      ...lease,
      eventId: "evt_fixtureleasesigned2",
      payload: { ...lease.payload, demandId: other.id, numeroUnique: other.numeroUnique },
    });
    await h.platform.producer.publish(h.platform.topic(topics.calAttribution), [
      { envelope: lease },
      { envelope: next },
    ]);
    await eventually(async () => expect((await h.deps.demands.get(other.id))?.status).toBe("radiated"), 30_000);
    expect((await h.deps.demands.get(demand.id))?.version).toBe(radiated?.version);
  });
});

import { entryEnvelope, type OutboxEntry } from "@logis/outbox";
import { demandFormInput } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { UpdateInput } from "../../app/change-demand.js";
import { RegisterInput } from "../../app/register-demand.js";
import { type RegistrationHarness, registrationHarness } from "../../testing/harness.js";

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness();
});
afterAll(async () => {
  await h.close();
});

// FerretDB v1 applies concurrent conditional updates of one document non-atomically (decision
// 0005); these tests fail without the per-demand lock held by every writer.
describe("concurrent writers of one demand (real database, Redis locks)", () => {
  const register = async (nom: string) =>
    (
      await h.uc.registerDemand(
        h.caller("guichet"),
        RegisterInput.parse({
          demande: demandFormInput({
            cotitulaire: undefined,
            demandeur: { ...demandFormInput().demandeur, nom, nir: undefined },
          }),
        }),
      )
    ).demand;

  it("20 desks saving the same version: exactly one wins, the others get 409 STALE_VERSION", async () => {
    const d = await register("Concurrence");
    const form = { ...(d.form as object), sensible: {} };
    const outcomes = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        h.uc.updateDemand(
          h.caller("guichet"),
          d.numeroUnique,
          UpdateInput.parse({
            expectedVersion: d.version,
            motif: `modification ${i}`,
            demande: { ...form, logementActuel: { modele: "CPE", nombreOccupants: 2 + i } },
          }),
        ),
      ),
    );
    expect(outcomes.filter((o) => o.status === "fulfilled")).toHaveLength(1);
    const rejected = outcomes.filter((o): o is PromiseRejectedResult => o.status === "rejected");
    expect(rejected.map((r) => (r.reason as { reason?: string }).reason)).toEqual(Array(19).fill("STALE_VERSION"));
    const doc = await h.db.collection("demands").findOne({ numeroUnique: d.numeroUnique });
    expect(doc?.version).toBe(2);
    expect(doc?.outbox.map((e: OutboxEntry) => entryEnvelope(e).type)).toEqual(["DemandRegistered", "DemandUpdated"]);
  });

  it("updates racing the relay's acknowledgements lose no event", async () => {
    const { relay, stop } = await h.startRelay({ idleMs: 1 });
    const d = await register("Course");
    let version = d.version;
    for (let i = 0; i < 25; i++) {
      const current = await h.uc.getDemand(h.caller("sensible"), d.numeroUnique);
      const saved = await h.uc.updateDemand(
        h.caller("sensible"),
        d.numeroUnique,
        UpdateInput.parse({
          expectedVersion: version,
          motif: `ressources ${i}`,
          demande: {
            ...(current.form as object),
            logementActuel: { modele: "CPE", nombreOccupants: 3 + (i % 20), loyerMensuel: 100 + i },
          },
        }),
      );
      version = saved.version;
    }
    await relay.flush();
    await stop();
    const versions = (await h.demandEventsOf(d.id)).map((e) => e.aggregateVersion);
    expect([...new Set(versions)].sort((a, b) => a - b)).toEqual(Array.from({ length: 26 }, (_, i) => i + 1));
  });
});

import { demandFormInput } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegisterInput } from "../../app/register-demand.js";
import { type RegistrationHarness, registrationHarness } from "../../testing/harness.js";

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness();
});
afterAll(async () => {
  await h.close();
});

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

describe("pending events signalled in Redis instead of marker documents", () => {
  it("a registration writes no marker; its event leaves through the signal, which is then removed", async () => {
    const d = await register("Signal");
    expect(await h.db.collection("demands_outbox").countDocuments()).toBe(0);
    expect(await h.signals.pending("demands", 10)).toEqual([d.id]);
    const { relay, stop } = await h.startRelay();
    await relay.flush();
    await stop();
    expect((await h.demandEventsOf(d.id)).map((e) => e.type)).toEqual(["DemandRegistered"]);
    expect(await h.signals.pending("demands", 10)).toEqual([]);
    const doc = await h.db.collection("demands").findOne({ _id: d.id as never });
    expect([doc?.outbox, doc?.outboxAt]).toEqual([[], undefined]);
  });

  it("ids taken by a tick that failed before acknowledging are read again by the next tick", async () => {
    const d = await register("Reprise");
    let failures = 0;
    const { relay, stop } = await h.startRelay({
      afterPublish: () => {
        if (failures++ === 0) throw new Error("simulated failure between publish and acknowledgement");
      },
    });
    // The first tick (the background loop's or flush's) fails after publishing; its ids are gone
    // from Redis, so only the retry of the taken ids can acknowledge the document.
    await relay.flush().catch(() => relay.flush());
    await stop();
    expect(failures).toBeGreaterThan(1);
    expect(await h.signals.pending("demands", 10)).toEqual([]);
    const types = (await h.demandEventsOf(d.id)).map((e) => e.type);
    // At least once: the failed tick had published already, so the event is there once or twice.
    expect(new Set(types)).toEqual(new Set(["DemandRegistered"]));
    const doc = await h.db.collection("demands").findOne({ _id: d.id as never });
    expect(doc?.outbox).toEqual([]);
  });

  it("an acknowledgement that fails after publishing (the database restarting): the retry acknowledges without sending again", async () => {
    const d = await register("Marque");
    let failures = 0;
    const { relay, stop } = await h.startRelay({
      afterPublish: () => {
        if (failures++ === 0) throw new Error("simulated database failure before the acknowledgement");
      },
    });
    await relay.flush().catch(() => relay.flush());
    await stop();
    expect(failures).toBeGreaterThan(1);
    // Exactly once: the first tick's publication was remembered in Redis, the retry only acknowledged.
    const events = await h.demandEventsOf(d.id);
    expect(events.map((e) => e.type)).toEqual(["DemandRegistered"]);
    const doc = await h.db.collection("demands").findOne({ _id: d.id as never });
    expect(doc?.outbox).toEqual([]);
    // Acknowledged: its mark is gone.
    expect(await h.platform.published.published(events.map((e) => e.eventId))).toEqual(new Set());
  });

  it("a lost signal (a crash right after the write) is repaired by the relay's scan at start", async () => {
    const d = await register("Perdu");
    await h.signals.remove("demands", [d.id]);
    const { relay, stop } = await h.startRelay();
    await relay.flush();
    await stop();
    expect((await h.demandEventsOf(d.id)).map((e) => e.type)).toEqual(["DemandRegistered"]);
  });
});

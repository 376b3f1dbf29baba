import { duplicateStream } from "@logis/contracts";
import { entryEnvelope, type OutboxEntry } from "@logis/outbox";
import { demandFormInput } from "@logis/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistrationHarness, registrationHarness } from "../testing/harness.js";
import { RegisterInput } from "./register-demand.js";

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness();
});
afterAll(async () => {
  await h.close();
});

const household = (nom: string, prenom: string, dateNaissance: string) =>
  RegisterInput.parse({
    demande: demandFormInput({
      cotitulaire: undefined,
      demandeur: { ...demandFormInput().demandeur, nom, prenom, dateNaissance, nir: undefined },
    }),
  });

describe("scan of the whole stock for suspected duplicates", () => {
  it("finds near-duplicates across desks, skips pairs declared distinct, reports progress and emits DuplicateSuspected", async () => {
    const desk = h.caller("guichet");
    const benali = await h.uc.registerDemand(desk, household("Benali", "Nadia", "1979-05-02"));
    // Typed in a hurry at another desk, two letters swapped in both names: no near-name block in
    // common, so registration did not show it; the scan compares everyone born the same day.
    const benalli = await h.uc.registerDemand(desk, household("Ebnali", "Andia", "1979-05-02"));
    await h.uc.registerDemand(desk, household("Morel", "Julie", "1990-10-10"));
    const twin = await h.uc.registerDemand(desk, household("Morel", "Julie", "1990-10-10")).catch((e) => e);
    expect(twin.reason).toBe("POSSIBLE_DUPLICATE"); // exact match: caught at registration
    const distinct = await h.uc.registerDemand(desk, {
      ...household("Morel", "Julie", "1990-10-10"),
      doublons: {
        decision: "distinct",
        examines: twin.context.details.candidats.map((c: { numeroUnique: string }) => c.numeroUnique),
      },
    });
    expect(distinct.outcome).toBe("registered");

    const { id, done } = await h.scans.start(desk, "69");
    const running = await h.uc.getDuplicateScan(desk, id);
    expect(["running", "done"]).toContain(running.status);
    await done;
    const result = await h.uc.getDuplicateScan(desk, id);
    expect(result).toMatchObject({
      status: "done",
      departement: "69",
      progress: { processed: 4, total: 4 },
      avancement: { faites: 4, total: 4, pourcentage: 100 },
      nombrePaires: 1,
    });
    expect(result.avancement).not.toHaveProperty("finEstimee");
    expect(result.pairs[0]).toMatchObject({
      score: 0.75,
      raisons: ["nom et prénom proches, même date de naissance (demandeur / demandeur)"],
    });
    expect([result.pairs[0]?.a.numeroUnique, result.pairs[0]?.b.numeroUnique].sort()).toEqual(
      [benali.demand.numeroUnique, benalli.demand.numeroUnique].sort(),
    );

    const job = await h.scans.jobs.collection.findOne({ _id: id });
    const events = ((job as { outbox?: OutboxEntry[] } | null)?.outbox ?? []).map((e) =>
      duplicateStream.schema.parse(entryEnvelope(e as OutboxEntry)),
    );
    expect(events).toHaveLength(1);
    expect(events[0]?.payload).toMatchObject({ departement: "69", score: 0.75, source: "stock-scan" });

    // A scan whose process died: still "running", no heartbeat for more than two minutes.
    await h.scans.jobs.collection.updateOne(
      { _id: id },
      { $set: { status: "running", heartbeatAt: new Date(h.clock.now().getTime() - 3 * 60_000) } },
    );
    expect(await h.uc.getDuplicateScan(desk, id)).toMatchObject({
      status: "interrupted",
      error: expect.stringContaining("relancez"),
    });

    const elsewhere = {
      ...h.caller("guichet"),
      principal: { ...h.caller("guichet").principal, territories: { departements: ["75"], epcis: [] } },
    };
    await expect(h.uc.getDuplicateScan(elsewhere, id)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(h.scans.start(elsewhere, "69")).rejects.toMatchObject({ code: "FORBIDDEN" });
  });
});

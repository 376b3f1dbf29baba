import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { RegisterInput } from "../../app/register-demand.js";
import { demandFormInput } from "../../testing/forms.js";
import { type RegistrationHarness, registrationHarness } from "../../testing/harness.js";

let h: RegistrationHarness;
beforeAll(async () => {
  h = await registrationHarness();
});
afterAll(async () => {
  await h.close();
});

describe("documents stored before decision 0008 (nested form and history)", () => {
  it("stay readable, and are rewritten once so that the search by commune finds them", async () => {
    const { demand } = await h.uc.registerDemand(
      h.caller("guichet"),
      RegisterInput.parse({
        demande: demandFormInput({ souhaits: { typologies: ["T3"], communes: ["69381", "69123"] } }),
      }),
    );
    const demands = h.db.collection("demands");
    const stored = await demands.findOne({ _id: demand.id as never });
    expect(typeof stored?.form).toBe("string");
    // The shape written by the previous version: sub-documents, no derived `communes`.
    await demands.updateOne({ _id: demand.id as never }, {
      $set: { form: JSON.parse(stored?.form), history: JSON.parse(stored?.history) },
      $unset: { communes: "" },
    } as never);

    const search = () => h.call("guichet", "GET", `/v1/demandes?commune=69381&numeroUnique=${demand.numeroUnique}`);
    expect((await search()).body.total).toBe(0);
    const read = await h.call("guichet", "GET", `/v1/demandes/${demand.numeroUnique}`);
    expect(read.status).toBe(200);
    expect(read.body.form.souhaits.communes).toEqual(["69381", "69123"]);

    expect(await h.demands.migrateStorage()).toBe(1);
    const after = await demands.findOne({ _id: demand.id as never });
    expect([typeof after?.form, typeof after?.history, after?.communes]).toEqual([
      "string",
      "string",
      ["69381", "69123"],
    ]);
    expect((await search()).body.total).toBe(1);
    // Once: the migration is recorded and does not scan again.
    expect(await h.demands.migrateStorage()).toBe(0);
  });
});

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
    // A database from before the migration: the service ran it at start on an empty database.
    await h.db.collection("schema_migrations").deleteOne({ _id: "demands-json-text-0008" } as never);
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

  it("demands registered before the near-name keys get them once, and a typo is then shown", async () => {
    const person = (nom: string) =>
      RegisterInput.parse({
        demande: demandFormInput({
          demandeur: {
            ...demandFormInput().demandeur,
            nom,
            prenom: "Karim",
            dateNaissance: "1981-07-14",
            nir: undefined,
          },
          cotitulaire: undefined,
        }),
      });
    const { demand } = await h.uc.registerDemand(h.caller("guichet"), person("Benali"));
    // As stored before the near-name keys: neither in the demand's keys nor in the key table.
    const demands = h.db.collection("demands");
    const stored = await demands.findOne({ _id: demand.id as never });
    const keys = (stored?.searchKeys ?? []) as string[];
    const nearKeys = keys.filter((k) => /^(nb|pb):/.test(k));
    expect(nearKeys).toEqual(["nb:BEN|1981-07-14", "pb:KAR|1981-07-14"]);
    await demands.updateOne({ _id: demand.id as never }, {
      $set: { searchKeys: keys.filter((k) => !nearKeys.includes(k)) },
    } as never);
    await h.db.collection("demand_keys").deleteMany({ _id: { $in: nearKeys.map((k) => `69|${k}`) } } as never);
    await h.db.collection("schema_migrations").deleteOne({ _id: "demand-keys-near-names" } as never);

    // Looking for the duplicates of a form registers nothing: only the migrated demand can match.
    const typo = async () =>
      (await h.uc.checkDuplicates(h.caller("guichet"), person("Benalli").demande)).candidats.map((c) => c.numeroUnique);
    expect(await typo()).toEqual([]); // the gap the migration closes
    expect(await h.demands.migrateKeys()).toBeGreaterThanOrEqual(1);
    expect(await typo()).toEqual([demand.numeroUnique]);
    expect(await h.demands.migrateKeys()).toBe(0);
  });

  it("demands whose names have a ligature get the keys of the name spelt out, once (issue 15)", async () => {
    const person = (nom: string, prenom: string) =>
      RegisterInput.parse({
        demande: demandFormInput({
          demandeur: { ...demandFormInput().demandeur, nom, prenom, dateNaissance: "1979-03-08", nir: undefined },
          cotitulaire: undefined,
        }),
      });
    const { demand } = await h.uc.registerDemand(h.caller("guichet"), person("Cœur", "Lætitia"));
    // As stored before issue 15, when "Cœur" compared as "CUR" and "Lætitia" as "LTITIA".
    const demands = h.db.collection("demands");
    const stored = await demands.findOne({ _id: demand.id as never });
    const keys = (stored?.searchKeys ?? []) as string[];
    const spelt = keys.filter((k) => /COEUR|LAETITIA|COE|LAE/.test(k));
    expect(spelt.length).toBeGreaterThan(0);
    expect(stored?.noms).toEqual(["COEUR"]);
    await demands.updateOne({ _id: demand.id as never }, {
      $set: {
        searchKeys: keys.map((k) => k.replace("COEUR", "CUR").replace("LAETITIA", "LTITIA")),
        noms: ["CUR"],
      },
    } as never);
    await h.db.collection("demand_keys").deleteMany({ _id: { $in: spelt.map((k) => `69|${k}`) } } as never);
    await h.db.collection("schema_migrations").deleteOne({ _id: "demand-keys-transliteration" } as never);

    const typedPlainly = async () =>
      (await h.uc.checkDuplicates(h.caller("guichet"), person("Coeur", "Laetitia").demande)).candidats.map(
        (c) => c.numeroUnique,
      );
    expect(await typedPlainly()).toEqual([]); // the gap the migration closes
    expect(await h.demands.migrateKeys()).toBeGreaterThanOrEqual(1);
    expect(await typedPlainly()).toEqual([demand.numeroUnique]);
    expect((await demands.findOne({ _id: demand.id as never }))?.noms).toEqual(["COEUR"]);
    expect(await h.demands.migrateKeys()).toBe(0);
  });
});

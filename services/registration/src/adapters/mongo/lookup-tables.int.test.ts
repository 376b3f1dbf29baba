import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RegistrationHarness, registrationHarness } from "../../testing/harness.js";
import { lookupTables } from "./lookup-tables.js";

let h: RegistrationHarness;
let tables: ReturnType<typeof lookupTables>;
beforeAll(async () => {
  h = await registrationHarness();
  tables = lookupTables(h.db, h.lock);
});
afterAll(async () => {
  await h.close();
});

// Keys are added by inserting slot documents, without locks: concurrent writers of one key must
// all end up findable (an upsert race on FerretDB v1 could lose one, decision 0005).
describe("duplicate keys as chains of inserted slots (real database)", () => {
  it("twelve concurrent writers of one key: every id is found, and adding again changes nothing", async () => {
    const ids = Array.from({ length: 12 }, (_, i) => `dem_${i}`);
    await Promise.all(
      ids.map((demandId) => tables.addKeys([{ departement: "69", demandId, keys: ["np:dupont|aicha|1988-04-12"] }])),
    );
    expect((await tables.idsFor("69", ["np:dupont|aicha|1988-04-12"])).sort()).toEqual([...ids].sort());
    const slots = await tables.keys.countDocuments();
    await tables.addKeys(
      ids.map((demandId) => ({ departement: "69", demandId, keys: ["np:dupont|aicha|1988-04-12"] })),
    );
    expect(await tables.keys.countDocuments()).toBe(slots);
    expect(await tables.idsFor("13", ["np:dupont|aicha|1988-04-12"])).toEqual([]);
  });

  it("reads documents written before slots existed, and removes an id from whichever slot holds it", async () => {
    await tables.keys.insertOne({ _id: "69|nir:188047512345654", ids: ["dem_old1", "dem_old2"] });
    await tables.addKeys([{ departement: "69", demandId: "dem_new", keys: ["nir:188047512345654"] }]);
    expect((await tables.idsFor("69", ["nir:188047512345654"])).sort()).toEqual(["dem_new", "dem_old1", "dem_old2"]);
    await tables.removeKeys("69", "dem_new", ["nir:188047512345654"]);
    await tables.removeKeys("69", "dem_old1", ["nir:188047512345654"]);
    expect(await tables.idsFor("69", ["nir:188047512345654"])).toEqual(["dem_old2"]);
  });
});

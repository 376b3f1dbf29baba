import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { UnitAssignedToReserver, UnitFreed } from "./events.js";

const fixture = (name: string) =>
  JSON.parse(readFileSync(fileURLToPath(new URL(`../../fixtures/${name}.v1.json`, import.meta.url)), "utf8"));

describe("the PLAI-adapté unit fact (added to v1, optional)", () => {
  it.each([
    ["UnitFreed", UnitFreed],
    ["UnitAssignedToReserver", UnitAssignedToReserver],
  ] as const)("%s: an event written before it still parses, without the flag; a new one keeps it", (name, schema) => {
    const old = fixture(name);
    expect("plaiAdapte" in old.payload.logement).toBe(false);
    const before = schema.schema.parse(old);
    expect(before.payload.logement.plaiAdapte).toBeUndefined();
    const withFlag = { ...old, payload: { ...old.payload, logement: { ...old.payload.logement, plaiAdapte: true } } };
    expect(schema.schema.parse(withFlag).payload.logement.plaiAdapte).toBe(true);
    const bad = { ...old, payload: { ...old.payload, logement: { ...old.payload.logement, plaiAdapte: "oui" } } };
    expect(schema.schema.safeParse(bad).error?.issues[0]?.message).toBe("PLAI adapté : indiquez oui ou non");
  });
});

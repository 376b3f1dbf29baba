import { describe, expect, it } from "vitest";
import { legalParametersAt } from "../domain/legal-parameters.js";
import { loadLegalParameters } from "./legal-parameters-file.js";

describe("the legal parameters file", () => {
  it("the shipped file parses: préfet 30 % of which 5 % State agents, collectivities' guarantees 20 %", async () => {
    const file = await loadLegalParameters();
    const set = legalParametersAt(file, "2026-06-01");
    expect(set.ok && set.value.plafonds.map((p) => [p.code, p.plafond])).toEqual([
      ["PREFET", 30],
      ["PREFET_AGENTS", 5],
      ["COLLECTIVITES_GARANTIE", 20],
    ]);
    expect(set.ok && set.value.sources.length).toBeGreaterThan(0);
  });
});

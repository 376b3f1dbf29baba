import { describe, expect, it } from "vitest";
import { parametres } from "./fixtures.js";
import { LegalParameters, legalParametersAt } from "./legal-parameters.js";

describe("versioned legal parameters", () => {
  it("picks the set in force on a day, both ends of validity included", () => {
    const at = (day: string) => {
      const r = legalParametersAt(parametres, day);
      return r.ok ? r.value.id : r.error.reason;
    };
    expect(at("2020-02-20")).toBe("flux-test");
    expect(at("2029-12-31")).toBe("flux-test");
    expect(at("2030-01-01")).toBe("flux-test-2030");
    expect(at("2045-06-01")).toBe("flux-test-2030");
    expect(at("2019-12-31")).toBe("NO_LEGAL_PARAMETERS");
  });

  it("refuses overlapping sets, naming both", () => {
    const [first, second] = parametres.versions;
    const overlapping = { versions: [{ ...first, validTo: "2030-06-30" }, second] };
    const parsed = LegalParameters.safeParse(overlapping);
    expect(parsed.error?.issues[0]?.message).toMatch(/flux-test et flux-test-2030 se chevauchent/);
  });
});

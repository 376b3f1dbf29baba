import { describe, expect, it } from "vitest";
import { Motif, Nir, Ressources } from "./demand.js";

describe("demand form rules", () => {
  it("checks the NIR key (97 − number mod 97), including Corsica", () => {
    expect(Nir.safeParse("2 88 04 75 123 456 54").success).toBe(true);
    expect(Nir.safeParse("288047512345655").error?.issues[0]?.message).toBe("clé du NIR incorrecte");
    expect(Nir.safeParse("12345").error?.issues[0]?.message).toBe("NIR attendu : 15 caractères");
  });

  it("accepts amounts in cents even after floating-point arithmetic, and refuses fractions of a cent", () => {
    const ok = Ressources.parse({ mensuelles: [{ type: "AF", montant: 148.52 * 2 }] });
    expect(ok.mensuelles[0]?.montant).toBe(297.04);
    expect(Ressources.safeParse({ mensuelles: [{ type: "SAL", montant: 1200.005 }] }).success).toBe(false);
  });

  it("requires a precision for motif 23 (autre motif)", () => {
    expect(Motif.safeParse({ code: "23" }).error?.issues[0]?.path).toEqual(["precision"]);
    expect(Motif.safeParse({ code: "23", precision: "local commercial" }).success).toBe(true);
  });
});

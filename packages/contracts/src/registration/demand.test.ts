import { describe, expect, it } from "vitest";
import { Demandeur, Motif, Nir, PersonneACharge, Ressources } from "./demand.js";

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

  it("refuses names made only of NUL, right-to-left override or zero-width characters, naming the field", () => {
    const person = {
      nom: "Dupont",
      prenom: "Aïcha",
      dateNaissance: "1988-04-12",
      situationFamiliale: "C",
      situationProfessionnelle: { typeContrat: "CDI" },
    };
    for (const bad of [
      "\u0000",
      "\u0000\u0000",
      "\u202E",
      "\u202E\u202D",
      "\u200B",
      "\u200B\u200C\u200D",
      "\uFEFF\u2060",
      "\u00AD",
    ]) {
      for (const field of ["nom", "prenom", "nomNaissance"] as const) {
        const parsed = Demandeur.safeParse({ ...person, [field]: bad });
        expect(parsed.success, `${field} ${JSON.stringify(bad)}`).toBe(false);
        expect(parsed.error?.issues[0]?.path).toEqual([field]);
      }
      expect(
        PersonneACharge.safeParse({ nom: bad, prenom: "Léa", dateNaissance: "2015-01-01", lienParente: "E" }).error
          ?.issues[0]?.path,
      ).toEqual(["nom"]);
    }
    // Hidden characters inside a name (a name displayed as another) are refused too.
    expect(Demandeur.safeParse({ ...person, nom: "Dup\u200Bont" }).success).toBe(false);
    expect(Demandeur.safeParse({ ...person, nom: "Dupont\u202Eeugnam" }).success).toBe(false);
    expect(Demandeur.safeParse({ ...person, nom: "Dupont\u0000" }).success).toBe(false);
    for (const good of ["N'Diaye", "Lefèvre-Dubois", "de La Tour d'Auvergne", "Ødegård", "Nguyễn", "Łukasz"])
      expect(Demandeur.safeParse({ ...person, nom: good }).success, good).toBe(true);
  });
});

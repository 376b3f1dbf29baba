import { describe, expect, it } from "vitest";
import { loadGuichets } from "../adapters/files/guichets.js";
import { GuichetsFile, guichetDirectory } from "./guichets.js";

const entry = (validFrom: string, rue: string) => ({
  numero: "069000123",
  validFrom,
  nom: "Guichet Lyon Métropole Habitat",
  adresse: { lignes: [rue], codePostal: "69003", commune: "Lyon" },
  telephone: "04 65 71 01 23",
  courriel: "demande-logement@lmh-demo.example",
});

describe("the desks' contact details (config/guichets.json)", () => {
  it("gives the entry in force on the Paris day, the latest validFrom first reached", () => {
    // Listed out of order on purpose: the directory sorts each desk's versions.
    const find = guichetDirectory({
      guichets: [entry("2027-01-01", "2 rue Neuve"), entry("2015-03-23", "1 rue Ancienne")],
    });
    // 31 Dec at 23:30 UTC is already 1 Jan in Paris: the new address.
    expect(find("069000123", new Date("2026-12-31T23:30:00Z"))?.adresse.lignes).toEqual(["2 rue Neuve"]);
    expect(find("069000123", new Date("2026-12-31T22:30:00Z"))?.adresse.lignes).toEqual(["1 rue Ancienne"]);
    expect(find("069000123", new Date("2010-01-01T12:00:00Z"))).toBeUndefined();
    expect(find("035000001", new Date("2026-06-01T12:00:00Z"))).toBeUndefined();
  });

  it("refuses a malformed entry, naming the field and the rule", () => {
    const bad = GuichetsFile.safeParse({ guichets: [{ ...entry("2015-03-23", "1 rue"), telephone: "0465710123" }] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["guichets.0.telephone", "un numéro de téléphone écrit 0X XX XX XX XX"],
    ]);
  });

  it("the shipped file lists the demo desks, with every detail the attestation prints", () => {
    const find = loadGuichets();
    for (const numero of ["069000123", "057000001"]) {
      const g = find(numero, new Date("2026-11-30T10:00:00Z"));
      expect(g?.telephone).toMatch(/^0\d( \d{2}){4}$/);
      expect(g?.courriel).toContain("@");
      expect(g?.adresse.lignes.length).toBeGreaterThan(0);
    }
  });
});

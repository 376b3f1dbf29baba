import { describe, expect, it } from "vitest";
import type { QuotasView } from "../app/quotas.js";
import { quotasCsv } from "./quotas-csv.js";

const suivi = (numerateur: number, denominateur: number, taux: number | undefined, cible: number) => ({
  numerateur,
  denominateur,
  ...(taux === undefined ? {} : { taux }),
  cible,
  etat: "atteint" as const,
});

const view: QuotasView = {
  filtres: { departement: "57", annee: 2026 },
  periode: { du: "2026-01-01", au: "2026-07-01" },
  referentiel: "2026-01",
  epcis: [
    {
      epci: "200039865",
      libelle: "@Metz Métropole",
      q1HorsQpv: suivi(6, 15, 40, 25),
      autresQuartilesEnQpv: suivi(0, 0, undefined, 50),
      prioritairesParReservataire: [{ reservataireId: "org_al", ...suivi(2, 8, 25, 25) }],
    },
  ],
  avertissements: [],
  bilansFlux: [
    {
      bailleurId: "org_demo_bailleur_57",
      departement: "57",
      annee: 2026,
      fluxBrut: 1,
      soustraits: {},
      cloture: false,
      lignes: [
        {
          reservataireId: "org_al",
          codeSne: "COLACT",
          type: "action-logement",
          report: 0,
          du: 2.5,
          orientes: 1,
          rendus: 0,
          rendusComptes: 0,
          designationsEchues: 0,
          attribues: 0,
          ecart: 1.5,
        },
      ],
    },
  ],
};

describe("the legal quotas as CSV for French spreadsheets", () => {
  it("is the bytes a French spreadsheet opens: BOM, ';', CRLF, dd/mm/yyyy, decimal comma, labels beside codes", () => {
    const bytes = Buffer.from(quotasCsv(view, new Date("2026-07-01T22:30:00Z")), "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.subarray(3).toString("utf8");
    expect(text.startsWith("Objectifs légaux d'attribution;Année;2026;Du;01/01/2026;Au;01/07/2026\r\n")).toBe(true);
    // Edited at 00:30 in Paris on 2 July: the Paris day.
    expect(text).toContain("Édité le;02/07/2026;Département;57;EPCI;tous;Référentiel;2026-01\r\n");
    // A name that a spreadsheet would run as a formula stays text.
    expect(text).toContain(
      "200039865;'@Metz Métropole;Hors QPV : premier quartile ou relogés ANRU;;6;15;40;25;Atteint\r\n",
    );
    expect(text).toContain("200039865;'@Metz Métropole;En QPV : autres quartiles;;0;0;;50;Atteint\r\n");
    expect(text).toContain("\r\n\r\nAvertissements\r\nAucun objectif en retard à ce jour\r\n");
    expect(text).toContain(
      "org_demo_bailleur_57;57;2026;non;1;org_al;COLACT;Employeurs et Action Logement;0;2,5;1;0;0;0;1,5\r\n",
    );
    expect(text.replace(/\r\n/g, "").includes("\n")).toBe(false);
  });
});

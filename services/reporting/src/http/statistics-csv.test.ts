import { spreadsheetRows } from "@logis/documents";
import { describe, expect, it } from "vitest";
import type { StatisticsView } from "../app/statistics.js";
import { evolveDemandRow } from "../domain/demand-row.js";
import { statistics } from "../domain/statistics.js";
import { territoryOf } from "../domain/territory.js";
import { registered } from "../testing/demand-events.js";
import { csvCell, statisticsCsv } from "./statistics-csv.js";

describe("the statistics as CSV for French spreadsheets", () => {
  it("neutralises formulas, quotes separators, writes decimal commas", () => {
    expect(csvCell('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvCell("+33")).toBe("'+33");
    expect(csvCell("-1")).toBe("'-1");
    expect(csvCell("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(csvCell("Lyon; 3e")).toBe('"Lyon; 3e"');
    expect(csvCell(-2.5)).toBe("-2,5");
    expect(csvCell(621.5)).toBe("621,5");
    expect(csvCell(undefined)).toBe("");
    // Written by @logis/documents' writer (csv-stringify), not by hand: the same cells, the same text.
    expect(csvCell("Lyon; 3e")).toBe(spreadsheetRows([["Lyon; 3e"]]).replace(/\r\n$/, ""));
  });

  it("starts with a BOM, separates with ';', ends lines with CRLF, dates dd/mm/yyyy; a hostile name stays text", () => {
    const territory = territoryOf({
      version: "v1",
      departements: [{ code: "69", nom: "Rhône" }],
      epcis: [{ siren: "200046977", nom: "=cmd|' /C calc'!A0", communes: ["69383"] }],
    });
    const row = evolveDemandRow(undefined, registered({ id: "dem_1", depot: "2026-02-01T08:00:00.000Z" }));
    const s: StatisticsView = {
      filtres: { departement: "69" },
      ...statistics(row ? [row] : [], { du: "2026-01-01", au: "2026-11-29" }, territory),
    };
    const csv = statisticsCsv(s, new Date("2026-11-29T23:30:00Z"));
    // The bytes a spreadsheet reads: the UTF-8 byte-order mark, then UTF-8 (É is C3 89), CRLF.
    const bytes = Buffer.from(csv, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(bytes.includes(Buffer.from("\r\n\xc3\x89dit\xc3\xa9 le;30/11/2026;", "latin1"))).toBe(true);
    expect(csv.startsWith("\uFEFFStatistiques de la demande de logement social;Du;01/01/2026;Au;29/11/2026\r\n")).toBe(
      true,
    );
    expect(csv).toContain("Édité le;30/11/2026;Département;69;EPCI;tous;Référentiel;v1\r\n");
    expect(csv).toContain("Demandes actives au 29/11/2026;1\r\n");
    expect(csv).toContain("200046977;'=cmd|' /C calc'!A0;1;");
    expect(csv).toContain("Attente des demandes actives : médiane (mois);9,9\r\n");
    // Labels next to codes: the national radiation reasons and contingents, in words and code.
    expect(csv).toContain("Radiations : Attribution d'un logement (RADATT);0\r\n");
    expect(csv).toContain(";Radiations : Attribution d'un logement (RADATT);");
    expect(csv.replace(/\r\n/g, "").includes("\n")).toBe(false);
  });
});

describe("inter-landlord exports: statistical secrecy", () => {
  it("counts under the threshold, and the medians and shares over them, are shown as 's'; zeros and larger counts stay", () => {
    const territory = territoryOf({
      version: "v1",
      departements: [{ code: "69", nom: "Rhône" }],
      epcis: [{ siren: "200046977", nom: "Métropole de Lyon", communes: ["69383"] }],
    });
    const rows = [1, 2, 3, 4, 5, 6].flatMap((i) => {
      const row = evolveDemandRow(
        undefined,
        registered({ id: `dem_${i}`, depot: "2026-02-01T08:00:00.000Z", typologie: i === 6 ? "T5" : "T3" }),
      );
      return row ? [row] : [];
    });
    const s: StatisticsView = { filtres: {}, ...statistics(rows, { du: "2026-01-01", au: "2026-11-29" }, territory) };
    const csv = statisticsCsv(s, new Date("2026-11-29T10:00:00Z"), { seuil: 5, symbole: "s" });
    expect(csv).toContain("Effectifs inférieurs à 5 masqués (s)");
    expect(csv).toContain("Demandes actives au 29/11/2026;6\r\n");
    // Five T3 demands are shown; the single T5 demand and its waiting time are not.
    expect(csv).toMatch(/\r\nT3;T3;5;5;0;5;0;/);
    expect(csv).toMatch(/\r\nT5;T5;s;s;0;s;0;0;0;0;0;0;s;s;0;s;0;;;;0;s\r\n/);
    const open = statisticsCsv(s, new Date("2026-11-29T10:00:00Z"));
    expect(open).toMatch(/\r\nT5;T5;1;1;0;1;0;/);
  });
});

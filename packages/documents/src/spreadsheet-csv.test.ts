import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { frenchDay, isoDay, spreadsheetCsv, unneutralise } from "./spreadsheet-csv.js";

describe("CSV for French spreadsheets (issue 15)", () => {
  const file = spreadsheetCsv([
    ["Nom", "Loyer", "Dépôt", "Prioritaire", "Note"],
    ['=HYPERLINK("http://x")', 412.5, new Date("2026-03-15T23:30:00Z"), true, "ligne 1\nligne 2; suite"],
    ["+33 6 12", -3, undefined, false, "@SUM(A1)"],
    ["Cœur « Lætitia »", 1000, null, null, "-2+3"],
  ]);

  it("is UTF-8 with a BOM, `;` between cells and CRLF line ends", () => {
    const bytes = Buffer.from(file, "utf8");
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(file.slice(1).split("\r\n")[0]).toBe("Nom;Loyer;Dépôt;Prioritaire;Note");
    expect(file.endsWith("\r\n")).toBe(true);
  });

  it("writes decimal commas, Paris days as dd/mm/yyyy, oui/non, and quotes what needs it", () => {
    const rows = parse(file, { delimiter: ";", bom: true, record_delimiter: "\r\n" }) as string[][];
    expect(rows[1]).toEqual(['\'=HYPERLINK("http://x")', "412,5", "16/03/2026", "oui", "ligne 1\nligne 2; suite"]);
    expect(rows[3]).toEqual(["Cœur « Lætitia »", "1000", "", "", "'-2+3"]);
  });

  it("neutralises every cell a spreadsheet would run as a formula, and an import can undo it", () => {
    const rows = parse(file, { delimiter: ";", bom: true }) as string[][];
    for (const cell of rows.flat()) expect(cell).not.toMatch(/^[=+@]/);
    expect(rows[2]?.[0]).toBe("'+33 6 12");
    expect(rows[2]?.[4]).toBe("'@SUM(A1)");
    expect(unneutralise("'@SUM(A1)")).toBe("@SUM(A1)");
    expect(unneutralise("'ordinaire")).toBe("'ordinaire");
  });

  it("converts calendar days both ways", () => {
    expect(frenchDay("1980-12-31")).toBe("31/12/1980");
    expect(isoDay("31/12/1980")).toBe("1980-12-31");
    expect(isoDay("1/2/1980")).toBe("1980-02-01");
    expect(isoDay("1980-12-31")).toBe("1980-12-31");
  });
});

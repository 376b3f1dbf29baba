import { stringify } from "csv-stringify/sync";

// CSV that French spreadsheet users open right away (issue 15): `;` between cells (the comma is
// the decimal separator in French), UTF-8 with a byte-order mark (without it Excel reads the file as
// Windows-1252 and breaks the accents), CRLF line ends, dates dd/mm/yyyy, decimal commas, and cells
// that a spreadsheet would run as a formula neutralised. Written by csv-stringify (the csv-parse
// project's writer, maintained), not by hand.

export type Cell = string | number | boolean | Date | null | undefined;

/** The byte-order mark that opens every file. */
export const BOM = "\uFEFF";

/** Characters that make a spreadsheet read a cell as a formula (OWASP "CSV injection"). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A text cell that would start a formula gets a leading apostrophe: shown as text, never run. */
export const neutralise = (text: string): string => (FORMULA_START.test(text) ? `'${text}` : text);

/** Reverses `neutralise` when a file written here is read back (an import of an export). */
export const unneutralise = (text: string): string => (/^'[=+\-@\t\r]/.test(text) ? text.slice(1) : text);

/** One cell as a French spreadsheet reads it. Dates are the Paris civil day, dd/mm/yyyy. */
export function frenchCell(value: Cell): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "boolean") return value ? "oui" : "non";
  if (typeof value === "number") return Number.isFinite(value) ? String(value).replace(".", ",") : "";
  if (value instanceof Date)
    return value.toLocaleDateString("fr-FR", {
      timeZone: "Europe/Paris",
      day: "2-digit",
      month: "2-digit",
      year: "numeric",
    });
  return neutralise(value);
}

/** Rows (the first one the header, say) as CSV text, without the BOM: for streaming, prepend `BOM` once. */
export function spreadsheetRows(rows: readonly (readonly Cell[])[]): string {
  return stringify(
    rows.map((r) => r.map(frenchCell)),
    { delimiter: ";", record_delimiter: "windows", quoted_match: /[";\r\n]/ },
  );
}

/** A whole file: BOM, then the rows. */
export const spreadsheetCsv = (rows: readonly (readonly Cell[])[]): string => BOM + spreadsheetRows(rows);

/** A calendar day `yyyy-mm-dd` as French people write it, `dd/mm/yyyy` (anything else unchanged). */
export const frenchDay = (iso: string | undefined): string | undefined =>
  iso && /^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso;

/** Back from `dd/mm/yyyy` (or `d/m/yyyy`, as a spreadsheet may rewrite it) to `yyyy-mm-dd`; ISO stays ISO. */
export const isoDay = (text: string | undefined): string | undefined => {
  const m = text ? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text.trim()) : null;
  return m ? `${m[3]}-${(m[2] as string).padStart(2, "0")}-${(m[1] as string).padStart(2, "0")}` : text;
};

import { type Cell, spreadsheetCsv, spreadsheetRows } from "@logis/documents";

// CSV that French spreadsheet users open directly, written by @logis/documents' maintained writer
// (csv-stringify): `;` between cells, UTF-8 with a byte-order mark, CRLF line ends, dates dd/mm/yyyy,
// decimal comma, and a text cell that a spreadsheet would read as a formula (=, +, -, @, tab,
// carriage return first) prefixed with an apostrophe (OWASP "CSV injection"): referential names and
// keys are data, never formulas. Each document here is a list of rows, an empty row between tables.

export type { Cell };
export type Row = readonly Cell[];

/** An empty line between two tables of a document. */
export const BLANK: Row = [];

/** One row of a document (the cells as a spreadsheet reads them, written once for the whole file). */
export const csvRow = (cells: readonly Cell[]): Row => cells;

/** The whole file: BOM, then every row. */
export const csvDocument = (rows: readonly Row[]): string => spreadsheetCsv(rows);

/** One cell as it is written in a file (quoted when it holds `;`, `"` or a line end). */
export const csvCell = (value: Cell): string => spreadsheetRows([[value]]).replace(/\r\n$/, "");

/**
 * Statistical secrecy of inter-landlord exports: a count under `seuil` (but above zero) is shown as
 * `symbole`, so that no small group of households can be singled out.
 */
export interface Masque {
  seuil: number;
  symbole: string;
}

export const masked = (value: number | undefined, masque: Masque | undefined): Cell =>
  masque && value !== undefined && value > 0 && value < masque.seuil ? masque.symbole : value;

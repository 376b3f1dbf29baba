// CSV that French spreadsheet users open directly: `;` between cells, UTF-8 with a byte-order mark
// (written by each document), dates dd/mm/yyyy, decimal comma, CRLF line ends. A text cell that a
// spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) is prefixed with an
// apostrophe (OWASP "CSV injection"): referential names and keys are data, never formulas.

export type Cell = string | number | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export const csvCell = (value: Cell): string => {
  const text = value === undefined ? "" : typeof value === "number" ? String(value).replace(".", ",") : value;
  const safe = typeof value === "string" && FORMULA_START.test(text) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};

export const csvRow = (cells: Cell[]) => `${cells.map(csvCell).join(";")}\r\n`;

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

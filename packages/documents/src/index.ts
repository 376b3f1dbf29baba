export { type Block, type PdfDocument, renderPdf } from "./pdf.js";
export {
  BOM,
  type Cell,
  frenchCell,
  frenchDay,
  isoDay,
  neutralise,
  spreadsheetCsv,
  spreadsheetRows,
  unneutralise,
} from "./spreadsheet-csv.js";

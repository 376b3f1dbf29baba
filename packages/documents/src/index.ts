export { type Block, type PdfDocument, renderPdf } from "./pdf.js";

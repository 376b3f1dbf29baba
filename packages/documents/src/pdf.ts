// A small PDF writer for the platform's printable documents (the registration attestation first):
// A4 pages, the standard Helvetica fonts (every PDF reader has them, nothing is embedded), text in
// WinAnsi encoding (French letters, œ, €, typographic quotes), lines wrapped to the page width and
// pages added as the text grows. PDF 1.4, uncompressed: a few kilobytes per page.

export type Block =
  | { kind: "title"; text: string }
  | { kind: "heading"; text: string }
  | { kind: "paragraph"; text: string; size?: number }
  | { kind: "fields"; rows: readonly (readonly [string, string])[] }
  | { kind: "list"; items: readonly string[] }
  | { kind: "space"; points?: number };

export interface PdfDocument {
  title: string;
  /** Who made it (the PDF's Producer and Author entries). */
  author?: string;
  /** The document's date (the PDF's CreationDate). */
  createdAt?: Date;
  blocks: readonly Block[];
  /** A line at the foot of every page, before "page n / N". */
  footer?: string;
}

const PAGE = { width: 595.28, height: 841.89, margin: 56 };
const LINE = 1.35;

// Helvetica's advance widths (AFM, 1/1000 em) for ASCII 32–126; other letters are taken as "n".
const WIDTHS = [
  278, 278, 355, 556, 556, 889, 667, 191, 333, 333, 389, 584, 278, 333, 278, 278, 556, 556, 556, 556, 556, 556, 556,
  556, 556, 556, 278, 278, 584, 584, 584, 556, 1015, 667, 667, 722, 722, 667, 611, 778, 722, 278, 500, 667, 556, 833,
  722, 778, 667, 778, 722, 667, 611, 722, 667, 944, 667, 667, 611, 278, 278, 278, 469, 556, 333, 556, 556, 500, 556,
  556, 278, 556, 556, 222, 222, 500, 222, 833, 556, 556, 556, 556, 333, 500, 278, 556, 500, 722, 500, 500, 500, 334,
  260, 334, 584,
];

/** WinAnsi (cp1252) codes of the characters above Latin-1 that French text uses. */
const WIN_ANSI: Record<string, number> = {
  "€": 0x80,
  "‚": 0x82,
  "„": 0x84,
  "…": 0x85,
  "‹": 0x8b,
  Œ: 0x8c,
  "‘": 0x91,
  "’": 0x92,
  "“": 0x93,
  "”": 0x94,
  "•": 0x95,
  "–": 0x96,
  "—": 0x97,
  "™": 0x99,
  "›": 0x9b,
  œ: 0x9c,
  Ÿ: 0x9f,
  Š: 0x8a,
  š: 0x9a,
  Ž: 0x8e,
  ž: 0x9e,
};

/**
 * The byte of one character in WinAnsi: Latin-1 as is, the table above, and for any other letter
 * its base letter (ễ → e, Đ → D, ł → l); what has none becomes "?".
 */
function winAnsiByte(ch: string): number {
  const code = ch.codePointAt(0) ?? 63;
  if ((code >= 32 && code < 127) || (code >= 0xa0 && code <= 0xff)) return code;
  if (code === 0x202f || code === 0x2009) return 0xa0; // thin spaces before « ; : ! ? » in French typography
  const mapped = WIN_ANSI[ch];
  if (mapped !== undefined) return mapped;
  const special: Record<string, string> = { Đ: "D", đ: "d", Ł: "L", ł: "l", ı: "i", "\u00a0": " " };
  if (special[ch]) return special[ch].charCodeAt(0);
  const base = ch.normalize("NFKD").replace(/\p{M}/gu, "");
  if (base && base !== ch) {
    const b = base.codePointAt(0) ?? 63;
    if (b >= 32 && b <= 0xff) return b;
  }
  return 63;
}

const encode = (text: string): number[] => Array.from(text.replace(/[\r\n\t]+/g, " "), winAnsiByte);

const widthOf = (bytes: readonly number[], size: number, bold: boolean) =>
  (bytes.reduce((w, b) => w + (b >= 32 && b < 127 ? (WIDTHS[b - 32] ?? 556) : 556), 0) * size * (bold ? 1.06 : 1)) /
  1000;

/** A PDF string literal of WinAnsi bytes, escaped. */
const literal = (bytes: readonly number[]) =>
  `(${bytes
    .map((b) =>
      b === 0x28 || b === 0x29 || b === 0x5c
        ? `\\${String.fromCharCode(b)}`
        : b < 32 || b > 126
          ? `\\${b.toString(8).padStart(3, "0")}`
          : String.fromCharCode(b),
    )
    .join("")})`;

/** Splits `text` into lines at most `width` points wide (words longer than a line are cut). */
function wrap(text: string, size: number, width: number, bold = false): number[][] {
  const lines: number[][] = [];
  let line: number[] = [];
  for (const word of text.split(/\s+/).filter(Boolean)) {
    let bytes = encode(word);
    const candidate = line.length ? [...line, 32, ...bytes] : bytes;
    if (widthOf(candidate, size, bold) <= width) {
      line = candidate;
      continue;
    }
    if (line.length) lines.push(line);
    while (widthOf(bytes, size, bold) > width && bytes.length > 1) {
      let n = bytes.length - 1;
      while (n > 1 && widthOf(bytes.slice(0, n), size, bold) > width) n--;
      lines.push(bytes.slice(0, n));
      bytes = bytes.slice(n);
    }
    line = bytes;
  }
  if (line.length) lines.push(line);
  return lines.length ? lines : [[]];
}

interface Page {
  ops: string[];
}

/** Lays the blocks out on A4 pages and writes the PDF file. */
export function renderPdf(doc: PdfDocument): Buffer {
  const pages: Page[] = [];
  const inner = PAGE.width - 2 * PAGE.margin;
  const bottom = PAGE.margin + 28; // room for the footer
  let page: Page = { ops: [] };
  pages.push(page);
  let y = PAGE.height - PAGE.margin;

  const ensure = (height: number) => {
    if (y - height >= bottom) return;
    page = { ops: [] };
    pages.push(page);
    y = PAGE.height - PAGE.margin;
  };
  const text = (bytes: readonly number[], x: number, size: number, bold: boolean) => {
    page.ops.push(`BT /${bold ? "F2" : "F1"} ${size} Tf ${x.toFixed(2)} ${y.toFixed(2)} Td ${literal(bytes)} Tj ET`);
  };
  const lines = (content: string, size: number, bold: boolean, x = PAGE.margin, width = inner) => {
    for (const line of wrap(content, size, width, bold)) {
      ensure(size * LINE);
      y -= size * LINE;
      text(line, x, size, bold);
    }
  };

  for (const block of doc.blocks) {
    switch (block.kind) {
      case "title":
        lines(block.text, 16, true);
        y -= 8;
        break;
      case "heading":
        ensure(30);
        y -= 6;
        lines(block.text, 11.5, true);
        y -= 2;
        break;
      case "paragraph":
        lines(block.text, block.size ?? 10, false);
        y -= 4;
        break;
      case "fields": {
        const labelWidth = 150;
        for (const [label, value] of block.rows) {
          const labelLines = wrap(label, 10, labelWidth - 8, true);
          const valueLines = wrap(value, 10, inner - labelWidth, false);
          const rows = Math.max(labelLines.length, valueLines.length);
          ensure(rows * 10 * LINE + 4);
          for (let i = 0; i < rows; i++) {
            y -= 10 * LINE;
            const l = labelLines[i];
            const v = valueLines[i];
            if (l) text(l, PAGE.margin, 10, true);
            if (v) text(v, PAGE.margin + labelWidth, 10, false);
          }
          y -= 4;
          page.ops.push(
            `0.85 G 0.5 w ${PAGE.margin} ${(y + 2).toFixed(2)} m ${(PAGE.margin + inner).toFixed(2)} ${(y + 2).toFixed(2)} l S 0 G`,
          );
        }
        y -= 4;
        break;
      }
      case "list":
        for (const item of block.items) {
          const wrapped = wrap(item, 10, inner - 14, false);
          wrapped.forEach((line, i) => {
            ensure(10 * LINE);
            y -= 10 * LINE;
            if (i === 0) text([0x95], PAGE.margin + 2, 10, false);
            text(line, PAGE.margin + 14, 10, false);
          });
        }
        y -= 4;
        break;
      case "space":
        y -= block.points ?? 10;
        break;
    }
  }

  // Footers, now that the page count is known.
  pages.forEach((p, i) => {
    const foot = encode(`${doc.footer ? `${doc.footer} — ` : ""}page ${i + 1} / ${pages.length}`);
    p.ops.push(`BT /F1 8 Tf ${PAGE.margin} ${(PAGE.margin - 10).toFixed(2)} Td 0.35 g ${literal(foot)} Tj 0 g ET`);
  });
  return assemble(doc, pages);
}

/** Writes the objects, the cross-reference table and the trailer. */
function assemble(doc: PdfDocument, pages: Page[]): Buffer {
  const objects: string[] = [];
  const add = (body: string) => objects.push(body);
  // 1 catalog, 2 pages, 3 and 4 fonts, 5 info, then per page: the page and its content.
  const first = 6;
  const kids = pages.map((_, i) => `${first + 2 * i} 0 R`).join(" ");
  add("<< /Type /Catalog /Pages 2 0 R >>");
  add(`<< /Type /Pages /Kids [${kids}] /Count ${pages.length} >>`);
  add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>");
  add("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>");
  const date = (doc.createdAt ?? new Date()).toISOString().replace(/[-:T]/g, "").slice(0, 14);
  add(
    `<< /Title ${literal(encode(doc.title))} /Producer (Logis) /Author ${literal(encode(doc.author ?? "Logis"))} /CreationDate (D:${date}Z) >>`,
  );
  for (const [i, p] of pages.entries()) {
    const content = p.ops.join("\n");
    add(
      `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents ${first + 2 * i + 1} 0 R >>`,
    );
    add(`<< /Length ${Buffer.byteLength(content, "latin1")} >>\nstream\n${content}\nendstream`);
  }
  const chunks: string[] = ["%PDF-1.4\n%\u00e2\u00e3\u00cf\u00d3\n"];
  const offsets: number[] = [];
  let size = Buffer.byteLength(chunks[0] as string, "latin1");
  objects.forEach((body, i) => {
    offsets.push(size);
    const obj = `${i + 1} 0 obj\n${body}\nendobj\n`;
    chunks.push(obj);
    size += Buffer.byteLength(obj, "latin1");
  });
  const xref = [
    "xref",
    `0 ${objects.length + 1}`,
    "0000000000 65535 f ",
    ...offsets.map((o) => `${String(o).padStart(10, "0")} 00000 n `),
    "trailer",
    `<< /Size ${objects.length + 1} /Root 1 0 R /Info 5 0 R >>`,
    "startxref",
    String(size),
    "%%EOF",
    "",
  ].join("\n");
  chunks.push(xref);
  return Buffer.from(chunks.join(""), "latin1");
}

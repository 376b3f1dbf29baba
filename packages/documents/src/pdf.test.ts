import { describe, expect, it } from "vitest";
import { type Block, renderPdf } from "./pdf.js";

/** What a reader shows: the text of every `(…) Tj`, decoded from WinAnsi, page by page. */
function readPdf(pdf: Buffer) {
  const source = pdf.toString("latin1");
  const xrefAt = Number(/startxref\n(\d+)/.exec(source)?.[1]);
  expect(source.slice(xrefAt, xrefAt + 4)).toBe("xref");
  // Every object is where the cross-reference table says.
  const entries = [...source.slice(xrefAt).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
  entries.forEach((offset, i) => {
    expect(source.slice(offset, offset + `${i + 1} 0 obj`.length)).toBe(`${i + 1} 0 obj`);
  });
  const decoder = new TextDecoder("windows-1252");
  const pages = [...source.matchAll(/stream\n([\s\S]*?)\nendstream/g)].map((m) =>
    [...(m[1] ?? "").matchAll(/\(((?:\\.|[^\\)])*)\) Tj/g)].map((t) => {
      const raw = (t[1] ?? "").replace(/\\([0-7]{3}|.)/g, (_, e: string) =>
        e.length === 3 ? String.fromCharCode(Number.parseInt(e, 8)) : e,
      );
      return decoder.decode(Buffer.from(raw, "latin1"));
    }),
  );
  const count = Number(/\/Type \/Pages \/Kids \[[^\]]*\] \/Count (\d+)/.exec(source)?.[1]);
  return { pages, count, source };
}

describe("PDF documents", () => {
  it("writes French text a reader shows as written, with a valid cross-reference table", () => {
    const pdf = renderPdf({
      title: "Attestation d'enregistrement",
      createdAt: new Date("2026-11-29T10:00:00Z"),
      footer: "Logis",
      blocks: [
        { kind: "title", text: "Attestation d'enregistrement d'une demande de logement social" },
        {
          kind: "fields",
          rows: [
            ["Demandeur", "Mme Lætitia Cœur (née D'Œuvre)"],
            ["Loyer", "412,50 €"],
          ],
        },
        { kind: "list", items: ["attribution d'un logement social « signature du bail »"] },
        { kind: "paragraph", text: "Nguyễn Đặng (parenthèses) et \\ barre" },
      ],
    });
    expect(pdf.subarray(0, 8).toString("latin1")).toBe("%PDF-1.4");
    const { pages, count } = readPdf(pdf);
    expect(count).toBe(1);
    const text = pages.flat().join("\n");
    expect(text).toContain("Mme Lætitia Cœur (née D'Œuvre)");
    expect(text).toContain("412,50 €");
    expect(text).toContain("attribution d'un logement social « signature du bail »");
    // Letters outside WinAnsi are written without their marks rather than lost.
    expect(text).toContain("Nguyen Dang (parenthèses) et \\ barre");
    expect(text).toContain("Logis — page 1 / 1");
  });

  it("wraps long text to the page and adds pages as it grows, numbering them", () => {
    const long = "Les données sont conservées après la radiation, puis effacées. ".repeat(12);
    const blocks: Block[] = Array.from({ length: 30 }, () => ({ kind: "paragraph", text: long }));
    const { pages, count } = readPdf(renderPdf({ title: "Long", blocks }));
    expect(count).toBeGreaterThan(2);
    expect(pages).toHaveLength(count);
    expect(pages.at(-1)?.at(-1)).toBe(`page ${count} / ${count}`);
    // No line is wider than the text column: the longest has far fewer characters than the paragraph.
    expect(Math.max(...pages.flat().map((l) => l.length))).toBeLessThan(110);
    expect(pages.flat().join(" ").replace(/\s+/g, " ")).toContain("conservées après la radiation, puis effacées.");
  });
});

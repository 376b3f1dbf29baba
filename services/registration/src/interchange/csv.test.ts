import { Readable } from "node:stream";
import { DemandForm } from "@logis/contracts";
import { demandForm } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { loadLegalRules } from "../adapters/files/legal-rules.js";
import { register } from "../domain/demand.js";
import { csvHeader, demandToCsv, readCsv, recordFromCsv } from "./csv.js";

const now = new Date("2026-03-15T23:30:00Z"); // 16 March in Paris
const demand = (patch: (f: DemandForm) => DemandForm) =>
  register({
    id: "dem_1",
    numeroUnique: "0570326000000001AA",
    form: DemandForm.parse(patch(demandForm())),
    guichet: { numGuichet: "057000123", organisationId: "org_1", nom: "Guichet test" },
    by: { userId: "usr_1", organisationId: "org_1" },
    now,
    rules: loadLegalRules()(now),
  });

describe("the CSV export opens in a French spreadsheet and imports back (issue 15)", () => {
  const d = demand((f) => ({
    ...f,
    demandeur: {
      ...f.demandeur,
      civilite: "2",
      nom: "=HYPERLINK(Cœur)",
      prenom: "Lætitia",
      dateNaissance: "1980-12-31",
      nir: undefined,
      situationProfessionnelle: { ...f.demandeur.situationProfessionnelle, profession: "+33 aide-soignante" },
    },
  }));
  const file = csvHeader() + demandToCsv(d);

  it("has a BOM, `;`, CRLF, dates dd/mm/yyyy in Paris, labels beside codes, and no cell a spreadsheet would run", () => {
    expect(file.startsWith("\uFEFFnumUnique;")).toBe(true);
    expect(file.split("\r\n")).toHaveLength(3);
    expect(file).toContain(";16/03/2026;");
    expect(file).toContain(";31/12/1980;");
    expect(file).toContain(";Madame;");
    expect(file).toContain(";'=HYPERLINK(Cœur);");
    expect(file).toContain(";'+33 aide-soignante;");
  });

  it("reads a child without a sex, and a child's date typed dd/mm/yyyy", async () => {
    const [header, row] = file.split("\r\n");
    const cols = (header ?? "").replace(/^\uFEFF/, "").split(";");
    const cells = (row ?? "").split(";");
    cells[cols.indexOf("enfants")] = "Léa / 2016-05-05 / |Noé/07/08/2019/M";
    const rows = [];
    for await (const r of readCsv(Readable.from([`${header}\r\n${cells.join(";")}\r\n`]))) rows.push(r);
    const form = DemandForm.parse(recordFromCsv(rows[0] ?? {}, 1, "57").form);
    expect(form.personnesACharge.map((p) => [p.prenom, p.dateNaissance, p.sexe])).toEqual([
      ["Léa", "2016-05-05", undefined],
      ["Noé", "2019-08-07", "M"],
    ]);
  });

  it("imports back as it was written", async () => {
    const rows = [];
    for await (const row of readCsv(Readable.from([file]))) rows.push(row);
    const record = recordFromCsv(rows[0] ?? {}, 1, "57");
    const form = DemandForm.parse(record.form);
    expect(record.dateCreationDemande).toBe("2026-03-16");
    expect(form.demandeur).toMatchObject({
      nom: "=HYPERLINK(Cœur)",
      prenom: "Lætitia",
      dateNaissance: "1980-12-31",
      situationProfessionnelle: { profession: "+33 aide-soignante" },
    });
  });
});

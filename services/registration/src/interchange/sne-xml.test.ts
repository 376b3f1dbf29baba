import { Readable } from "node:stream";
import { DemandForm } from "@logis/contracts";
import { demandForm } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { loadLegalRules } from "../adapters/files/legal-rules.js";
import { register } from "../domain/demand.js";
import { demandToXml, readSneXml, recordFromXml, xmlFooter, xmlHeader } from "./sne-xml.js";

const book = loadLegalRules();
const now = new Date("2026-03-15T10:00:00Z");
const guichet = { numGuichet: "057000123", organisationId: "org_1", nom: "Guichet test" };

const demandWith = (patch: (f: DemandForm) => DemandForm) =>
  register({
    id: "dem_1",
    numeroUnique: "0570326000000001AA",
    form: DemandForm.parse(patch(demandForm())),
    guichet,
    by: { userId: "usr_1", organisationId: "org_1" },
    now,
    rules: book(now),
  });

const roundTrip = async (xml: string) => {
  const records = [];
  let i = 0;
  for await (const node of readSneXml(Readable.from([xmlHeader("CRE", now), xml, xmlFooter])))
    records.push(recordFromXml(node, i++, "57"));
  return records;
};

describe("SNE XML: names as people write them and characters XML forbids (issue 15)", () => {
  it("keeps ligatures, Vietnamese letters and apostrophes through export and import", async () => {
    const d = demandWith((f) => ({
      ...f,
      demandeur: { ...f.demandeur, nom: "Nguyễn-Cœur", prenom: "Lætitia", nomNaissance: "D'Œuvre & <Fils>" },
    }));
    const [record] = await roundTrip(demandToXml(d, guichet.numGuichet));
    expect((record?.form as DemandForm | undefined)?.demandeur).toMatchObject({
      nom: "Nguyễn-Cœur",
      prenom: "Lætitia",
      nomNaissance: "D'Œuvre & <Fils>",
    });
  });

  it("never writes a character XML forbids: the file stays readable and the text keeps the rest", async () => {
    // Free texts (a motif's details, an employer) accept what a desk pastes, controls included.
    const d = demandWith((f) => ({
      ...f,
      motifs: [{ code: "23", precision: "local\u0001 commercial\u0008 transformé\uFFFF \uD800fin" }],
    }));
    const xml = demandToXml(d, guichet.numGuichet);
    for (const forbidden of ["\u0001", "\u0008", "\uFFFF", "\uD800"]) expect(xml).not.toContain(forbidden);
    const [record] = await roundTrip(xml);
    expect((record?.form as DemandForm | undefined)?.motifs).toEqual([
      { code: "23", precision: "local commercial transformé fin" },
    ]);
  });
});

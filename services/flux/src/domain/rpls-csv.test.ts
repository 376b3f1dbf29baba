import { describe, expect, it } from "vitest";
import { unDeclare } from "./fixtures.js";
import { colonnesRpls, type EnTete, parseEnTete, parseLigneRpls, splitLine } from "./rpls-csv.js";

const header = colonnesRpls.join(";");
const enTete = (() => {
  const r = parseEnTete(`\uFEFF${header}`);
  if (!r.ok) throw new Error("header");
  return r.value;
})();
const line = (over: Partial<Record<(typeof colonnesRpls)[number], string>> = {}) =>
  colonnesRpls
    .map(
      (c) =>
        ({
          rplsId: "5700000001",
          idBailleur: "MET-001-012",
          commune: "57463",
          adresse: '"12 rue des Jardins; bât. B"',
          codePostal: "57000",
          qpv: "non",
          nbPieces: "3",
          surface: "64,5",
          etage: "2",
          ascenseur: "oui",
          accessibilite: "accessible",
          anneeConstruction: "1972",
          financement: "plus",
          loyer: "412,30",
          exceptionStock: "",
          ...over,
        })[c],
    )
    .join(";");

describe("the housing-stock CSV", () => {
  it("reads a line into the unit record: French decimals, oui/non, quoted `;`", () => {
    expect(parseLigneRpls(enTete, line(), 2)).toEqual({
      ok: true,
      value: unDeclare({ adresse: "12 rue des Jardins; bât. B" }),
    });
  });

  it("gives back the leading zero a spreadsheet dropped, and reads RDC as floor 0", () => {
    const r = parseLigneRpls(enTete, line({ commune: "1053", codePostal: "1000", etage: "RDC" }), 2);
    expect(r.ok && [r.value.commune, r.value.codePostal, r.value.etage]).toEqual(["01053", "01000", 0]);
  });

  it("reports every bad field of a line, with its line, column, value and what is expected", () => {
    const r = parseLigneRpls(
      enTete,
      line({
        rplsId: "57-12",
        qpv: "peut-être",
        nbPieces: "trois",
        financement: "HLM",
        loyer: "",
        exceptionStock: "caserne",
      }),
      7,
    );
    expect(r.ok ? [] : r.error).toEqual([
      {
        ligne: 7,
        champ: "rplsId",
        valeur: "57-12",
        message: "identifiant RPLS attendu : 10 caractères, chiffres ou lettres majuscules (ex. 5700012345)",
      },
      {
        ligne: 7,
        champ: "qpv",
        valeur: "peut-être",
        message: "QPV : indiquez oui ou non (logement situé en quartier prioritaire de la politique de la ville)",
      },
      { ligne: 7, champ: "nbPieces", valeur: "trois", message: "nombre de pièces principales : nombre entier attendu" },
      { ligne: 7, champ: "financement", valeur: "HLM", message: "financement attendu : PLAI, PLUS, PLS ou PLI" },
      { ligne: 7, champ: "loyer", message: "loyer manquant : loyer mensuel : nombre attendu (en €)" },
      {
        ligne: 7,
        champ: "exceptionStock",
        valeur: "caserne",
        message: "exception au flux attendue : defense_securite ou etablissement_sante (laisser vide sinon)",
      },
    ]);
  });

  it("reads the optional PLAI-adapté column (oui/non), absent or empty meaning no, and refuses it on a unit not in PLAI", () => {
    const plai = parseLigneRpls(enTete, line({ financement: "plai", plaiAdapte: "oui" }), 2);
    expect(plai.ok && [plai.value.financement, plai.value.plaiAdapte]).toEqual(["PLAI", true]);
    const empty = parseLigneRpls(enTete, line(), 2);
    expect(empty.ok && "plaiAdapte" in empty.value).toBe(false);
    const withoutColumn = parseEnTete(colonnesRpls.filter((c) => c !== "plaiAdapte").join(";"));
    expect(withoutColumn.ok).toBe(true);
    expect(parseLigneRpls(enTete, line({ plaiAdapte: "oui" }), 4)).toEqual({
      ok: false,
      error: [
        {
          ligne: 4,
          champ: "plaiAdapte",
          valeur: "oui",
          message: "PLAI adapté : seul un logement financé en PLAI peut l'être (financement déclaré : PLUS)",
        },
      ],
    });
  });

  it("refuses a header with a missing, unknown or repeated column", () => {
    const r = parseEnTete("rplsId;idBailleur;commune;commune;loyers");
    const champs = r.ok ? [] : r.error.map((e) => e.champ);
    expect(champs).toContain("loyers");
    expect(champs).toContain("adresse");
    expect(r.ok ? "" : r.error.find((e) => e.champ === "commune")?.message).toMatch(/en double/);
  });

  it("says what to do with an unclosed quote or too many values", () => {
    expect(splitLine('a;"b;c')).toMatchObject({ ok: false });
    const r = parseLigneRpls(enTete, `${line()};extra`, 3);
    expect(r.ok ? "" : r.error[0]?.message).toMatch(/mettez-les entre guillemets/);
  });

  it("takes the columns in any order", () => {
    const reversed = [...colonnesRpls].reverse();
    const h = parseEnTete(reversed.join(";"));
    const values =
      line()
        .match(/("[^"]*"|[^;]*)(;|$)/g)
        ?.map((v) => v.replace(/;$/, "")) ?? [];
    const r = parseLigneRpls(
      h.ok ? h.value : ({ colonnes: [] } as EnTete),
      values.slice(0, colonnesRpls.length).reverse().join(";"),
      2,
    );
    expect(r.ok && r.value.rplsId).toBe("5700000001");
  });
});

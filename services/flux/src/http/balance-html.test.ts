import { describe, expect, it } from "vitest";
import type { Balance } from "../app/flux-reads.js";
import { balanceHtml } from "./balance-html.js";

const prefet = {
  reservataireId: "org_demo_ddets_57",
  conventionId: "cnv_prefet",
  type: "prefet_prioritaires",
  codeSne: "PPRIOR",
} as const;
const own = { reservataireId: "org_demo_bailleur_57", conventionId: null, type: "bailleur", codeSne: "AUCUN" } as const;
const row = (over: Partial<Balance["detail"][number]>): Balance["detail"][number] => ({
  reservataireId: prefet.reservataireId,
  typologie: "T3",
  financement: "PLUS",
  qpv: false,
  commune: "57463",
  periodeConstruction: "1949-1974",
  proposes: 1,
  attribues: 0,
  ...over,
});
const bilan = (over: Partial<Balance> = {}): Balance => ({
  bailleurId: "org_demo_bailleur_57",
  bailleur: "Moselis <démo> & Cie",
  departement: "57",
  annee: 2026,
  clotureLe: "2026-12-31T23:30:00.000Z",
  cloturePar: "usr_demo_bailleur",
  cloture: false,
  fluxBrut: 5,
  soustraits: { mutation_interne: 1, renouvellement_urbain: 0, copropriete_degradee: 0, demolition: 0 },
  fluxNet: 4,
  lignes: [
    { ...prefet, reportPrecedent: 0.25, du: 1.2, orientes: 2, rendus: 0, attribues: 1, report: -0.55 },
    { ...own, reportPrecedent: 0, du: 2.8, orientes: 2, rendus: 0, attribues: 0, report: 0.8 },
  ],
  detail: [
    row({ proposes: 1, attribues: 1, typologie: "T2", qpv: true }),
    row({ financement: "PLAI", commune: "57672", periodeConstruction: "2005 et après" }),
    row({ reservataireId: own.reservataireId, typologie: "T6P", proposes: 2 }),
  ],
  noms: { org_demo_ddets_57: "Préfet de la Moselle" },
  previsionSoustraits: { mutation_interne: 2, renouvellement_urbain: 1, copropriete_degradee: 0, demolition: 0 },
  previsionAnneeSuivante: undefined,
  ...over,
});
/** The rows of the table whose caption starts so, as text cells. */
const rowsOf = (html: string, caption: string) => {
  const at = html.indexOf(`<caption>${caption}`);
  const tableHtml = html.slice(at, html.indexOf("</table>", at));
  return [...tableHtml.matchAll(/<tr[^>]*>(.*?)<\/tr>/g)].map((m) =>
    [...(m[1] ?? "").matchAll(/<t[hd][^>]*>(.*?)<\/t[hd]>/g)].map((c) => c[1]),
  );
};

describe("the yearly balance as a printable page", () => {
  const html = balanceHtml(bilan());

  it("is a French A4 page with print rules, its dates dd/mm/yyyy in Paris, its text escaped", () => {
    expect(html).toMatch(/^<!doctype html>\n<html lang="fr">/);
    expect(html).toContain("@page { size: A4;");
    expect(html).toContain("thead { display: table-header-group; }");
    expect(html).toContain("<h1>Bilan annuel du flux 2026</h1>");
    expect(html).toContain("<dt>Édité le</dt><dd>01/01/2027</dd>"); // 00:30 in Paris
    expect(html).toContain("Moselis &lt;démo&gt; &amp; Cie");
    expect(html).not.toContain("<démo>");
    expect(html).toContain("Bilan provisoire : l'exercice 2026 n'est pas clôturé");
    expect(html).not.toMatch(/<script|https?:\/\//);
  });

  it("gives each reserver's line with decimal commas, and a total", () => {
    expect(rowsOf(html, "Dû, orientés")).toEqual([
      [
        "Réservataire",
        "Type",
        "Code SNE",
        "Convention",
        "Report de l&#39;année précédente",
        "Dû",
        "Orientés",
        "Rendus",
        "Attribués",
        "Report sur l&#39;année suivante",
      ],
      [
        "Préfet de la Moselle",
        "Préfet (publics prioritaires)",
        "PPRIOR",
        "cnv_prefet",
        "0,25",
        "1,2",
        "2",
        "0",
        "1",
        "-0,55",
      ],
      [
        "Moselis &lt;démo&gt; &amp; Cie",
        "Bailleur (part non réservée)",
        "AUCUN",
        "part non réservée",
        "0",
        "2,8",
        "2",
        "0",
        "0",
        "0,8",
      ],
      ["Total", "0,25", "4", "4", "0", "1", "0,25"],
    ]);
  });

  it("breaks the units down by typology, financing, QPV, construction period and commune", () => {
    const typologie = rowsOf(html, "Logements proposés et attribués, par typologie");
    expect(typologie[0]).toEqual(["Réservataire", "T1", "T2", "T3", "T4", "T5", "T6 et +", "Total"]);
    // prop. / attr. per typology, then the total: T2 1/1, T3 1/0 for the préfet.
    expect(typologie[2]).toEqual([
      "Moselis &lt;démo&gt; &amp; Cie",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
      "2",
      "0",
      "2",
      "0",
    ]);
    expect(typologie[3]).toEqual([
      "Préfet de la Moselle",
      "0",
      "0",
      "1",
      "1",
      "1",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
      "0",
      "2",
      "1",
    ]);
    expect(typologie[4]?.slice(-2)).toEqual(["4", "1"]);
    expect(rowsOf(html, "Logements proposés et attribués, par financement")[0]).toEqual([
      "Réservataire",
      "PLAI",
      "PLUS",
      "PLS",
      "PLI",
      "Total",
    ]);
    expect(rowsOf(html, "Logements proposés et attribués, en quartier")[3]?.slice(0, 5)).toEqual([
      "Préfet de la Moselle",
      "1",
      "1",
      "1",
      "0",
    ]);
    expect(rowsOf(html, "Logements proposés et attribués, par période")[0]).toEqual([
      "Réservataire",
      "avant 1949",
      "1949-1974",
      "1975-1989",
      "1990-2004",
      "2005 et après",
      "Total",
    ]);
    expect(rowsOf(html, "Logements proposés et attribués, par commune").slice(1)).toEqual([
      ["57463", "Moselis &lt;démo&gt; &amp; Cie", "2", "0"],
      ["Préfet de la Moselle", "1", "1"],
      ["57672", "Préfet de la Moselle", "1", "0"],
    ]);
  });

  it("shows the subtracted units forecast and realised, and the next year's forecast once declared", () => {
    expect(rowsOf(html, "Logements soustraits en 2026")[1]).toEqual(["Mutations internes", "2", "1"]);
    expect(html).toContain("Prévision non déclarée à ce jour pour 2027.");
    const declared = balanceHtml(
      bilan({
        cloture: true,
        previsionAnneeSuivante: {
          mutation_interne: 3,
          renouvellement_urbain: 0,
          copropriete_degradee: 1,
          demolition: 0,
        },
      }),
    );
    expect(rowsOf(declared, "Prévision 2027")).toContainEqual(["Total", "4"]);
    expect(declared).toContain("Exercice clôturé : bilan arrêté");
    expect(declared).not.toContain("Bilan provisoire");
  });
});

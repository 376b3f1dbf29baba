import { BOM, spreadsheetRows } from "@logis/documents";
import { frenchDate } from "@logis/domain";
import type { Balance } from "../app/flux-reads.js";

// The yearly balance as a CSV that French spreadsheet users open directly: `;` between cells, UTF-8
// with a byte-order mark, dates dd/mm/yyyy (the Paris day), decimal comma, CRLF line ends.

// Through the platform's one spreadsheet writer (@logis/documents, on csv-stringify): decimal
// commas, oui/non, quoting, and a text cell that a spreadsheet would run as a formula neutralised.
const row = (cells: (string | number | boolean)[]) => spreadsheetRows([cells]);

export function balanceCsv(b: Balance): string {
  const noms = new Map(b.lignes.map((l) => [l.reservataireId, l.type]));
  return [
    BOM,
    row(["Bilan annuel du flux", b.annee, "Bailleur", b.bailleurId, "Département", b.departement]),
    row([
      "Édité le",
      frenchDate(b.clotureLe),
      "Exercice clôturé",
      b.cloture,
      "Flux brut",
      b.fluxBrut,
      "Flux net",
      b.fluxNet,
    ]),
    row([
      "Soustraits",
      "mutations internes",
      b.soustraits.mutation_interne,
      "renouvellement urbain",
      b.soustraits.renouvellement_urbain,
      "copropriétés dégradées",
      b.soustraits.copropriete_degradee,
      "démolition",
      b.soustraits.demolition,
    ]),
    "\r\n",
    row([
      "Réservataire",
      "Type",
      "Code SNE",
      "Convention",
      "Report de l'année précédente",
      "Dû",
      "Orientés",
      "Rendus",
      "Attribués",
      "Report sur l'année suivante",
    ]),
    ...b.lignes.map((l) =>
      row([
        l.reservataireId,
        l.type,
        l.codeSne,
        l.conventionId ?? "part non réservée",
        l.reportPrecedent,
        l.du,
        l.orientes,
        l.rendus,
        l.attribues,
        l.report,
      ]),
    ),
    "\r\n",
    row([
      "Réservataire",
      "Type",
      "Typologie",
      "Financement",
      "QPV",
      "Commune",
      "Période de construction",
      "Proposés",
      "Attribués",
    ]),
    ...b.detail.map((d) =>
      row([
        d.reservataireId,
        noms.get(d.reservataireId) ?? "",
        d.typologie,
        d.financement,
        d.qpv,
        d.commune,
        d.periodeConstruction,
        d.proposes,
        d.attribues,
      ]),
    ),
  ].join("");
}

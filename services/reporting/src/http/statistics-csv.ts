import { sneCodeLists } from "@logis/contracts";
import { frenchDate } from "@logis/domain";
import type { StatisticsView } from "../app/statistics.js";
import { MOTIFS_SORTIE } from "../domain/demand-row.js";
import { CONTINGENTS, type Ventilation } from "../domain/statistics.js";

// The statistics as a CSV that French spreadsheet users open directly: `;` between cells, UTF-8 with
// a byte-order mark, dates dd/mm/yyyy (Paris days), decimal comma, CRLF line ends. A text cell that
// a spreadsheet would read as a formula (=, +, -, @, tab, carriage return first) is prefixed with an
// apostrophe (OWASP "CSV injection"): referential names and keys are data, never formulas.

type Cell = string | number | undefined;

const FORMULA_START = /^[=+\-@\t\r]/;

export const csvCell = (value: Cell): string => {
  const text = value === undefined ? "" : typeof value === "number" ? String(value).replace(".", ",") : value;
  const safe = typeof value === "string" && FORMULA_START.test(text) ? `'${text}` : text;
  return /[;"\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
};
const row = (cells: Cell[]) => `${cells.map(csvCell).join(";")}\r\n`;

const motifs = sneCodeLists.lists.motifRadiation as Record<string, string>;
const contingents = sneCodeLists.lists.typeReservataire as Record<string, string>;

const ventilationHeader = (axe: string) =>
  row([
    axe,
    "Libellé",
    "Demandes actives",
    "dont premières demandes",
    "dont mutations",
    "Nouvelles demandes",
    "Radiations",
    ...MOTIFS_SORTIE.map((m) => `Radiations ${m}`),
    "Attente médiane (mois)",
    "Attente 90e centile (mois)",
    "Ménages prioritaires actifs",
    "Part des prioritaires (%)",
    "Attributions",
    "Tension (demandes par attribution)",
    "Attente des demandes satisfaites : médiane (mois)",
  ]);
const ventilationRow = (v: Ventilation) =>
  row([
    v.cle,
    v.libelle,
    v.actives,
    v.primo,
    v.mutation,
    v.nouvelles,
    v.radiations,
    ...MOTIFS_SORTIE.map((m) => v.radiationsParMotif[m]),
    v.attente.medianeMois,
    v.attente.p90Mois,
    v.prioritaires,
    v.partPrioritaires,
    v.attributions.total,
    v.tension,
    v.attributions.attente.medianeMois,
  ]);

export function statisticsCsv(s: StatisticsView, editeLe: Date): string {
  const e = s.ensemble;
  const section = (axe: string, lines: Ventilation[]) => ["\r\n", ventilationHeader(axe), ...lines.map(ventilationRow)];
  return [
    "\uFEFF",
    row([
      "Statistiques de la demande de logement social",
      "Du",
      frenchDate(s.periode.du),
      "Au",
      frenchDate(s.periode.au),
    ]),
    row([
      "Édité le",
      frenchDate(editeLe),
      "Département",
      s.filtres.departement ?? "tous",
      "EPCI",
      s.filtres.epci ?? "tous",
      "Référentiel",
      s.referentiel,
    ]),
    "\r\n",
    row(["Indicateur", "Valeur"]),
    row([`Demandes actives au ${frenchDate(s.periode.au)}`, e.actives]),
    row(["dont premières demandes", e.primo]),
    row(["dont mutations", e.mutation]),
    row(["Nouvelles demandes sur la période", e.nouvelles]),
    row(["Radiations sur la période", e.radiations]),
    ...MOTIFS_SORTIE.map((m) => row([`Radiations : ${motifs[m] ?? m} (${m})`, e.radiationsParMotif[m]])),
    row(["Attente des demandes actives : médiane (jours)", e.attente.medianeJours]),
    row(["Attente des demandes actives : 90e centile (jours)", e.attente.p90Jours]),
    row(["Attente des demandes actives : médiane (mois)", e.attente.medianeMois]),
    row(["Attente des demandes actives : 90e centile (mois)", e.attente.p90Mois]),
    row(["Ménages prioritaires actifs (DALO ou L441-1)", e.prioritaires]),
    row(["Part des ménages prioritaires (%)", e.partPrioritaires]),
    row(["Attributions sur la période (radiations RADATT)", e.attributions.total]),
    ...CONTINGENTS.map((c) => row([`Attributions : ${contingents[c] ?? c} (${c})`, e.attributions.parContingent[c]])),
    row(["Attributions à des ménages DALO", e.attributions.dalo]),
    row([
      "Logement d'abord : ménages venant d'un hébergement, d'un hôtel ou de la rue",
      e.attributions.logementDAbord.menages,
    ]),
    row(["Logement d'abord : personnes estimées (× 2,2)", e.attributions.logementDAbord.personnesEstimees]),
    row(["Tension : demandes actives par attribution", e.tension]),
    row(["Attente des demandes satisfaites : médiane (mois)", e.attributions.attente.medianeMois]),
    row(["Attente des demandes satisfaites : 90e centile (mois)", e.attributions.attente.p90Mois]),
    "\r\n",
    row(["Ancienneté", "Demandes actives", "dont premières demandes", "dont mutations", "Part (%)"]),
    ...s.anciennete.map((l) => row([l.libelle, l.actives, l.primo, l.mutation, l.part])),
    ...section("Département", s.parDepartement),
    ...section("EPCI", s.parEpci),
    ...section("Commune", s.parCommune),
    ...section("Typologie", s.parTypologie),
    ...section("Décile de cotation", s.parDecile),
  ].join("");
}

import { sneCodeLists } from "@logis/contracts";
import { frenchDate } from "@logis/domain";
import type { StatisticsView } from "../app/statistics.js";
import { MOTIFS_SORTIE } from "../domain/demand-row.js";
import { CONTINGENTS, type LigneAnciennete, type Ventilation } from "../domain/statistics.js";
import { BLANK, type Cell, csvDocument, type Masque, masked, csvRow as row } from "./csv.js";

// The statistics as a CSV that French spreadsheet users open directly (http/csv.ts). An inter-landlord
// export (`masque`) shows counts under the threshold as a symbol instead.

export { csvCell } from "./csv.js";

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
    ...MOTIFS_SORTIE.map((m) => `Radiations : ${motifs[m] ?? m} (${m})`),
    "Attente médiane (mois)",
    "Attente 90e centile (mois)",
    "Ménages prioritaires actifs",
    "Part des prioritaires (%)",
    "Attributions",
    "Tension (demandes par attribution)",
    "Attente des demandes satisfaites : médiane (mois)",
    "Attente des demandes satisfaites : 90e centile (mois)",
    "Demandes au-delà du délai anormalement long",
    "Part au-delà du délai anormalement long (%)",
  ]);
/** A figure derived from `base` households (a median, a share): hidden with them when they are too few. */
const derived = (value: number | undefined, base: number, masque: Masque | undefined): Cell =>
  masque && base > 0 && base < masque.seuil ? masque.symbole : value;

const ventilationRow = (v: Ventilation, masque: Masque | undefined) => {
  const n = (x: number) => masked(x, masque);
  const a = v.attributions.total;
  return row([
    v.cle,
    v.libelle,
    n(v.actives),
    n(v.primo),
    n(v.mutation),
    n(v.nouvelles),
    n(v.radiations),
    ...MOTIFS_SORTIE.map((m) => n(v.radiationsParMotif[m])),
    derived(v.attente.medianeMois, v.actives, masque),
    derived(v.attente.p90Mois, v.actives, masque),
    n(v.prioritaires),
    derived(v.partPrioritaires, v.actives, masque),
    n(a),
    derived(v.tension, a, masque),
    derived(v.attributions.attente.medianeMois, a, masque),
    derived(v.attributions.attente.p90Mois, a, masque),
    n(v.depassementDelai.demandes),
    derived(v.depassementDelai.part, v.actives, masque),
  ]);
};

/**
 * The statistics as a CSV; `masque` (inter-landlord exports) hides every count under its threshold,
 * and the medians and shares computed over that few households.
 */
export function statisticsCsv(s: StatisticsView, editeLe: Date, masque?: Masque): string {
  const e = s.ensemble;
  const n = (x: number) => masked(x, masque);
  const table = (axe: string, lines: LigneAnciennete[]) => [
    BLANK,
    row([axe, "Demandes actives", "dont premières demandes", "dont mutations", "Part (%)"]),
    ...lines.map((l) => row([l.libelle, n(l.actives), n(l.primo), n(l.mutation), derived(l.part, l.actives, masque)])),
  ];
  const section = (axe: string, lines: Ventilation[]) => [
    BLANK,
    ventilationHeader(axe),
    ...lines.map((v) => ventilationRow(v, masque)),
  ];
  return csvDocument([
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
      ...(masque ? [`Effectifs inférieurs à ${masque.seuil} masqués (${masque.symbole})`] : []),
    ]),
    BLANK,
    row(["Indicateur", "Valeur"]),
    row([`Demandes actives au ${frenchDate(s.periode.au)}`, n(e.actives)]),
    row(["dont premières demandes", n(e.primo)]),
    row(["dont mutations", n(e.mutation)]),
    row(["Nouvelles demandes sur la période", n(e.nouvelles)]),
    row(["Radiations sur la période", n(e.radiations)]),
    ...MOTIFS_SORTIE.map((m) => row([`Radiations : ${motifs[m] ?? m} (${m})`, n(e.radiationsParMotif[m])])),
    row(["Attente des demandes actives : médiane (jours)", e.attente.medianeJours]),
    row(["Attente des demandes actives : 90e centile (jours)", e.attente.p90Jours]),
    row(["Attente des demandes actives : médiane (mois)", e.attente.medianeMois]),
    row(["Attente des demandes actives : 90e centile (mois)", e.attente.p90Mois]),
    row(["Ménages prioritaires actifs (DALO ou L441-1)", n(e.prioritaires)]),
    row(["Part des ménages prioritaires (%)", e.partPrioritaires]),
    row(["Attributions sur la période (radiations RADATT)", n(e.attributions.total)]),
    ...CONTINGENTS.map((c) =>
      row([`Attributions : ${contingents[c] ?? c} (${c})`, n(e.attributions.parContingent[c])]),
    ),
    row(["Attributions à des ménages DALO", n(e.attributions.dalo)]),
    row([
      "Logement d'abord : ménages venant d'un hébergement, d'un hôtel ou de la rue",
      n(e.attributions.logementDAbord.menages),
    ]),
    row(["Logement d'abord : personnes estimées (× 2,2)", e.attributions.logementDAbord.personnesEstimees]),
    row(["Tension : demandes actives par attribution", e.tension]),
    row(["Attente des demandes satisfaites : médiane (mois)", e.attributions.attente.medianeMois]),
    row(["Attente des demandes satisfaites : 90e centile (mois)", e.attributions.attente.p90Mois]),
    row(["Demandes actives au-delà du délai anormalement long", n(e.depassementDelai.demandes)]),
    row(["Part des demandes actives au-delà du délai anormalement long (%)", e.depassementDelai.part]),
    ...table("Ancienneté", s.anciennete),
    ...table("Âge du demandeur", s.ageDemandeur),
    ...table("Taille du ménage", s.tailleMenage),
    ...table("Ressources mensuelles du ménage", s.ressources),
    ...section("Département", s.parDepartement),
    ...section("EPCI", s.parEpci),
    ...section("Commune", s.parCommune),
    ...section("Typologie", s.parTypologie),
    ...section("Décile de cotation", s.parDecile),
  ]);
}

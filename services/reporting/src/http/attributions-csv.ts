import { frenchDate } from "@logis/domain";
import type { AttributionStatisticsView } from "../app/attributions.js";
import type { LigneAttributions } from "../domain/attributions.js";
import { TYPES_DECISION } from "../domain/session-row.js";
import { BLANK, type Cell, csvDocument, type Masque, masked, csvRow as row } from "./csv.js";

const DECISIONS: Record<string, string> = {
  ATTRIBUTION: "Attribution",
  ATTRIBUTION_RANG: "Attribution par ordre de priorité (rang)",
  ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE: "Attribution sous condition suspensive",
  NON_ATTRIBUTION: "Non-attribution",
  REJET_IRRECEVABILITE: "Rejet pour irrecevabilité",
};

/** The attributions of a period as a CSV for French spreadsheets; `masque` hides small counts (inter-landlord exports). */
export function attributionsCsv(s: AttributionStatisticsView, editeLe: Date, masque?: Masque): string {
  const n = (v: number): Cell => masked(v, masque);
  const header = (axe: string) =>
    row([
      axe,
      "Libellé",
      "Attributions",
      "dont DALO",
      "dont prioritaires (DALO ou L441-1)",
      "Part des prioritaires (%)",
      "Hors QPV",
      "dont premier quartile",
      "En QPV",
      "Logement d'abord",
    ]);
  const line = (l: LigneAttributions) =>
    row([
      l.cle,
      l.libelle,
      n(l.attributions),
      n(l.dalo),
      n(l.prioritaires),
      masque && l.attributions < masque.seuil ? masque.symbole : l.partPrioritaires,
      n(l.horsQpv),
      n(l.premierQuartileHorsQpv),
      n(l.enQpv),
      n(l.logementDAbord),
    ]);
  const section = (axe: string, lines: LigneAttributions[]) => [BLANK, header(axe), ...lines.map(line)];
  const e = s.ensemble;
  return csvDocument([
    row(["Attributions de logements sociaux", "Du", frenchDate(s.periode.du), "Au", frenchDate(s.periode.au)]),
    row([
      "Édité le",
      frenchDate(editeLe),
      "Département",
      s.filtres.departement ?? "tous",
      "EPCI",
      s.filtres.epci ?? "tous",
      ...(masque ? [`Effectifs inférieurs à ${masque.seuil} masqués (${masque.symbole})`] : []),
    ]),
    BLANK,
    row(["Indicateur", "Valeur"]),
    row(["Baux signés sur la période", n(e.attributions)]),
    row(["dont ménages DALO", n(e.dalo)]),
    row(["dont ménages prioritaires (DALO ou L441-1)", n(e.prioritaires)]),
    row(["Hors QPV", n(e.horsQpv)]),
    row(["Hors QPV à des ménages du premier quartile", n(e.premierQuartileHorsQpv)]),
    row(["En QPV", n(e.enQpv)]),
    row(["Logement d'abord : ménages venant d'un hébergement, d'un hôtel ou de la rue", n(e.logementDAbord)]),
    row(["Offres faites", n(s.offres.faites)]),
    row(["Offres acceptées", n(s.offres.acceptees)]),
    row(["Offres refusées", n(s.offres.refusees)]),
    row(["Offres sans réponse dans le délai", n(s.offres.echues)]),
    ...TYPES_DECISION.map((t) => row([`Décisions de CAL : ${DECISIONS[t] ?? t}`, n(s.decisions[t] ?? 0)])),
    row(["Baux dont le logement est inconnu du flux (QPV inconnu)", s.inconnus.qpv]),
    row(["Baux dont le quartile de ressources est inconnu", s.inconnus.quartile]),
    ...section("Réservataire", s.parReservataire),
    ...section("Contingent", s.parContingent),
    ...section("Bailleur", s.parBailleur),
    ...section("Commune", s.parCommune),
    ...section("Typologie", s.parTypologie),
  ]);
}

import { sneCodeLists } from "@logis/contracts";
import { frenchDate } from "@logis/domain";
import type { QuotasView } from "../app/quotas.js";
import type { Suivi } from "../domain/quotas.js";
import { BLANK, csvDocument, csvRow as row } from "./csv.js";

const contingents = sneCodeLists.lists.typeReservataire as Record<string, string>;

const ETATS: Record<Suivi["etat"], string> = {
  atteint: "Atteint",
  "en-retard": "En retard",
  "hors-d-atteinte": "Hors d'atteinte",
  "sans-objet": "Sans objet (aucune attribution)",
};

/** The year's legal quotas, their warnings and the flux balances as a CSV for French spreadsheets. */
export function quotasCsv(q: QuotasView, editeLe: Date): string {
  const line = (epci: string, libelle: string, indicateur: string, reservataire: string, s: Suivi) =>
    row([epci, libelle, indicateur, reservataire, s.numerateur, s.denominateur, s.taux, s.cible, ETATS[s.etat]]);
  return csvDocument([
    row([
      "Objectifs légaux d'attribution",
      "Année",
      q.filtres.annee,
      "Du",
      frenchDate(q.periode.du),
      "Au",
      frenchDate(q.periode.au),
    ]),
    row([
      "Édité le",
      frenchDate(editeLe),
      "Département",
      q.filtres.departement ?? "tous",
      "EPCI",
      q.filtres.epci ?? "tous",
      "Référentiel",
      q.referentiel,
    ]),
    BLANK,
    row([
      "EPCI",
      "Libellé",
      "Indicateur",
      "Réservataire",
      "Attributions retenues",
      "Attributions",
      "Taux (%)",
      "Objectif (%)",
      "État",
    ]),
    ...q.epcis.flatMap((e) => [
      line(e.epci, e.libelle, "Hors QPV : premier quartile ou relogés ANRU", "", e.q1HorsQpv),
      line(e.epci, e.libelle, "En QPV : autres quartiles", "", e.autresQuartilesEnQpv),
      ...e.prioritairesParReservataire.map((r) =>
        line(e.epci, e.libelle, "Ménages DALO et prioritaires", r.reservataireId, r),
      ),
    ]),
    BLANK,
    row(["Avertissements"]),
    ...(q.avertissements.length === 0
      ? [row(["Aucun objectif en retard à ce jour"])]
      : q.avertissements.map((a) => row([a.message]))),
    BLANK,
    row([
      "Bilan du flux : bailleur",
      "Département",
      "Année",
      "Clos",
      "Flux brut",
      "Réservataire",
      "Contingent",
      "Contingent (libellé)",
      "Report de l'année précédente",
      "Dû à date",
      "Orientés",
      "Rendus",
      "Désignations échues",
      "Attribués",
      "Écart (dû + report − orientés)",
    ]),
    ...q.bilansFlux.flatMap((b) =>
      b.lignes.map((l) =>
        row([
          b.bailleurId,
          b.departement,
          b.annee,
          b.cloture ? "oui" : "non",
          b.fluxBrut,
          l.reservataireId,
          l.codeSne,
          contingents[l.codeSne] ?? "",
          l.report,
          l.du,
          l.orientes,
          l.rendus,
          l.designationsEchues,
          l.attribues,
          l.ecart,
        ]),
      ),
    ),
  ]);
}

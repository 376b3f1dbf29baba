import { frenchDate } from "@logis/domain";
import type { QuotasView } from "../app/quotas.js";
import type { Suivi } from "../domain/quotas.js";
import { csvRow as row } from "./csv.js";

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
  return [
    "\uFEFF",
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
    "\r\n",
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
    "\r\n",
    row(["Avertissements"]),
    ...(q.avertissements.length === 0
      ? [row(["Aucun objectif en retard à ce jour"])]
      : q.avertissements.map((a) => row([a.message]))),
    "\r\n",
    row([
      "Bilan du flux : bailleur",
      "Département",
      "Année",
      "Clos",
      "Flux brut",
      "Réservataire",
      "Contingent",
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
  ].join("");
}

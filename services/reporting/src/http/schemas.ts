import { Avancement } from "@logis/http";
import { z } from "zod";
import { MOTIFS_SORTIE } from "../domain/demand-row.js";
import { CONTINGENTS } from "../domain/statistics.js";

// The answers' shapes, for the OpenAPI document (the handlers' types are checked against them).

const count = z.number().int().min(0);
const Attente = z.object({
  demandes: count,
  medianeJours: z.number().optional(),
  p90Jours: z.number().optional(),
  medianeMois: z.number().optional(),
  p90Mois: z.number().optional(),
});
const Indicateurs = z.object({
  actives: count,
  primo: count,
  mutation: count,
  nouvelles: count,
  radiations: count,
  radiationsParMotif: z.object(
    Object.fromEntries(MOTIFS_SORTIE.map((m) => [m, count])) as Record<(typeof MOTIFS_SORTIE)[number], typeof count>,
  ),
  attente: Attente,
  prioritaires: count,
  partPrioritaires: z.number().optional(),
  attributions: z.object({
    total: count,
    parContingent: z.object(
      Object.fromEntries(CONTINGENTS.map((c) => [c, count])) as Record<(typeof CONTINGENTS)[number], typeof count>,
    ),
    dalo: count,
    logementDAbord: z.object({ menages: count, personnesEstimees: z.number() }),
    attente: Attente,
  }),
  tension: z.number().optional(),
  depassementDelai: z.object({ demandes: count, part: z.number().optional() }),
});
const LigneTableau = z.object({
  code: z.string(),
  libelle: z.string(),
  actives: count,
  primo: count,
  mutation: count,
  part: z.number(),
});
const Ventilation = Indicateurs.extend({ cle: z.string(), libelle: z.string() });

export const StatisticsView = z.object({
  filtres: z.object({ departement: z.string().optional(), epci: z.string().optional() }),
  periode: z.object({ du: z.iso.date(), au: z.iso.date() }),
  referentiel: z.string(),
  ensemble: Indicateurs,
  anciennete: z.array(LigneTableau),
  ageDemandeur: z.array(LigneTableau),
  tailleMenage: z.array(LigneTableau),
  ressources: z.array(LigneTableau),
  parDepartement: z.array(Ventilation),
  parEpci: z.array(Ventilation),
  parCommune: z.array(Ventilation),
  parTypologie: z.array(Ventilation),
  parDecile: z.array(Ventilation),
});

const LigneAttributionsFields = {
  attributions: count,
  dalo: count,
  prioritaires: count,
  partPrioritaires: z.number().optional(),
  horsQpv: count,
  premierQuartileHorsQpv: count,
  enQpv: count,
  logementDAbord: count,
};
const LigneAttributions = z.object({ cle: z.string(), libelle: z.string(), ...LigneAttributionsFields });

export const AttributionStatisticsView = z.object({
  filtres: z.object({ departement: z.string().optional(), epci: z.string().optional() }),
  periode: z.object({ du: z.iso.date(), au: z.iso.date() }),
  ensemble: z.object(LigneAttributionsFields),
  parReservataire: z.array(LigneAttributions),
  parContingent: z.array(LigneAttributions),
  parBailleur: z.array(LigneAttributions),
  parCommune: z.array(LigneAttributions),
  parTypologie: z.array(LigneAttributions),
  offres: z.object({ faites: count, acceptees: count, refusees: count, echues: count }),
  decisions: z.record(z.string(), count),
  inconnus: z.object({ qpv: count, quartile: count }),
});

const Suivi = z.object({
  numerateur: count,
  denominateur: count,
  taux: z.number().optional(),
  cible: z.number(),
  etat: z.enum(["atteint", "en-retard", "hors-d-atteinte", "sans-objet"]),
});
const Indicateur = z.enum(["q1HorsQpv", "autresQuartilesEnQpv", "prioritaires"]);

export const QuotasView = z.object({
  filtres: z.object({ departement: z.string().optional(), epci: z.string().optional(), annee: z.number().int() }),
  periode: z.object({ du: z.iso.date(), au: z.iso.date() }),
  referentiel: z.string(),
  epcis: z.array(
    z.object({
      epci: z.string(),
      libelle: z.string(),
      q1HorsQpv: Suivi,
      autresQuartilesEnQpv: Suivi,
      prioritairesParReservataire: z.array(Suivi.extend({ reservataireId: z.string() })),
    }),
  ),
  avertissements: z.array(
    z.object({
      id: z.string(),
      epci: z.string(),
      annee: z.number().int(),
      indicateur: Indicateur,
      reservataireId: z.string().optional(),
      etat: z.enum(["en-retard", "hors-d-atteinte"]),
      taux: z.number(),
      cible: z.number(),
      numerateur: count,
      denominateur: count,
      attributionsRestantes: count,
      requises: count,
      message: z.string(),
    }),
  ),
  bilansFlux: z.array(
    z.object({
      bailleurId: z.string(),
      departement: z.string(),
      annee: z.number().int(),
      fluxBrut: count,
      soustraits: z.record(z.string(), count),
      cloture: z.boolean(),
      lignes: z.array(
        z.object({
          reservataireId: z.string(),
          codeSne: z.string(),
          type: z.string(),
          report: z.number(),
          du: z.number(),
          orientes: count,
          rendus: count,
          rendusComptes: count,
          designationsEchues: count,
          attribues: count,
          ecart: z.number(),
        }),
      ),
    }),
  ),
});

export const RebuildView = z.object({
  id: z.string(),
  modele: z.enum(["demandes", "cotations", "logements", "flux", "attributions", "seances"]),
  statut: z.enum(["running", "done", "failed", "interrupted"]),
  collection: z.string(),
  progression: z.object({
    done: count,
    total: count.optional(),
    percent: z.number().optional(),
    estimatedEnd: z.string().optional(),
  }),
  /** The shared progress shape of long jobs: events read of those to replay, percentage, estimated end, French sentence. */
  avancement: Avancement,
  lignes: count.optional(),
  ecarts: count.optional(),
  /** When the rebuilt collection replaced the read model in service (the old one dropped). */
  enServiceLe: z.string().optional(),
  erreur: z.string().optional(),
});

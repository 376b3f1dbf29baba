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
});
const Ventilation = Indicateurs.extend({ cle: z.string(), libelle: z.string() });

export const StatisticsView = z.object({
  filtres: z.object({ departement: z.string().optional(), epci: z.string().optional() }),
  periode: z.object({ du: z.iso.date(), au: z.iso.date() }),
  referentiel: z.string(),
  ensemble: Indicateurs,
  anciennete: z.array(
    z.object({
      code: z.string(),
      libelle: z.string(),
      actives: count,
      primo: count,
      mutation: count,
      part: z.number(),
    }),
  ),
  parDepartement: z.array(Ventilation),
  parEpci: z.array(Ventilation),
  parCommune: z.array(Ventilation),
  parTypologie: z.array(Ventilation),
  parDecile: z.array(Ventilation),
});

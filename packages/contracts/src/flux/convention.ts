import { z } from "zod";
import { CommuneInsee } from "../registration/demand.js";
import { Typologie } from "./logement.js";

/** Kinds of reservers (domain reference §1, §5.3); each maps to its SNE contingent code (§2.4). */
export const ReservataireKind = z.enum(
  [
    "prefet_prioritaires",
    "prefet_agents",
    "action_logement",
    "employeur",
    "commune",
    "epci",
    "departement",
    "region",
    "bailleur",
    "autre",
  ],
  { error: "type de réservataire inconnu" },
);
export type ReservataireKind = z.infer<typeof ReservataireKind>;

/** SNE `ListeTypeReservataire`: the contingent an attribution is charged to. */
export const codeSneOf: Record<ReservataireKind, "PPRIOR" | "PFONCT" | "COLACT" | "COLTER" | "AUTRES" | "AUCUN"> = {
  prefet_prioritaires: "PPRIOR",
  prefet_agents: "PFONCT",
  action_logement: "COLACT",
  employeur: "COLACT",
  commune: "COLTER",
  epci: "COLTER",
  departement: "COLTER",
  region: "COLTER",
  bailleur: "AUCUN",
  autre: "AUTRES",
};

export const Reservataire = z.object({
  /** Organisation id of the reserver (`org_…`). */
  id: z.string().min(1, "identifiant du réservataire requis"),
  nom: z.string().trim().min(1, "nom du réservataire requis").max(120),
  type: ReservataireKind,
});
export type Reservataire = z.infer<typeof Reservataire>;

/** What the reservation is the counterpart of; the collectivities' loan-guarantee cap looks at it. */
export const Fondement = z.enum(["contingent_legal", "garantie_emprunt", "financement", "apport_foncier", "autre"], {
  error: "fondement attendu : contingent_legal, garantie_emprunt, financement, apport_foncier ou autre",
});
export type Fondement = z.infer<typeof Fondement>;

/** A percentage of the flux, at most two decimals (25, 12.5, 0.75). */
export const Pourcentage = z
  .number({ error: "pourcentage attendu (nombre entre 0 et 100)" })
  .min(0, "le pourcentage ne peut pas être négatif")
  .max(100, "le pourcentage ne peut pas dépasser 100 % du flux")
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, "pourcentage : au plus deux décimales");

/**
 * One line of a convention's split: for the units matching it (typologies and/or communes; a missing
 * list matches all), the reserver's share is this percentage instead of the convention's overall one.
 * The first matching line applies.
 */
export const LigneVentilation = z.object({
  typologies: z
    .array(Typologie)
    .min(1, "liste de typologies vide : retirez-la ou indiquez au moins une typologie")
    .optional(),
  communes: z
    .array(CommuneInsee)
    .min(1, "liste de communes vide : retirez-la ou indiquez au moins une commune")
    .optional(),
  pourcentage: Pourcentage,
});
export type LigneVentilation = z.infer<typeof LigneVentilation>;

/** The yearly share and clauses of a convention, as signed or as amended. */
export const ConditionsConvention = z
  .object({
    pourcentage: Pourcentage,
    fondement: Fondement,
    ventilation: z.array(LigneVentilation).max(50).default([]),
    /** Days the reserver has to designate candidates once a unit is oriented to it. */
    delaiDesignationJours: z
      .number()
      .int("délai de désignation : nombre entier de jours")
      .min(1, "délai de désignation : au moins 1 jour")
      .max(120, "délai de désignation : au plus 120 jours"),
    /** How a unit the reserver hands back counts: still in its flux, or not. */
    logementRendu: z.enum(["compte", "ne_compte_pas"], { error: "logement rendu : compte ou ne_compte_pas" }),
    validFrom: z.iso.date({ error: "date de début attendue (AAAA-MM-JJ)" }),
    /** Last day in force (inclusive); none = until amended. */
    validTo: z.iso.date({ error: "date de fin attendue (AAAA-MM-JJ)" }).optional(),
  })
  .refine((c) => c.validTo === undefined || c.validTo >= c.validFrom, {
    message: "la date de fin doit suivre la date de début",
    path: ["validTo"],
  });
export type ConditionsConvention = z.infer<typeof ConditionsConvention>;

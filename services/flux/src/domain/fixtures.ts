import { type ConditionsConvention, type LogementDeclare, type Reservataire, toLogement } from "@logis/contracts";
import type { LegalParameters } from "./legal-parameters.js";
import type { ConventionEnVigueur } from "./shares.js";

// Test data: a Moselle landlord (Metz 57463, Thionville 57672) and its reservers.

export const BAILLEUR = "org_bailleur_57";

export const unDeclare = (over: Partial<LogementDeclare> = {}): LogementDeclare => ({
  rplsId: "5700000001",
  idBailleur: "MET-001-012",
  commune: "57463",
  adresse: "12 rue des Jardins",
  codePostal: "57000",
  qpv: false,
  nbPieces: 3,
  surface: 64.5,
  etage: 2,
  ascenseur: true,
  accessibilite: "accessible",
  anneeConstruction: 1972,
  financement: "PLUS",
  loyer: 412.3,
  ...over,
});

export const unLogement = (over: Partial<LogementDeclare> = {}) => toLogement(unDeclare(over));

export const reservataires = {
  prefet: { id: "org_prefet_57", nom: "Préfet de la Moselle (publics prioritaires)", type: "prefet_prioritaires" },
  agents: { id: "org_prefet_57_agents", nom: "Préfet de la Moselle (agents de l'État)", type: "prefet_agents" },
  metz: { id: "org_metz", nom: "Ville de Metz", type: "commune" },
  eurometropole: { id: "org_metz_metropole", nom: "Metz Métropole", type: "epci" },
  actionLogement: { id: "org_action_logement", nom: "Action Logement Services", type: "action_logement" },
} satisfies Record<string, Reservataire>;

export const conditions = (over: Partial<ConditionsConvention> = {}): ConditionsConvention => ({
  pourcentage: 25,
  fondement: "contingent_legal",
  ventilation: [],
  delaiDesignationJours: 30,
  logementRendu: "compte",
  validFrom: "2026-01-01",
  ...over,
});

export const enVigueur = (
  conventionId: string,
  reservataire: Reservataire,
  over: Partial<ConditionsConvention> = {},
  commune?: string,
): ConventionEnVigueur => ({ conventionId, reservataire, commune, conditions: conditions(over) });

export const parametres: LegalParameters = {
  versions: [
    {
      id: "flux-test",
      validFrom: "2020-02-20",
      validTo: "2029-12-31",
      sources: ["CCH R441-5"],
      plafonds: [
        {
          code: "PREFET",
          libelle: "contingent préfectoral",
          reservataires: ["prefet_prioritaires", "prefet_agents"],
          plafond: 30,
          source: "CCH R441-5",
        },
        {
          code: "PREFET_AGENTS",
          libelle: "part des agents de l'État",
          reservataires: ["prefet_agents"],
          plafond: 5,
          source: "CCH R441-5",
        },
        {
          code: "COLLECTIVITES_GARANTIE",
          libelle: "réservations des collectivités en contrepartie de la garantie des emprunts",
          reservataires: ["commune", "epci", "departement", "region"],
          fondements: ["garantie_emprunt"],
          plafond: 20,
          source: "CCH R441-5",
        },
      ],
    },
    {
      id: "flux-test-2030",
      validFrom: "2030-01-01",
      validTo: null,
      sources: ["texte fictif de test"],
      plafonds: [
        {
          code: "PREFET",
          libelle: "contingent préfectoral",
          reservataires: ["prefet_prioritaires", "prefet_agents"],
          plafond: 35,
          source: "texte fictif",
        },
      ],
    },
  ],
};

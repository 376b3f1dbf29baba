import {
  BalanceClosed,
  CategorieLogement,
  ConditionsConvention,
  Departement,
  Logement,
  MotifLiberation,
  MotifSoustraction,
  Reservataire,
  RplsId,
  SubtractionForecastDeclared,
  sneCodeLists,
  UnitAssignedToReserver,
} from "@logis/contracts";
import type { CodeLabels } from "@logis/http";
import { z } from "zod";
import { kinds } from "./balance-html.js";

// The answers of flux's operations, as the wire carries them (documented in /openapi.json, checked
// against real answers by answers.int.test.ts). They follow what the use cases return (app/*.ts).

/** A civil day (Paris), ISO 8601 (`2026-11-15`). */
const day = z.iso.date().meta({ examples: ["2026-11-15"] });
/** A Date of a job document: JSON carries it as an ISO 8601 string (documented so by @logis/http). */
const stamp = z.coerce.date();
const Rpls = RplsId.meta({ examples: ["5700012345"] });

/** A unit as its landlord declared it, with its typology and département. */
const UnitView = z
  .object({
    rplsId: Rpls,
    bailleurId: z.string().meta({ examples: ["org_demo_bailleur_57"] }),
    logement: Logement,
    /** The freeing in progress (null: occupied). */
    vacance: z.object({ libereLe: day, motif: MotifLiberation }).nullish(),
    /** The unit's revision (events recorded on it). */
    version: z.number().int(),
  })
  .meta({ title: "Logement", description: "Un logement du patrimoine et sa vacance en cours" });

export const UnitChanged = z.object({
  unit: UnitView,
  /** The events recorded (none: nothing changed, the same declaration again). */
  events: z.array(z.enum(["UnitDeclared", "UnitUpdated", "UnitFreed", "UnitLet"])),
});

export const UnitsPage = z.object({
  logements: z.array(UnitView),
  /** The RPLS id to send as `apres` for the next page (null: the last page). */
  suivant: RplsId.nullable(),
});

export const Unit = UnitView;

const Cible = UnitAssignedToReserver.payload.shape.cible;

/** One freeing of a unit and where it went (what the ledger recorded). */
const Orientation = z
  .object({
    /** `<rplsId>@<libereLe>`. */
    id: z.string().meta({ examples: ["5700012345@2026-11-15"] }),
    ledgerId: z.string().meta({ examples: ["flux:org_demo_bailleur_57:57:2026"] }),
    rplsId: Rpls,
    libereLe: day,
    categorie: CategorieLogement,
    /** The reserver it is oriented to (absent: subtracted from the flux). */
    cible: Cible.optional(),
    soustraction: MotifSoustraction.optional(),
    /** The reserver designates candidates (or hands the unit back) by this day, inclusive. */
    designationAvant: day.optional(),
    /** Why this reserver: the orientation's explanation, or the written reason of an override. */
    motif: z.string().optional(),
    rendu: z.boolean(),
    attribue: z.boolean(),
    /** The reserver's (or the préfet's DALO) designation of candidates, as the CAL published it. */
    designation: z
      .object({
        le: day,
        source: z.enum(["reservataire", "prefet_dalo"]),
        /** Designated after `designationAvant` (or after the expiry was found): recorded, shown late; the unit still counts for the reserver. */
        enRetard: z.boolean().optional(),
      })
      .optional(),
    /** No designation by `designationAvant`: the landlord presents its own candidates. */
    designationExpiree: z.boolean().optional(),
  })
  .meta({
    title: "Orientation",
    description: "Une vacance d'un logement et le réservataire vers qui elle est orientée",
  });

export const OrientationOne = Orientation;
export const OrientationList = z.array(Orientation);

export const ImportStarted = z.object({
  id: z.string().meta({ examples: ["imp_01jd3k4m5n6p7q8r"] }),
  /** `running` when it starts: follow it at the Location given. */
  status: z.enum(["running", "done", "failed"]),
});

export const ImportJob = z.object({
  id: z.string(),
  bailleurId: z.string(),
  /** `interrupted`: the service stopped while the job ran (no news for two minutes). */
  status: z.enum(["running", "done", "failed", "interrupted"]),
  startedAt: stamp,
  heartbeatAt: stamp,
  finishedAt: stamp.optional(),
  startedBy: z.string(),
  progress: z.object({
    lus: z.number().int(),
    crees: z.number().int(),
    modifies: z.number().int(),
    inchanges: z.number().int(),
    erreurs: z.number().int(),
  }),
  /** One line per refusal (the first 1 000): the file's line, the unit, the field, the value, why. */
  errors: z.array(
    z.object({
      ligne: z.number().int(),
      rplsId: z.string().optional(),
      champ: z.string(),
      valeur: z.string().optional(),
      message: z.string(),
    }),
  ),
  error: z.string().optional(),
});

/** A reservation convention as signed, with every amendment's conditions in order. */
const ConventionView = z
  .object({
    conventionId: z.string().meta({ examples: ["cnv_3f2a1b0c9d8e7f60"] }),
    bailleurId: z.string(),
    reservataire: Reservataire,
    departement: Departement,
    /** Signed at commune level (absent: the whole département). */
    commune: z.string().optional(),
    signeLe: day,
    /** The signed conditions, then each amendment's (index = avenant number). */
    versions: z.array(ConditionsConvention).readonly(),
    version: z.number().int(),
  })
  .meta({ title: "Convention", description: "Une convention de réservation et ses avenants" });

export const Convention = ConventionView;
export const ConventionList = z.array(ConventionView);

const ParMotif = SubtractionForecastDeclared.payload.shape.prevision;

/** The yearly balance to date (or as closed), each reader its part. */
export const Balance = BalanceClosed.payload.extend({
  bailleurId: z.string(),
  /** The landlord's name. */
  bailleur: z.string(),
  departement: Departement,
  /** Closed: the figures are final (BalanceClosed published). */
  cloture: z.boolean(),
  /** The reservers' names, for the lines shown. */
  noms: z.record(z.string(), z.string()),
  /** The forecast of subtracted units declared for the next year. */
  previsionAnneeSuivante: ParMotif.optional(),
});

/** The balance as closed (the BalanceClosed event's payload). */
export const ClosedBalance = BalanceClosed.payload;

export const Recorded = z.object({
  events: z.array(z.enum(["FluxYearOpened", "SubtractionForecastDeclared"])),
});

/** Declared once in the document's components and referred to where they appear whole. */
export const sharedSchemas = { Logement: UnitView, Orientation, Convention: ConventionView };

/** Flux's coded values, labelled as landlords and reservers read them. */
const fluxLabels: Record<string, string>[] = [
  kinds,
  sneCodeLists.lists.typeReservataire,
  { depart: "Départ du locataire", premiere_mise_en_location: "Première mise en location" },
  {
    mutation_interne: "Mutation interne",
    renouvellement_urbain: "Relogement (renouvellement urbain)",
    copropriete_degradee: "Copropriété dégradée",
    demolition: "Démolition",
  },
  { non_accessible: "Non accessible", accessible: "Accessible (sans marche)", adapte: "Adapté (fauteuil roulant)" },
  { defense_securite: "Défense et sécurité", etablissement_sante: "Établissement de santé" },
  {
    PLAI: "Prêt locatif aidé d'intégration",
    PLUS: "Prêt locatif à usage social",
    PLS: "Prêt locatif social",
    PLI: "Prêt locatif intermédiaire",
  },
  { T1: "T1", T2: "T2", T3: "T3", T4: "T4", T5: "T5", T6P: "T6 et plus" },
  {
    contingent_legal: "Contingent légal",
    garantie_emprunt: "Garantie d'emprunt",
    financement: "Financement",
    apport_foncier: "Apport de terrain",
    autre: "Autre",
  },
  { compte: "Compte dans son flux", ne_compte_pas: "Ne compte pas dans son flux" },
  { reservataire: "Le réservataire", prefet_dalo: "Le préfet (ménage DALO)" },
  { running: "En cours", done: "Terminé", failed: "Échoué", interrupted: "Interrompu (service arrêté)" },
  { running: "En cours", done: "Terminé", failed: "Échoué" },
  {
    UnitDeclared: "Logement déclaré",
    UnitUpdated: "Logement modifié",
    UnitFreed: "Logement libéré",
    UnitLet: "Bail signé",
  },
  { FluxYearOpened: "Exercice ouvert", SubtractionForecastDeclared: "Prévision des soustraits déclarée" },
];
const sameSet = (values: readonly string[], keys: string[]) =>
  values.length === keys.length && values.every((v) => keys.includes(v));

/** The labels of flux's coded values: the list whose codes are exactly the enum's. */
export const fluxCodeLabels: CodeLabels = (values) => fluxLabels.find((l) => sameSet(values, Object.keys(l)));

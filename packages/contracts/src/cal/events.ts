import { z } from "zod";
import { defineEvent, type EventOf } from "../envelope.js";
import { Financement, RplsId, Typologie } from "../flux/logement.js";
import { codesOf } from "../registration/code-lists.js";
import { CommuneInsee, Departement, NumeroUnique } from "../registration/demand.js";
import { defineStream } from "../stream.js";
import { topics } from "../topics.js";

// The CAL service's public events (domain reference §6). Two aggregates publish:
// - a session of a commission (aggregateId `ses_…`): cal.session.v1;
// - the attribution of one vacancy (aggregateId `att_<rplsId>_<libereLe>`), from its candidates to its
//   lease, so that proposal, offers and lease stay in order on one partition: cal.attribution.v1.

const instant = z.iso.datetime({ offset: true });
const day = z.iso.date();
const author = z.string().min(1);

/** The five decisions of R441-3 (domain reference §6.2), one per examined candidate. */
export const TypeDecision = z.enum([
  "ATTRIBUTION",
  "ATTRIBUTION_RANG",
  "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE",
  "NON_ATTRIBUTION",
  "REJET_IRRECEVABILITE",
]);
export type TypeDecision = z.infer<typeof TypeDecision>;

/** Why fewer than three candidates may be examined (R441-3). */
export const ExceptionTroisCandidats = z.enum(["DALO_DESIGNE", "PLAI_ADAPTE", "INSUFFISANCE_CANDIDATS"]);
export type ExceptionTroisCandidats = z.infer<typeof ExceptionTroisCandidats>;

/** Where the candidates come from: the reserver's designation, the préfet's DALO designation, the landlord's shortlist. */
export const SourceCandidats = z.enum(["reservataire", "prefet_dalo", "bailleur"]);

/** One rule an eligibility check refused, with its figures (French message for people). */
export const RefusEligibilite = z.object({
  regle: z.string().min(1),
  message: z.string().min(1),
  chiffres: z.record(z.string(), z.union([z.number(), z.string(), z.boolean(), z.null()])),
});
export type RefusEligibilite = z.infer<typeof RefusEligibilite>;

/** A snapshot of an eligibility examination: the table and figures it used, and what it refused. */
export const ExamenEligibilite = z.object({
  eligible: z.boolean(),
  tablePlafonds: z.string().min(1),
  categorieMenage: z.number().int().min(1),
  personnes: z.number().int().min(1),
  revenuReference: z.object({ annee: z.number().int(), montant: z.number().min(0) }).nullable(),
  plafond: z.number().min(0).nullable(),
  refus: z.array(RefusEligibilite),
});
export type ExamenEligibilite = z.infer<typeof ExamenEligibilite>;

/** The unit as the CAL examines it (a subset of flux's Logement, plus the PLAI-adapté flag). */
export const LogementCal = z.object({
  rplsId: RplsId,
  bailleurId: z.string().min(1),
  commune: CommuneInsee,
  departement: Departement,
  typologie: Typologie,
  financement: Financement,
  loyer: z.number().min(0),
  plaiAdapte: z.boolean().default(false),
});

/** Who the vacancy is oriented to (flux's UnitAssignedToReserver `cible`). */
export const CibleCal = z.object({
  reservataireId: z.string().min(1),
  conventionId: z.string().nullable(),
  codeSne: z.enum(codesOf("typeReservataire")),
});

const Candidat = z.object({
  demandId: z.string().min(1),
  numeroUnique: NumeroUnique,
  /** 1 = first proposed. */
  ordre: z.number().int().positive(),
  dalo: z.boolean(),
  /** The favourable DALO decision's day, when the household is DALO and it is known: its rehousing deadline runs from it. */
  daloDecisionLe: day.optional(),
  rangCotation: z.object({ rank: z.number().int().positive(), of: z.number().int().positive() }).optional(),
  score: z.number().optional(),
  grille: z.object({ gridId: z.string(), version: z.number().int().positive() }).optional(),
  justification: z.string().min(1),
  eligibilite: ExamenEligibilite,
  /** Whether the household falls under a collective agreement (ACD/ACI): part of the R441-2-9 data. */
  accordCollectif: z.enum(["ACD", "ACI", "AUCUN"]).optional(),
});

/** The candidates of one vacancy, with the justification of each and of any exception to the three-candidate rule. */
export const CandidatesProposed = defineEvent(
  "CandidatesProposed",
  1,
  z.object({
    logement: LogementCal,
    libereLe: day,
    cible: CibleCal,
    source: SourceCandidats,
    candidats: z.array(Candidat).min(1),
    exception: z.object({ code: ExceptionTroisCandidats, justification: z.string().min(1) }).optional(),
    proposeLe: instant,
    proposePar: author,
  }),
);
export type CandidatesProposed = EventOf<typeof CandidatesProposed>;

export const ModeSeance = z.enum(["presentiel", "distanciel", "mixte", "en_ligne"]);

/** A commission's session was scheduled (mode, date, window for an online session, capacity). */
export const SessionScheduled = defineEvent(
  "SessionScheduled",
  1,
  z.object({
    commissionId: z.string().min(1),
    bailleurId: z.string().min(1),
    departement: Departement,
    type: z.enum(["CAL", "CALEOL"]),
    date: day,
    mode: ModeSeance,
    ouverture: instant.optional(),
    cloture: instant.optional(),
    capacite: z.number().int().positive(),
    programmeeLe: instant,
    programmeePar: author,
  }),
);
export type SessionScheduled = EventOf<typeof SessionScheduled>;

/** A session was cancelled; its agenda items go back to planning (`aReplanifier`: the vacancies' ids). */
export const SessionCancelled = defineEvent(
  "SessionCancelled",
  1,
  z.object({
    commissionId: z.string().min(1),
    date: day,
    motif: z.string().min(1),
    aReplanifier: z.array(z.string()),
    annuleeLe: instant,
    annuleePar: author,
  }),
);
export type SessionCancelled = EventOf<typeof SessionCancelled>;

/**
 * The convocation of a session sent to the préfet's representative (R441-9: the préfet, member of
 * every CAL, receives the convocation, the agenda and the minutes of the previous session): who, the
 * agenda, the previous session whose minutes go with it (null: the commission's first).
 */
export const SessionConvened = defineEvent(
  "SessionConvened",
  1,
  z.object({
    commissionId: z.string().min(1),
    bailleurId: z.string().min(1),
    departement: Departement,
    date: day,
    mode: ModeSeance,
    destinataires: z.array(z.object({ membreId: z.string().min(1), nom: z.string().min(1) })).min(1),
    ordreDuJour: z.array(
      z.object({
        nature: z.enum(["ATTRIBUTION", "EXAMEN_OCCUPATION"]),
        rplsId: RplsId,
        cle: z.string().min(1),
      }),
    ),
    seancePrecedente: z.object({ sessionId: z.string().min(1), date: day }).nullable(),
    convoqueeLe: instant,
    convoqueePar: author,
  }),
);
export type SessionConvened = EventOf<typeof SessionConvened>;

export const MotifNonAttribution = z.enum([
  "PROPRIETAIRE_LOGEMENT_ADAPTE",
  "PIECES_INCOMPLETES_OU_IRREGULIERES",
  "INADAPTATION_TYPOLOGIE",
  "LOGEMENT_INACCESSIBLE",
  "ELOIGNEMENT_TRAVAIL",
  "TAUX_EFFORT_EXCESSIF",
  "RESTE_A_VIVRE_INSUFFISANT",
  "CANDIDAT_MIEUX_CLASSE_ATTRIBUTAIRE",
  "REFUS_PREALABLE_CANDIDAT",
  "ABSENCE_LIEN_COMMUNE",
  "AUTRE",
]);
export type MotifNonAttribution = z.infer<typeof MotifNonAttribution>;

/** Legal access conditions: the only grounds of an inadmissibility rejection (SNE sub-reasons IRRRES, IRRSEJ). */
export const MotifIrrecevabilite = z.enum(["RESSOURCES_SUPERIEURES_PLAFOND", "SEJOUR_IRREGULIER"]);

/** The missing piece of a suspensive condition: from the limited list (R441-2-4-1). */
export const PieceManquante = z.enum([
  "AVIS_IMPOSITION",
  "TITRE_SEJOUR",
  "PIECE_IDENTITE",
  "JUSTIFICATIF_SITUATION_FAMILIALE",
  "JUSTIFICATIF_RESSOURCES",
  "JUGEMENT_DIVORCE_OU_ORDONNANCE",
]);

/** One decision of the commission on one candidate of one agenda item, with the votes that carried it. */
export const DecisionRecorded = defineEvent(
  "DecisionRecorded",
  1,
  z.object({
    commissionId: z.string().min(1),
    attributionId: z.string().min(1),
    rplsId: RplsId,
    demandId: z.string().min(1),
    numeroUnique: NumeroUnique,
    departement: Departement,
    type: TypeDecision,
    rang: z.number().int().positive().optional(),
    condition: z.object({ piece: PieceManquante, avant: day }).optional(),
    motifs: z.array(z.object({ code: z.string().min(1), precision: z.string().optional() })),
    votes: z.object({
      pour: z.number().int().min(0),
      contre: z.number().int().min(0),
      abstention: z.number().int().min(0),
    }),
    voixPreponderante: z.boolean(),
    decideLe: instant,
  }),
);
export type DecisionRecorded = EventOf<typeof DecisionRecorded>;

/** The commission's opinion on one lease's occupancy (CALEOL, L442-5-2). aggregateId = the session. */
/**
 * The commission's opinion on an occupancy examination (L442-5-2: the CALEOL records the situation,
 * defines the characteristics of a suitable dwelling and may advise social home ownership; the
 * landlord then reviews the tenant's path with him). A code, with its French label below.
 */
export const AvisOccupation = z.enum([
  "SITUATION_CONSTATEE_OFFRE_ADAPTEE",
  "SITUATION_CONSTATEE_PARCOURS_RESIDENTIEL",
  "SITUATION_CONSTATEE_SANS_SUITE",
  "SITUATION_NON_CONSTATEE",
]);
export type AvisOccupation = z.infer<typeof AvisOccupation>;
export const libellesAvisOccupation: Record<AvisOccupation, string> = {
  SITUATION_CONSTATEE_OFFRE_ADAPTEE:
    "Situation constatée : un logement adapté, aux caractéristiques définies par la commission, est à proposer au locataire",
  SITUATION_CONSTATEE_PARCOURS_RESIDENTIEL:
    "Situation constatée : le bailleur examine avec le locataire les possibilités d'évolution de son parcours résidentiel",
  SITUATION_CONSTATEE_SANS_SUITE:
    "Situation constatée : aucune suite à donner pour l'instant (maintien dans les lieux)",
  SITUATION_NON_CONSTATEE: "Situation non constatée : aucune suite à donner",
};

/** Why an item leaves the agenda of a session not yet held (it is planned again on a next session). */
export const MotifRetraitOrdreDuJour = z.enum([
  "DOSSIER_INCOMPLET",
  "CANDIDATS_A_COMPLETER",
  "LOGEMENT_INDISPONIBLE",
  "ORDRE_DU_JOUR_CHARGE",
  "DEMANDE_DU_RESERVATAIRE",
  "SITUATION_LOCATAIRE_A_ACTUALISER",
  "AUTRE",
]);
export type MotifRetraitOrdreDuJour = z.infer<typeof MotifRetraitOrdreDuJour>;
export const libellesMotifRetrait: Record<MotifRetraitOrdreDuJour, string> = {
  DOSSIER_INCOMPLET: "Dossier incomplet",
  CANDIDATS_A_COMPLETER: "Liste des candidats à compléter",
  LOGEMENT_INDISPONIBLE: "Logement momentanément indisponible (travaux, sinistre)",
  ORDRE_DU_JOUR_CHARGE: "Ordre du jour trop chargé : examen reporté",
  DEMANDE_DU_RESERVATAIRE: "À la demande du réservataire",
  SITUATION_LOCATAIRE_A_ACTUALISER: "Situation du locataire à actualiser (examen d'occupation)",
  AUTRE: "Autre motif (précisé en commentaire)",
};

export const OccupancyExamined = defineEvent(
  "OccupancyExamined",
  1,
  z.object({
    commissionId: z.string().min(1),
    bailId: z.string().min(1),
    rplsId: RplsId,
    situation: z.enum([
      "SUR_OCCUPATION",
      "SOUS_OCCUPATION",
      "ADAPTE_NON_NECESSAIRE",
      "BESOIN_LOGEMENT_ADAPTE",
      "RESSOURCES_SUPERIEURES_PLAFOND",
    ]),
    /** The opinion in words: the label of its code, or the text of an opinion recorded before the code list. */
    avis: z.string().min(1),
    /** The opinion's code (absent from opinions recorded before the code list). */
    code: AvisOccupation.optional(),
    commentaire: z.string().optional(),
    caracteristiquesLogementAdapte: z.string().optional(),
    accessionSocialeConseillee: z.boolean(),
    examineLe: instant,
  }),
);
export type OccupancyExamined = EventOf<typeof OccupancyExamined>;

/**
 * The commission's opinion notified to the tenant when the session closes (domain reference §6.4):
 * the letter to print and send is at `lettre` (a page of the CAL service).
 */
export const OccupancyOpinionNotified = defineEvent(
  "OccupancyOpinionNotified",
  1,
  z.object({
    commissionId: z.string().min(1),
    bailId: z.string().min(1),
    rplsId: RplsId,
    situation: OccupancyExamined.payload.shape.situation,
    avis: z.string().min(1),
    code: AvisOccupation.optional(),
    caracteristiquesLogementAdapte: z.string().optional(),
    accessionSocialeConseillee: z.boolean(),
    seanceLe: day,
    notifieLe: instant,
    lettre: z.string().min(1),
  }),
);
export type OccupancyOpinionNotified = EventOf<typeof OccupancyOpinionNotified>;

export const sessionStream = defineStream(topics.calSession, [
  SessionScheduled,
  SessionConvened,
  SessionCancelled,
  DecisionRecorded,
  OccupancyExamined,
  OccupancyOpinionNotified,
]);

const offerFields = {
  rplsId: RplsId,
  demandId: z.string().min(1),
  numeroUnique: NumeroUnique,
  rang: z.number().int().positive(),
};

/** The unit was offered to a candidate: notified on `notifieeLe`, answer by `repondreAvant` (inclusive). */
export const OfferMade = defineEvent(
  "OfferMade",
  1,
  z.object({
    ...offerFields,
    notifieeLe: day,
    repondreAvant: day,
    condition: z.object({ piece: PieceManquante, avant: day }).optional(),
    dalo: z.boolean(),
  }),
);
export type OfferMade = EventOf<typeof OfferMade>;

/** The candidate answered; a refusal passes the unit to the next ranked candidate (cotation applies its consequences). */
export const OfferAnswered = defineEvent(
  "OfferAnswered",
  1,
  z.object({
    ...offerFields,
    reponse: z.enum(["acceptee", "refusee"]),
    motifRefus: z.string().optional(),
    reponduLe: day,
  }),
);
export type OfferAnswered = EventOf<typeof OfferAnswered>;

/** No answer by the deadline (a refusal, R441-10), or the suspensive condition's piece never came. */
export const OfferLapsed = defineEvent(
  "OfferLapsed",
  1,
  z.object({ ...offerFields, cause: z.enum(["silence", "condition_non_levee"]), echueLe: day }),
);
export type OfferLapsed = EventOf<typeof OfferLapsed>;

/**
 * A lease was signed: registration radiates the demand (RADATT) with `radiation.attribution` (R441-2-9:
 * RPLS id, contingent charged, DALO, collective agreement, landlord); flux counts the unit as attributed.
 */
export const LeaseSigned = defineEvent(
  "LeaseSigned",
  1,
  z.object({
    ...offerFields,
    departement: Departement,
    libereLe: day,
    bailSigneLe: day,
    reservataireId: z.string().min(1),
    conventionId: z.string().nullable(),
    attribution: z.object({
      rplsId: RplsId,
      contingent: z.enum(codesOf("typeReservataire")),
      dalo: z.boolean(),
      accordCollectif: z.enum(["ACD", "ACI", "AUCUN"]),
      bailleur: z.string().min(1),
    }),
    enregistreLe: instant,
    enregistrePar: author,
  }),
);
export type LeaseSigned = EventOf<typeof LeaseSigned>;

export const attributionStream = defineStream(topics.calAttribution, [
  CandidatesProposed,
  OfferMade,
  OfferAnswered,
  OfferLapsed,
  LeaseSigned,
]);
export type CalSessionEvent = z.infer<typeof sessionStream.schema>;
export type CalAttributionEvent = z.infer<typeof attributionStream.schema>;

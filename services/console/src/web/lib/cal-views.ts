import type { ExamenEligibilite } from "@logis/contracts";

// What the console reads of the CAL's views. The CAL documents them loosely (its outputs are its
// aggregates' states, `View` in services/cal/src/http/schemas.ts): these mirror the fields of
// services/cal/src/domain/{commission,session,attribution,minutes}.ts the pages show.

export interface Membre {
  id: string;
  nom: string;
  qualite: string;
  voix: "deliberative" | "consultative";
}

export interface CommissionView {
  _id: string;
  bailleurId: string;
  departement: string;
  typeCommission: "CAL" | "CALEOL";
  membres: Membre[];
  reglement: { version: string; quorum: { fraction: number; minimum: number }; majorite: string };
  mode: string;
  capacite: number;
}

export interface AgendaCandidate {
  demandId: string;
  numeroUnique: string;
  dalo: boolean;
  eligibilite: ExamenEligibilite;
}

export type AgendaItem =
  | {
      kind: "ATTRIBUTION";
      attributionId: string;
      rplsId: string;
      reservataireId: string;
      candidats: AgendaCandidate[];
    }
  | { kind: "EXAMEN_OCCUPATION"; bailId: string; rplsId: string; situation: string };

export interface DecisionView {
  attributionId: string;
  demandId: string;
  type: string;
  rang?: number;
  votes: { pour: number; contre: number; abstention: number };
}

export interface SessionView {
  _id: string;
  commissionId: string;
  date: string;
  mode: string;
  capacite: number;
  membres: Membre[];
  reglement: { version: string; quorum: { fraction: number; minimum: number } };
  statut: "programmee" | "ouverte" | "close" | "annulee";
  agenda: AgendaItem[];
  presents: string[];
  decisions: DecisionView[];
  /** The CALEOL's opinions on the occupancy of the leases on its agenda. */
  examens?: {
    bailId: string;
    rplsId: string;
    situation: string;
    avis: string;
    code?: string;
    commentaire?: string;
    caracteristiquesLogementAdapte?: string;
    accessionSocialeConseillee: boolean;
  }[];
  /** Items taken off the agenda before the session was held (planned again on a next session). */
  retraits?: {
    cle: string;
    nature: "ATTRIBUTION" | "EXAMEN_OCCUPATION";
    rplsId: string;
    motif: string;
    commentaire?: string;
    le: string;
  }[];
}

/** An agenda item's key in the CAL (its attribution, or its lease for an occupancy examination). */
export const itemKey = (item: AgendaItem) => (item.kind === "ATTRIBUTION" ? item.attributionId : item.bailId);

/** What the CAL answers to an item's removal: the session without it, and where the item went. */
export interface RemovedView extends SessionView {
  replanification: { sessionId: string | null; date: string | null; motif?: string } | null;
}

/** What the CAL answers to a cancellation: the session, and where its agenda went. */
export interface CancelledView extends SessionView {
  replanification?: {
    placements: { attributionId: string; sessionId: string; date: string }[];
    nonPlaces: { attributionId: string; motif: string }[];
  };
}

export const situationsOccupation: Record<string, string> = {
  SUR_OCCUPATION: "sur-occupation",
  SOUS_OCCUPATION: "sous-occupation",
  ADAPTE_NON_NECESSAIRE: "logement adapté dont l'adaptation n'est plus nécessaire",
  BESOIN_LOGEMENT_ADAPTE: "besoin d'un logement adapté (perte d'autonomie, handicap)",
  RESSOURCES_SUPERIEURES_PLAFOND: "ressources supérieures au plafond",
};

export const piecesLabels: Record<string, string> = {
  AVIS_IMPOSITION: "avis d'imposition",
  TITRE_SEJOUR: "titre de séjour",
  PIECE_IDENTITE: "pièce d'identité",
  JUSTIFICATIF_SITUATION_FAMILIALE: "justificatif de situation familiale",
  JUSTIFICATIF_RESSOURCES: "justificatif de ressources",
  JUGEMENT_DIVORCE_OU_ORDONNANCE: "jugement de divorce ou ordonnance",
};

export interface OfferView {
  demandId: string;
  numeroUnique: string;
  rang: number;
  notifieeLe: string;
  repondreAvant: string;
  condition?: { piece: string; avant: string; levee: boolean };
  statut: "en_attente" | "acceptee" | "refusee" | "echue";
}

export interface AttributionView {
  _id: string;
  statut: "a_designer" | "proposee" | "decidee" | "offre_en_cours" | "a_reproposer" | "bail_signe";
  logement?: {
    rplsId: string;
    bailleurId: string;
    commune: string;
    departement: string;
    typologie: string;
    financement: string;
    loyer: number;
  };
  libereLe?: string;
  cible?: { reservataireId: string; conventionId: string | null; codeSne: string };
  designationAvant?: string;
  renduLe?: string;
  designationExpiree?: boolean;
  candidats?: {
    demandId: string;
    numeroUnique: string;
    justification?: string;
    rangCotation?: { rank: number; of: number };
    score?: number;
  }[];
  offres: OfferView[];
  bail?: { demandId: string; signeLe: string };
}

export interface MinutesView {
  titre: string;
  commissionId: string;
  date: string;
  mode: string;
  statut: string;
  reglement: string;
  membres: { nom: string; qualite: string; voix: string; present: boolean }[];
  quorum: { presents: number; requis: number; atteint: boolean };
  logements: {
    rplsId: string;
    reservataireId: string;
    candidats: {
      numeroUnique: string;
      decision: string | null;
      rang?: number;
      condition?: string;
      motifs: string[];
      votes?: string;
    }[];
  }[];
  annulation?: { motif: string; le: string };
}

/** The quorum as the CAL counts it (services/cal/src/domain/session.ts quorumOf). */
export function quorumOf(s: { membres: Membre[]; presents: string[]; reglement: SessionView["reglement"] }) {
  const deliberatifs = s.membres.filter((m) => m.voix === "deliberative");
  const presents = deliberatifs.filter((m) => s.presents.includes(m.id)).length;
  const requis = Math.max(s.reglement.quorum.minimum, Math.ceil(deliberatifs.length * s.reglement.quorum.fraction));
  return { presents, requis, atteint: presents >= requis };
}

export const statutSeance: Record<SessionView["statut"], string> = {
  programmee: "programmée",
  ouverte: "ouverte",
  close: "close",
  annulee: "annulée",
};

export const statutAttribution: Record<AttributionView["statut"], string> = {
  a_designer: "candidats à désigner",
  proposee: "candidats proposés",
  decidee: "décidée en commission",
  offre_en_cours: "offre en cours",
  a_reproposer: "candidats à reproposer",
  bail_signe: "bail signé",
};

export const decisionLabels: Record<string, string> = {
  ATTRIBUTION: "Attribution",
  ATTRIBUTION_RANG: "Attribution par rang",
  ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE: "Attribution sous condition suspensive",
  NON_ATTRIBUTION: "Non-attribution",
  REJET_IRRECEVABILITE: "Rejet pour irrecevabilité",
};

export const offerLabels: Record<OfferView["statut"], string> = {
  en_attente: "en attente de réponse",
  acceptee: "acceptée",
  refusee: "refusée",
  echue: "échue (sans réponse)",
};

/** The console's name for a commission's session on a day (the CAL lets the caller name sessions). */
export const sessionIdOf = (commissionId: string, day: string) => `ses_${commissionId.replace(/^com_/, "")}_${day}`;

export const voixLabel = (voix: string) =>
  voix === "deliberative" ? "délibérative" : voix === "consultative" ? "consultative" : voix;

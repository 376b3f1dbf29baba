import type { Actor, DemandFacts, DemandForm, DemandStatus, Guichet, Radiation } from "@logis/contracts";
import { err, frenchDate, ok, type Result } from "@logis/domain";
import { attestationOf } from "./attestation.js";
import { addMonths, type LegalRules } from "./rules.js";

/** A change recorded on the demand: who, when, what (paths only for sensitive data). */
export interface HistoryEntry {
  at: string;
  by: Actor & { name?: string | undefined };
  action:
    | "register"
    | "update"
    | "renew"
    | "cancel"
    | "reactivate"
    | "radiate"
    | "purge"
    | "notice"
    | "present-again"
    | "piece"
    | "refusal"
    | "attestation"
    | "procedure";
  changes: string[];
  comment?: string | undefined;
}

export type NoticeChannel = "courrier" | "email" | "sms";

export interface RenewalNotice {
  at: string;
  forValidUntil: string;
  channel: NoticeChannel;
}

/** A piece the desk received: at registration (identity, residence permit) or as a checked proof. */
export interface PieceRecord {
  piece: string;
  receivedAt: string;
  by: HistoryEntry["by"];
  /** Checked by the desk (a proof for the criteria named). */
  checked: boolean;
  criteres: string[];
  /** Whose piece, for the pieces of registration. */
  personne?: "demandeur" | "cotitulaire" | undefined;
}

/** A refusal of a unit, recorded by a desk until the CAL service records offer answers. */
export interface RefusalRecord {
  refusedOn: string;
  suitable: boolean;
  rplsId?: string | undefined;
  recordedAt: string;
  by: HistoryEntry["by"];
  comment: string;
}

/** One issue of the attestation: what was issued (its content as issued), when, how, which content version. */
export interface AttestationIssue {
  issuedAt: string;
  channel: NoticeChannel | "guichet";
  contentVersion: string;
  reason: "registration" | "renewal" | "reactivation" | "copy";
  content: Record<string, unknown>;
}

/** A radiation procedure under way: it radiates at `dueAt` unless stopped before. */
export type Procedure =
  | { kind: "inadmissibility"; sousMotif: "IRRSEJ" | "IRRRES"; notifiedAt: string; dueAt: string; decision: string }
  | { kind: "no-answer"; letterAt: string; dueAt: string; objet: string };

/** The registration service's own view of a demand (the aggregate). */
export interface Demand {
  id: string;
  numeroUnique: string;
  departement: string;
  status: DemandStatus;
  /** Document revision, for optimistic concurrency. */
  version: number;
  /** The aggregateVersion of the last event emitted (events are numbered 1, 2, 3… without gaps). */
  eventSeq: number;
  /** First deposit: the demand's ancienneté, kept across renewals and reactivation. */
  dateDepot: string;
  dateDernierRenouvellement?: string | undefined;
  validUntil: string;
  guichet: Guichet;
  form?: DemandForm | undefined;
  radiation?: Radiation | undefined;
  reactivableUntil?: string | undefined;
  purgeAfter?: string | undefined;
  purgedAt?: string | undefined;
  notices: RenewalNotice[];
  /** Demands the desks examined and declared to be other households. */
  distinctFrom: string[];
  history: HistoryEntry[];
  /** Pieces received (registration pieces, checked proofs). */
  pieces?: PieceRecord[] | undefined;
  refusals?: RefusalRecord[] | undefined;
  attestations?: AttestationIssue[] | undefined;
  procedure?: Procedure | undefined;
  /** Registered by an ex-partner after a separation: the original demand, whose first deposit date it keeps. */
  separation?: { numeroUniqueOrigine: string; demandIdOrigine: string; dateDepotOrigine: string } | undefined;
  /**
   * The demand's data key (256 bits, base64): its facts travel sealed with it on the demand topic
   * (decision 0012). Never shown; gone with the personal data at purge.
   */
  dataKey?: string | undefined;
  /** Purged stub: when the key's tombstone was acknowledged by Kafka (absent: to publish again). */
  keyDestroyedAt?: string | undefined;
}

export type DemandError =
  | { code: "DEMAND_NOT_ACTIVE"; status: DemandStatus }
  | { code: "RENEWAL_TOO_EARLY"; opensAt: string }
  | { code: "NOT_CANCELLED"; status: DemandStatus }
  | { code: "REACTIVATION_WINDOW_CLOSED"; closedAt: string }
  | { code: "SUB_REASON_REQUIRED" }
  | { code: "ATTRIBUTION_DATA_REQUIRED" }
  | { code: "RADREN_IS_AUTOMATIC" }
  | { code: "ALREADY_PURGED" }
  | { code: "NOT_DUE"; dueAt: string }
  | { code: "DEPARTEMENT_MISMATCH"; field: string; commune: string }
  | { code: "PIECE_REQUIRED"; piece: string; personne: "demandeur" | "cotitulaire" }
  | { code: "PROCEDURE_UNDER_WAY"; kind: Procedure["kind"]; dueAt: string }
  | { code: "NO_PROCEDURE"; kind: Procedure["kind"] }
  | { code: "NEEDS_PROCEDURE"; motif: "RADIRR" | "RADCON" }
  | { code: "DATE_IN_FUTURE"; field: string; date: string };

/** French messages for each domain error, shown to desks as they are. */
export const demandErrorMessage = (e: DemandError): string => {
  switch (e.code) {
    case "DEMAND_NOT_ACTIVE":
      return `La demande n'est pas active (statut : ${e.status})`;
    case "RENEWAL_TOO_EARLY":
      return `Le renouvellement n'est possible qu'à partir du ${frenchDate(new Date(e.opensAt))}`;
    case "NOT_CANCELLED":
      return `Seule une demande annulée pour non-renouvellement peut être réactivée (statut : ${e.status})`;
    case "REACTIVATION_WINDOW_CLOSED":
      return `Le délai de réactivation a expiré le ${frenchDate(new Date(e.closedAt))}`;
    case "SUB_REASON_REQUIRED":
      return "Le sous-motif d'irrecevabilité (IRRSEJ ou IRRRES) est obligatoire";
    case "ATTRIBUTION_DATA_REQUIRED":
      return "Une radiation pour attribution exige les données R441-2-9 (RPLS, contingent, DALO, accord collectif)";
    case "RADREN_IS_AUTOMATIC":
      return "La radiation pour non-renouvellement est prononcée automatiquement à l'échéance";
    case "ALREADY_PURGED":
      return "Les données de cette demande ont été purgées";
    case "NOT_DUE":
      return `Échéance non atteinte (${frenchDate(new Date(e.dueAt))})`;
    case "DEPARTEMENT_MISMATCH":
      return `La commune ${e.commune} n'est pas dans le département de la demande`;
    case "PIECE_REQUIRED":
      return `Pièce manquante pour enregistrer la demande : ${e.piece} (${e.personne})`;
    case "PROCEDURE_UNDER_WAY":
      return `Une procédure de radiation (${e.kind === "inadmissibility" ? "irrecevabilité" : "courrier sans réponse"}) est en cours jusqu'au ${frenchDate(new Date(e.dueAt))}`;
    case "NO_PROCEDURE":
      return `Aucune procédure ${e.kind === "inadmissibility" ? "d'irrecevabilité" : "de courrier sans réponse"} en cours`;
    case "NEEDS_PROCEDURE":
      return e.motif === "RADIRR"
        ? "L'irrecevabilité se notifie (POST …/irrecevabilite) : la radiation suit d'un mois la notification"
        : "L'absence de réponse se constate après un courrier (POST …/courriers) : la radiation suit le délai légal";
    case "DATE_IN_FUTURE":
      return `Date dans le futur : ${e.date}`;
  }
};

/** The departement of an INSEE commune code (2A/2B for Corsica, 3 digits overseas). */
export const departementOfCommune = (insee: string): string =>
  insee.startsWith("97") ? insee.slice(0, 3) : insee.slice(0, 2);

/** A demand is made per département: every wished commune must be in it (domain §2.1). */
export function checkCommunes(form: DemandForm): Result<void, DemandError> {
  for (const [i, commune] of form.souhaits.communes.entries()) {
    if (departementOfCommune(commune) !== form.departement) {
      return err({ code: "DEPARTEMENT_MISMATCH", field: `souhaits.communes.${i}`, commune });
    }
  }
  return ok(undefined);
}

/** The facts events carry: no contact details, NIRs or sensitive descriptions. */
export function toFacts(form: DemandForm): DemandFacts {
  const { nir: _n1, ...demandeur } = form.demandeur;
  const cotitulaire = form.cotitulaire ? (({ nir: _n2, ...c }) => c)(form.cotitulaire) : undefined;
  return {
    demandeur,
    ...(cotitulaire ? { cotitulaire } : {}),
    personnesACharge: form.personnesACharge.map(({ nir: _n3, ...p }) => p),
    ...(form.naissanceAttendue ? { naissanceAttendue: form.naissanceAttendue } : {}),
    enfantsEnGarde: form.enfantsEnGarde,
    ...(form.contact.adresse.etranger ? {} : { communeResidence: form.contact.adresse.commune }),
    logementActuel: form.logementActuel,
    motifs: form.motifs,
    souhaits: form.souhaits,
    situations: form.situations,
  };
}

export interface NewDemand {
  id: string;
  numeroUnique: string;
  form: DemandForm;
  guichet: Guichet;
  by: HistoryEntry["by"];
  now: Date;
  /** The legal rules in force at `now`. */
  rules: LegalRules;
  dateDepot?: string | undefined;
}

/**
 * A new demand, its attestation issued at once at the desk (within the legal month, R441-2-4).
 * `dateDepot`: the first deposit date when it is kept from another demand (a couple's separation).
 */
export function register({ id, numeroUnique, form, guichet, by, now, rules, dateDepot }: NewDemand): Demand {
  const at = now.toISOString();
  const demand: Demand = {
    id,
    numeroUnique,
    departement: form.departement,
    status: "active",
    version: 1,
    eventSeq: 1,
    dateDepot: dateDepot ?? at,
    validUntil: addMonths(now, rules.validityMonths).toISOString(),
    guichet,
    form,
    notices: [],
    distinctFrom: [],
    history: [{ at, by, action: "register", changes: [] }],
  };
  demand.attestations = [attestationIssue(demand, now, rules, "guichet", "registration")];
  return demand;
}

/** One issue of the attestation with its content as of `now`. */
export function attestationIssue(
  d: Demand,
  now: Date,
  rules: LegalRules,
  channel: AttestationIssue["channel"],
  reason: AttestationIssue["reason"],
): AttestationIssue {
  return {
    issuedAt: now.toISOString(),
    channel,
    contentVersion: rules.attestationContentVersion,
    reason,
    content: attestationOf(d, now, rules),
  };
}

export function assertActive(d: Demand): Result<void, DemandError> {
  if (d.status === "purged") return err({ code: "ALREADY_PURGED" });
  return d.status === "active" ? ok(undefined) : err({ code: "DEMAND_NOT_ACTIVE", status: d.status });
}

/** Renewal keeps the first deposit date and the number; validity runs one more period from now. */
export function renew(
  d: Demand,
  now: Date,
  rules: LegalRules,
): Result<{ validUntil: string; renewedAt: string }, DemandError> {
  const active = assertActive(d);
  if (!active.ok) return active;
  const opensAt = addMonths(new Date(d.validUntil), -rules.renewalOpensMonthsBeforeExpiry);
  if (now < opensAt) return err({ code: "RENEWAL_TOO_EARLY", opensAt: opensAt.toISOString() });
  return ok({ renewedAt: now.toISOString(), validUntil: addMonths(now, rules.validityMonths).toISOString() });
}

/** When the renewal notice is due for the current validity period, if not sent yet. */
export function renewalNoticeDue(d: Demand, now: Date, rules: LegalRules): boolean {
  if (d.status !== "active") return false;
  if (d.notices.some((n) => n.forValidUntil === d.validUntil)) return false;
  const dueAt = addMonths(new Date(d.validUntil), -rules.renewalNoticeMonthsBeforeExpiry);
  return now >= dueAt;
}

export function cancelForNonRenewal(d: Demand, now: Date, rules: LegalRules) {
  const active = assertActive(d);
  if (!active.ok) return active;
  const expiry = new Date(d.validUntil);
  const dueAt = addMonths(expiry, rules.cancellationMonthsAfterExpiry);
  if (now < dueAt) return err<DemandError>({ code: "NOT_DUE", dueAt: dueAt.toISOString() });
  return ok({
    cancelledAt: now.toISOString(),
    reactivableUntil: addMonths(expiry, rules.reactivationMonthsAfterExpiry).toISOString(),
    purgeAfter: addMonths(now, rules.purgeMonthsAfterRadiation).toISOString(),
  });
}

export function reactivate(
  d: Demand,
  now: Date,
  rules: LegalRules,
): Result<{ reactivatedAt: string; validUntil: string }, DemandError> {
  // Cancelled for non-renewal, or radiated for want of an answer to a letter (an answer came): both reactivable.
  const noAnswer = d.status === "radiated" && d.radiation?.motif === "RADCON" && d.reactivableUntil !== undefined;
  if (d.status !== "cancelled" && !noAnswer) return err({ code: "NOT_CANCELLED", status: d.status });
  if (d.reactivableUntil && now > new Date(d.reactivableUntil)) {
    return err({ code: "REACTIVATION_WINDOW_CLOSED", closedAt: d.reactivableUntil });
  }
  return ok({
    reactivatedAt: now.toISOString(),
    validUntil: addMonths(now, rules.validityMonths).toISOString(),
  });
}

export function radiate(d: Demand, radiation: Omit<Radiation, "date">, now: Date, rules: LegalRules) {
  if (d.status === "purged") return err<DemandError>({ code: "ALREADY_PURGED" });
  // An attribution may still close a demand cancelled for non-renewal; other reasons need an active one.
  if (d.status === "radiated" || (d.status === "cancelled" && radiation.motif !== "RADATT")) {
    return err<DemandError>({ code: "DEMAND_NOT_ACTIVE", status: d.status });
  }
  if (radiation.motif === "RADREN") return err<DemandError>({ code: "RADREN_IS_AUTOMATIC" });
  if (radiation.motif === "RADIRR" && !radiation.sousMotif) return err<DemandError>({ code: "SUB_REASON_REQUIRED" });
  if (radiation.motif === "RADATT" && !radiation.attribution)
    return err<DemandError>({ code: "ATTRIBUTION_DATA_REQUIRED" });
  const full: Radiation = { ...radiation, date: now.toISOString() };
  return ok({ radiation: full, purgeAfter: addMonths(now, rules.purgeMonthsAfterRadiation).toISOString() });
}

export function purgeDue(d: Demand, now: Date): boolean {
  return (
    (d.status === "cancelled" || d.status === "radiated") && d.purgeAfter !== undefined && now >= new Date(d.purgeAfter)
  );
}

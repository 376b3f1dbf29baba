import type { Actor, DemandFacts, DemandForm, DemandStatus, Guichet, Radiation } from "@logis/contracts";
import { err, frenchDate, ok, type Result } from "@logis/domain";
import { addMonths, type LegalRules } from "./rules.js";

/** A change recorded on the demand: who, when, what (paths only for sensitive data). */
export interface HistoryEntry {
  at: string;
  by: Actor & { name?: string | undefined };
  action: "register" | "update" | "renew" | "cancel" | "reactivate" | "radiate" | "purge" | "notice" | "present-again";
  changes: string[];
  comment?: string | undefined;
}

export interface RenewalNotice {
  at: string;
  forValidUntil: string;
  channel: "courrier" | "email";
}

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
  | { code: "DEPARTEMENT_MISMATCH"; field: string; commune: string };

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
}

export function register({ id, numeroUnique, form, guichet, by, now, rules }: NewDemand): Demand {
  const at = now.toISOString();
  return {
    id,
    numeroUnique,
    departement: form.departement,
    status: "active",
    version: 1,
    eventSeq: 1,
    dateDepot: at,
    validUntil: addMonths(now, rules.validityMonths).toISOString(),
    guichet,
    form,
    notices: [],
    distinctFrom: [],
    history: [{ at, by, action: "register", changes: [] }],
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
  if (d.status !== "cancelled") return err({ code: "NOT_CANCELLED", status: d.status });
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

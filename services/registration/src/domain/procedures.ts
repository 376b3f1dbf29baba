import type { DemandForm } from "@logis/contracts";
import { err, ok, type Result } from "@logis/domain";
import type { Demand, DemandError, NoticeChannel, Procedure } from "./demand.js";
import { addMonths, type LegalRules } from "./rules.js";

// The procedures around a demand that are not changes of its form: the pieces required to register,
// the channels of a renewal notice, and the radiations that follow a notification or a letter.

/** A piece handed over at registration, and whose it is. */
export interface RegistrationPiece {
  piece: string;
  personne: "demandeur" | "cotitulaire";
}

type Adult = RegistrationPiece["personne"];

/**
 * The pieces required to register: the identity document of each adult applicant, plus the residence
 * permit for one from outside the EU/EEA/Switzerland (nationality code 3 "Hors UE" unless the desk
 * says the person is from the EEA or Switzerland). The rules in force name the pieces.
 */
export function requiredRegistrationPieces(
  form: Pick<DemandForm, "demandeur" | "cotitulaire">,
  eeaOrSwiss: readonly Adult[],
  rules: LegalRules,
): RegistrationPiece[] {
  const adults: [Adult, string | undefined][] = [["demandeur", form.demandeur.nationalite]];
  if (form.cotitulaire) adults.push(["cotitulaire", form.cotitulaire.nationalite]);
  return adults.flatMap(([personne, nationalite]) =>
    [
      ...rules.registrationPieces.always,
      ...(nationalite === "3" && !eeaOrSwiss.includes(personne) ? rules.registrationPieces.nonEuEeaSwiss : []),
    ].map((piece) => ({ piece, personne })),
  );
}

export function checkRegistrationPieces(
  form: Pick<DemandForm, "demandeur" | "cotitulaire">,
  pieces: readonly RegistrationPiece[],
  eeaOrSwiss: readonly Adult[],
  rules: LegalRules,
): Result<void, DemandError> {
  const missing = requiredRegistrationPieces(form, eeaOrSwiss, rules).find(
    (r) => !pieces.some((p) => p.piece === r.piece && p.personne === r.personne),
  );
  return missing ? err({ code: "PIECE_REQUIRED", ...missing }) : ok(undefined);
}

/**
 * The channels a renewal notice goes on: each channel the applicant accepted that the platform
 * sends on and for which it has an address; without accepted channels, the preferred one (post
 * unless e-mail is preferred and known, R441-2-7). Post is the fallback when nothing else is usable.
 */
export function noticeChannels(form: DemandForm, rules: LegalRules): NoticeChannel[] {
  const { contact } = form;
  const usable = (c: NoticeChannel) =>
    rules.renewalNoticeChannels.includes(c) &&
    (c === "courrier" || (c === "email" ? contact.email !== undefined : contact.telephone !== undefined));
  const accepted: NoticeChannel[] = contact.canauxAcceptes ?? [
    contact.canalPrefere === "email" && contact.email ? "email" : "courrier",
  ];
  const channels = accepted.filter(usable);
  return channels.length > 0 ? channels : ["courrier"];
}

export function startInadmissibility(
  d: Demand,
  input: { sousMotif: "IRRSEJ" | "IRRRES"; notifiedAt: string; decision: string },
  now: Date,
  rules: LegalRules,
): Result<Procedure, DemandError> {
  const free = noProcedure(d);
  if (!free.ok) return free;
  const notified = new Date(input.notifiedAt);
  if (notified > now) return err({ code: "DATE_IN_FUTURE", field: "notifieLe", date: input.notifiedAt });
  return ok({
    kind: "inadmissibility",
    sousMotif: input.sousMotif,
    notifiedAt: notified.toISOString(),
    dueAt: addMonths(notified, rules.inadmissibilityRadiationMonthsAfterNotification).toISOString(),
    decision: input.decision,
  });
}

export function startNoAnswer(
  d: Demand,
  input: { letterAt: string; objet: string },
  now: Date,
  rules: LegalRules,
): Result<Procedure, DemandError> {
  const free = noProcedure(d);
  if (!free.ok) return free;
  const sent = new Date(input.letterAt);
  if (sent > now) return err({ code: "DATE_IN_FUTURE", field: "envoyeLe", date: input.letterAt });
  return ok({
    kind: "no-answer",
    letterAt: sent.toISOString(),
    dueAt: addMonths(sent, rules.noAnswerRadiationMonthsAfterLetter).toISOString(),
    objet: input.objet,
  });
}

function noProcedure(d: Demand): Result<void, DemandError> {
  if (d.status === "purged") return err({ code: "ALREADY_PURGED" });
  if (d.status !== "active") return err({ code: "DEMAND_NOT_ACTIVE", status: d.status });
  if (d.procedure) return err({ code: "PROCEDURE_UNDER_WAY", kind: d.procedure.kind, dueAt: d.procedure.dueAt });
  return ok(undefined);
}

/** The procedure of that kind under way, or why there is none to stop. */
export function procedureOf(d: Demand, kind: Procedure["kind"]): Result<Procedure, DemandError> {
  if (d.status === "purged") return err({ code: "ALREADY_PURGED" });
  if (!d.procedure || d.procedure.kind !== kind || d.status !== "active") return err({ code: "NO_PROCEDURE", kind });
  return ok(d.procedure);
}

/** Whether the procedure under way has reached its radiation date. */
export const procedureDue = (d: Demand, now: Date): boolean =>
  d.status === "active" && d.procedure !== undefined && now >= new Date(d.procedure.dueAt);

import {
  DemandCancelled,
  type DemandForm,
  DemandProofValidated,
  DemandPurged,
  DemandRadiated,
  DemandReactivated,
  DemandRefusalRecorded,
  DemandRenewed,
  DemandUpdated,
  type EventDefinition,
  type Radiation,
} from "@logis/contracts";
import { AppError, type Decider, err, ok, type Result } from "@logis/domain";
import {
  type AttestationIssue,
  assertActive,
  attestationIssue,
  cancelForNonRenewal,
  checkCommunes,
  type Demand,
  type DemandError,
  demandErrorMessage,
  type HistoryEntry,
  type NoticeChannel,
  type PieceRecord,
  type Procedure,
  purgeDue,
  radiate,
  reactivate,
  renew,
  renewalNoticeDue,
  toFacts,
} from "./demand.js";
import { changedPaths } from "./diff.js";
import { noticeChannels, procedureDue, procedureOf, startInadmissibility, startNoAnswer } from "./procedures.js";
import { addMonths, type LegalRules } from "./rules.js";

// A registered demand's life after its registration, as a decider: the desk's changes (update,
// renewal, reactivation, radiation) and the scheduler's (renewal notice, cancellation for
// non-renewal, purge). Each change says what the next state is, history included; the events
// others see are derived from the changes (`publicEventOf`).

export type DemandCommand =
  | {
      type: "Update";
      form: DemandForm;
      motif: string;
      /** The version the desk edited: a concurrent change is refused (STALE_VERSION). */
      expectedVersion: number;
      /** Without the right to read sensitive details a desk cannot have seen them: they stay as they are. */
      mayEditSensitive: boolean;
    }
  | { type: "Renew" }
  | { type: "Reactivate" }
  | { type: "Radiate"; radiation: Omit<Radiation, "date">; comment: string }
  | { type: "SendRenewalNotice" }
  | { type: "CancelForNonRenewal" }
  /** `keyDestroyedAt`: the key's tombstone, published just before (decision 0012). */
  | { type: "Purge"; keyDestroyedAt?: string }
  /** A desk received a piece; `checked`: it checked it as a proof of `criteres` (cotation counts them). */
  | { type: "RecordPiece"; piece: string; criteres: string[]; checked: boolean }
  /** A refusal of a unit (date, whether the unit suited the demand), until the CAL service records them. */
  | { type: "RecordRefusal"; refusedOn: string; suitable: boolean; rplsId?: string | undefined; comment: string }
  /** The attestation is issued: its content as issued is kept (a read shows what was issued). */
  | { type: "IssueAttestation"; channel: AttestationIssue["channel"]; reason: AttestationIssue["reason"] }
  /** A CAL's inadmissibility, notified on `notifiedAt`: radiation one month later unless withdrawn. */
  | { type: "NotifyInadmissibility"; sousMotif: "IRRSEJ" | "IRRRES"; notifiedAt: string; decision: string }
  /** A landlord's letter asking for information, sent on `letterAt`: radiation after the legal delay without answer. */
  | { type: "RequestInformation"; letterAt: string; objet: string }
  /** The procedure stops: the inadmissibility is withdrawn, or the applicant answered the letter. */
  | { type: "StopProcedure"; kind: Procedure["kind"]; comment: string }
  /** The scheduler: the procedure's date is reached, the demand is radiated. */
  | { type: "RadiateAfterProcedure" };

type By = HistoryEntry["by"];

export type DemandChange =
  | { type: "Updated"; form: DemandForm; changes: string[]; comment: string; at: string; by: By }
  | { type: "Renewed"; renewedAt: string; validUntil: string; by: By }
  | { type: "Reactivated"; reactivatedAt: string; validUntil: string; by: By }
  | {
      type: "Radiated";
      radiation: Radiation;
      purgeAfter: string;
      comment: string;
      by: By;
      /** For want of an answer: reactivable until then if an answer arrives. */
      reactivableUntil?: string | undefined;
    }
  | { type: "NoticeSent"; at: string; channel: NoticeChannel; by: By }
  | { type: "PieceRecorded"; record: PieceRecord }
  | {
      type: "RefusalRecorded";
      refusedOn: string;
      suitable: boolean;
      rplsId?: string | undefined;
      at: string;
      comment: string;
      by: By;
    }
  | { type: "AttestationIssued"; issue: AttestationIssue; by: By }
  | { type: "ProcedureStarted"; procedure: Procedure; at: string; by: By }
  | { type: "ProcedureStopped"; kind: Procedure["kind"]; at: string; comment: string; by: By }
  | { type: "Cancelled"; cancelledAt: string; reactivableUntil: string; purgeAfter: string; by: By }
  | { type: "Purged"; purgedAt: string; keyDestroyedAt?: string | undefined };

export interface DemandContext {
  now: Date;
  /** The legal rules in force at `now`. */
  rules: LegalRules;
  by: By;
}

/** Maps a domain refusal to the API's error codes: 409 for the state, 422 for a rule, 400 for a field. */
export function demandAppError(e: DemandError): AppError {
  const message = demandErrorMessage(e);
  switch (e.code) {
    case "DEMAND_NOT_ACTIVE":
    case "NOT_CANCELLED":
    case "ALREADY_PURGED":
      return new AppError("CONFLICT", message, { reason: e.code, context: { ...e } });
    case "RENEWAL_TOO_EARLY":
    case "REACTIVATION_WINDOW_CLOSED":
    case "NOT_DUE":
      return new AppError("RULE_VIOLATION", message, { reason: e.code, context: { ...e } });
    case "RADREN_IS_AUTOMATIC":
      return new AppError("RULE_VIOLATION", message, { reason: e.code, field: "motif" });
    case "SUB_REASON_REQUIRED":
      return new AppError("VALIDATION", message, { reason: e.code, field: "sousMotif" });
    case "ATTRIBUTION_DATA_REQUIRED":
      return new AppError("VALIDATION", message, { reason: e.code, field: "attribution" });
    case "DEPARTEMENT_MISMATCH":
      return new AppError("VALIDATION", message, { reason: e.code, field: e.field });
    case "PIECE_REQUIRED":
      return new AppError("RULE_VIOLATION", message, { reason: e.code, field: "pieces", context: { ...e } });
    case "PROCEDURE_UNDER_WAY":
    case "NO_PROCEDURE":
      return new AppError("CONFLICT", message, { reason: e.code, context: { ...e } });
    case "NEEDS_PROCEDURE":
      return new AppError("RULE_VIOLATION", message, { reason: e.code, field: "motif" });
    case "DATE_IN_FUTURE":
      return new AppError("VALIDATION", message, { reason: e.code, field: e.field });
  }
}

const refused = (r: { ok: false; error: DemandError }) => err(demandAppError(r.error));
type Decision = Result<readonly DemandChange[], AppError>;

function decideUpdate(d: Demand, c: Extract<DemandCommand, { type: "Update" }>, ctx: DemandContext): Decision {
  const active = assertActive(d);
  if (!active.ok) return refused(active);
  if (c.form.departement !== d.departement)
    return err(
      new AppError(
        "VALIDATION",
        "Le département d'une demande ne change pas ; déposez une demande dans l'autre département",
        {
          field: "demande.departement",
        },
      ),
    );
  const communes = checkCommunes(c.form);
  if (!communes.ok) return refused(communes);
  const previous = d.form as DemandForm;
  const form = c.mayEditSensitive ? c.form : { ...c.form, sensible: previous.sensible };
  if (d.version !== c.expectedVersion)
    return err(
      new AppError("CONFLICT", "La demande a été modifiée entre-temps ; rechargez-la", {
        reason: "STALE_VERSION",
        context: { expectedVersion: c.expectedVersion, currentVersion: d.version },
      }),
    );
  const changes = changedPaths(previous, form);
  if (changes.length === 0) return ok([]);
  return ok([{ type: "Updated", form, changes, comment: c.motif, at: ctx.now.toISOString(), by: ctx.by }]);
}

type ProcedureCommand = Extract<
  DemandCommand,
  {
    type:
      | "RecordPiece"
      | "RecordRefusal"
      | "IssueAttestation"
      | "NotifyInadmissibility"
      | "RequestInformation"
      | "StopProcedure"
      | "RadiateAfterProcedure";
  }
>;

function decideProcedure(d: Demand, command: ProcedureCommand, { now, rules, by }: DemandContext): Decision {
  const at = now.toISOString();
  switch (command.type) {
    case "RecordPiece": {
      const active = assertActive(d);
      if (!active.ok) return refused(active);
      const record: PieceRecord = {
        piece: command.piece,
        receivedAt: at,
        by,
        checked: command.checked,
        criteres: command.criteres,
      };
      return ok([{ type: "PieceRecorded", record }]);
    }
    case "RecordRefusal": {
      const active = assertActive(d);
      if (!active.ok) return refused(active);
      if (command.refusedOn > at.slice(0, 10))
        return refused({ ok: false, error: { code: "DATE_IN_FUTURE", field: "refuseLe", date: command.refusedOn } });
      const { refusedOn, suitable, rplsId, comment } = command;
      return ok([{ type: "RefusalRecorded", refusedOn, suitable, rplsId, at, comment, by }]);
    }
    case "IssueAttestation": {
      if (d.status === "purged") return refused({ ok: false, error: { code: "ALREADY_PURGED" } });
      return ok([
        { type: "AttestationIssued", issue: attestationIssue(d, now, rules, command.channel, command.reason), by },
      ]);
    }
    case "NotifyInadmissibility": {
      const r = startInadmissibility(d, command, now, rules);
      return r.ok ? ok([{ type: "ProcedureStarted", procedure: r.value, at, by }]) : refused(r);
    }
    case "RequestInformation": {
      const r = startNoAnswer(d, command, now, rules);
      return r.ok ? ok([{ type: "ProcedureStarted", procedure: r.value, at, by }]) : refused(r);
    }
    case "StopProcedure": {
      const r = procedureOf(d, command.kind);
      if (!r.ok) return refused(r);
      // Stopping is possible until the radiation date only: after it, the scheduler radiates.
      if (now >= new Date(r.value.dueAt))
        return refused({ ok: false, error: { code: "PROCEDURE_UNDER_WAY", kind: r.value.kind, dueAt: r.value.dueAt } });
      return ok([{ type: "ProcedureStopped", kind: command.kind, at, comment: command.comment, by }]);
    }
    case "RadiateAfterProcedure": {
      const p = d.procedure;
      if (!p || !procedureDue(d, now)) return ok([]);
      const purgeAfter = addMonths(now, rules.purgeMonthsAfterRadiation).toISOString();
      if (p.kind === "inadmissibility") {
        const radiation: Radiation = {
          motif: "RADIRR",
          sousMotif: p.sousMotif,
          date: at,
          // Dates only: free text (the decision's reference, a letter's subject) stays in the history, off the topic.
          commentaire: `Irrecevabilité notifiée le ${p.notifiedAt.slice(0, 10)}`,
        };
        return ok([{ type: "Radiated", radiation, purgeAfter, comment: "irrecevabilité notifiée", by }]);
      }
      const radiation: Radiation = {
        motif: "RADCON",
        date: at,
        commentaire: `Sans réponse au courrier du ${p.letterAt.slice(0, 10)}`,
      };
      return ok([
        {
          type: "Radiated",
          radiation,
          purgeAfter,
          comment: "courrier sans réponse",
          by,
          reactivableUntil: addMonths(now, rules.noAnswerReactivationMonths).toISOString(),
        },
      ]);
    }
  }
}

export const demandDecider: Decider<Demand, DemandCommand, DemandChange, DemandContext> = {
  // A demand exists once registered (register() in demand.ts): there is no empty state to start from.
  initialState: undefined as unknown as Demand,

  decide(d, command, ctx) {
    const { now, rules, by } = ctx;
    switch (command.type) {
      case "Update":
        return decideUpdate(d, command, ctx);
      case "Renew": {
        const r = renew(d, now, rules);
        if (!r.ok) return refused(r);
        const renewed: DemandChange = { type: "Renewed", ...r.value, by };
        // A renewal gives a new attestation (domain §2.1), issued with the renewed state.
        const issue = attestationIssue(demandDecider.evolve(d, renewed), now, rules, "guichet", "renewal");
        return ok([renewed, { type: "AttestationIssued", issue, by }]);
      }
      case "Reactivate": {
        const r = reactivate(d, now, rules);
        if (!r.ok) return refused(r);
        const reactivated: DemandChange = { type: "Reactivated", ...r.value, by };
        const issue = attestationIssue(demandDecider.evolve(d, reactivated), now, rules, "guichet", "reactivation");
        return ok([reactivated, { type: "AttestationIssued", issue, by }]);
      }
      case "Radiate": {
        // Inadmissibility and want of an answer radiate only after their notification's delay.
        if ((command.radiation.motif === "RADIRR" || command.radiation.motif === "RADCON") && d.status !== "purged")
          return refused({ ok: false, error: { code: "NEEDS_PROCEDURE", motif: command.radiation.motif } });
        const r = radiate(d, command.radiation, now, rules);
        return r.ok ? ok([{ type: "Radiated", ...r.value, comment: command.comment, by }]) : refused(r);
      }
      case "SendRenewalNotice": {
        if (!renewalNoticeDue(d, now, rules) || !d.form) return ok([]);
        return ok(
          noticeChannels(d.form, rules).map((channel) => ({ type: "NoticeSent", at: now.toISOString(), channel, by })),
        );
      }
      case "CancelForNonRenewal": {
        const r = cancelForNonRenewal(d, now, rules);
        return r.ok ? ok([{ type: "Cancelled", ...r.value, by }]) : refused(r);
      }
      case "Purge":
        return purgeDue(d, now)
          ? ok([{ type: "Purged", purgedAt: now.toISOString(), keyDestroyedAt: command.keyDestroyedAt }])
          : ok([]);
      default:
        return decideProcedure(d, command, ctx);
    }
  },

  evolve(d, change) {
    const history = (entry: HistoryEntry) => [...d.history, entry];
    switch (change.type) {
      case "Updated":
        return {
          ...d,
          form: change.form,
          history: history({
            at: change.at,
            by: change.by,
            action: "update",
            changes: change.changes,
            comment: change.comment,
          }),
        };
      case "Renewed":
        return {
          ...d,
          validUntil: change.validUntil,
          dateDernierRenouvellement: change.renewedAt,
          history: history({ at: change.renewedAt, by: change.by, action: "renew", changes: ["validUntil"] }),
        };
      case "Reactivated": {
        const { radiation: _r, reactivableUntil: _u, purgeAfter: _p, ...rest } = d;
        return {
          ...rest,
          status: "active",
          validUntil: change.validUntil,
          dateDernierRenouvellement: change.reactivatedAt,
          history: history({
            at: change.reactivatedAt,
            by: change.by,
            action: "reactivate",
            changes: ["status", "validUntil"],
          }),
        };
      }
      case "Radiated": {
        const { reactivableUntil: _u, procedure: _p, ...rest } = d;
        return {
          ...rest,
          status: "radiated",
          radiation: change.radiation,
          purgeAfter: change.purgeAfter,
          ...(change.reactivableUntil ? { reactivableUntil: change.reactivableUntil } : {}),
          history: history({
            at: change.radiation.date,
            by: change.by,
            action: "radiate",
            changes: ["status"],
            comment: change.comment,
          }),
        };
      }
      case "NoticeSent":
        return {
          ...d,
          notices: [...d.notices, { at: change.at, forValidUntil: d.validUntil, channel: change.channel }],
          history: history({ at: change.at, by: change.by, action: "notice", changes: ["notices"] }),
        };
      case "Cancelled":
        return {
          ...d,
          status: "cancelled",
          radiation: { motif: "RADREN", date: change.cancelledAt },
          reactivableUntil: change.reactivableUntil,
          purgeAfter: change.purgeAfter,
          history: history({ at: change.cancelledAt, by: change.by, action: "cancel", changes: ["status"] }),
        };
      case "PieceRecorded":
        return {
          ...d,
          pieces: [...(d.pieces ?? []), change.record],
          history: history({
            at: change.record.receivedAt,
            by: change.record.by,
            action: "piece",
            changes: ["pieces"],
            comment: `${change.record.piece}${change.record.checked ? " vérifiée" : " reçue"}${change.record.criteres.length ? ` pour ${change.record.criteres.join(", ")}` : ""}`,
          }),
        };
      case "RefusalRecorded":
        return {
          ...d,
          refusals: [
            ...(d.refusals ?? []),
            {
              refusedOn: change.refusedOn,
              suitable: change.suitable,
              rplsId: change.rplsId,
              recordedAt: change.at,
              by: change.by,
              comment: change.comment,
            },
          ],
          history: history({
            at: change.at,
            by: change.by,
            action: "refusal",
            changes: ["refusals"],
            comment: change.comment,
          }),
        };
      case "AttestationIssued":
        return {
          ...d,
          attestations: [...(d.attestations ?? []), change.issue],
          history: history({
            at: change.issue.issuedAt,
            by: change.by,
            action: "attestation",
            changes: ["attestations"],
            comment: `${change.issue.reason} (${change.issue.channel}, ${change.issue.contentVersion})`,
          }),
        };
      case "ProcedureStarted": {
        const p = change.procedure;
        return {
          ...d,
          procedure: p,
          history: history({
            at: change.at,
            by: change.by,
            action: "procedure",
            changes: ["procedure"],
            comment:
              p.kind === "inadmissibility"
                ? `Irrecevabilité (${p.sousMotif}) notifiée le ${p.notifiedAt.slice(0, 10)} : ${p.decision}`
                : `Courrier du ${p.letterAt.slice(0, 10)} : ${p.objet}`,
          }),
        };
      }
      case "ProcedureStopped": {
        const { procedure: _p, ...rest } = d;
        return {
          ...rest,
          history: history({
            at: change.at,
            by: change.by,
            action: "procedure",
            changes: ["procedure"],
            comment: change.comment,
          }),
        };
      }
      case "Purged":
        // Personal data go; what statistics need stays (numéro, dates, the reason of the radiation).
        return {
          id: d.id,
          numeroUnique: d.numeroUnique,
          departement: d.departement,
          status: "purged",
          version: d.version,
          eventSeq: d.eventSeq,
          dateDepot: d.dateDepot,
          validUntil: d.validUntil,
          guichet: d.guichet,
          ...(d.radiation ? { radiation: { motif: d.radiation.motif, date: d.radiation.date } } : {}),
          purgedAt: change.purgedAt,
          // The data key goes with the personal data, in the same write (decision 0012).
          ...(change.keyDestroyedAt ? { keyDestroyedAt: change.keyDestroyedAt } : {}),
          notices: [],
          distinctFrom: [],
          history: [],
        };
    }
  },
};

/** The event others see for a change (`before`: the state the change applies to); none for a notice. */
export function publicEventOf(
  before: Demand,
  change: DemandChange,
): { definition: EventDefinition; payload: unknown } | undefined {
  const { numeroUnique, departement } = before;
  switch (change.type) {
    case "Updated":
      return {
        definition: DemandUpdated,
        payload: {
          numeroUnique,
          departement,
          // Which sensitive details changed is not said outside (issue 10).
          changes: change.changes.filter((c) => !c.startsWith("sensible")),
          demande: toFacts(change.form),
        },
      };
    case "Renewed":
      return {
        definition: DemandRenewed,
        payload: { numeroUnique, departement, renewedAt: change.renewedAt, validUntil: change.validUntil },
      };
    case "Reactivated":
      return {
        definition: DemandReactivated,
        payload: { numeroUnique, departement, reactivatedAt: change.reactivatedAt, validUntil: change.validUntil },
      };
    case "Radiated": {
      // The desk's comment is free text (it may name people): it stays in the history, off the topic.
      const { commentaire: _c, ...radiation } = change.radiation;
      return { definition: DemandRadiated, payload: { numeroUnique, departement, radiation } };
    }
    case "Cancelled":
      return {
        definition: DemandCancelled,
        payload: {
          numeroUnique,
          departement,
          motif: "RADREN",
          cancelledAt: change.cancelledAt,
          reactivableUntil: change.reactivableUntil,
        },
      };
    case "PieceRecorded":
      // Only a checked proof counts for others (cotation); the pieces of registration stay here.
      if (!change.record.checked) return undefined;
      return {
        definition: DemandProofValidated,
        payload: {
          numeroUnique,
          departement,
          justificatif: change.record.piece,
          criteres: change.record.criteres,
          verifieLe: change.record.receivedAt,
          verifiePar: { userId: change.record.by.userId, organisationId: change.record.by.organisationId },
        },
      };
    case "RefusalRecorded":
      return {
        definition: DemandRefusalRecorded,
        payload: {
          numeroUnique,
          departement,
          refusLe: change.refusedOn,
          logementAdapte: change.suitable,
          ...(change.rplsId ? { rplsId: change.rplsId } : {}),
        },
      };
    case "AttestationIssued":
    case "ProcedureStarted":
    case "ProcedureStopped":
      return undefined;
    case "Purged":
      return {
        definition: DemandPurged,
        payload: { departement, purgedAt: change.purgedAt, motifRadiation: before.radiation?.motif ?? "RADREN" },
      };
    case "NoticeSent":
      return undefined;
  }
}

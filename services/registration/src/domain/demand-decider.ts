import {
  DemandCancelled,
  type DemandForm,
  DemandPurged,
  DemandRadiated,
  DemandReactivated,
  DemandRenewed,
  DemandUpdated,
  type EventDefinition,
  type Radiation,
} from "@logis/contracts";
import { AppError, type Decider, err, ok, type Result } from "@logis/domain";
import {
  assertActive,
  cancelForNonRenewal,
  checkCommunes,
  type Demand,
  type DemandError,
  demandErrorMessage,
  type HistoryEntry,
  purgeDue,
  radiate,
  reactivate,
  renew,
  renewalNoticeDue,
  toFacts,
} from "./demand.js";
import { changedPaths } from "./diff.js";
import type { LegalRules } from "./rules.js";

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
  | { type: "Purge" };

type By = HistoryEntry["by"];

export type DemandChange =
  | { type: "Updated"; form: DemandForm; changes: string[]; comment: string; at: string; by: By }
  | { type: "Renewed"; renewedAt: string; validUntil: string; by: By }
  | { type: "Reactivated"; reactivatedAt: string; validUntil: string; by: By }
  | { type: "Radiated"; radiation: Radiation; purgeAfter: string; comment: string; by: By }
  | { type: "NoticeSent"; at: string; channel: "courrier" | "email"; by: By }
  | { type: "Cancelled"; cancelledAt: string; reactivableUntil: string; purgeAfter: string; by: By }
  | { type: "Purged"; purgedAt: string };

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
        return r.ok ? ok([{ type: "Renewed", ...r.value, by }]) : refused(r);
      }
      case "Reactivate": {
        const r = reactivate(d, now, rules);
        return r.ok ? ok([{ type: "Reactivated", ...r.value, by }]) : refused(r);
      }
      case "Radiate": {
        const r = radiate(d, command.radiation, now, rules);
        return r.ok ? ok([{ type: "Radiated", ...r.value, comment: command.comment, by }]) : refused(r);
      }
      case "SendRenewalNotice": {
        if (!renewalNoticeDue(d, now, rules) || !d.form) return ok([]);
        const channel = d.form.contact.canalPrefere === "email" && d.form.contact.email ? "email" : "courrier";
        return ok([{ type: "NoticeSent", at: now.toISOString(), channel, by }]);
      }
      case "CancelForNonRenewal": {
        const r = cancelForNonRenewal(d, now, rules);
        return r.ok ? ok([{ type: "Cancelled", ...r.value, by }]) : refused(r);
      }
      case "Purge":
        return purgeDue(d, now) ? ok([{ type: "Purged", purgedAt: now.toISOString() }]) : ok([]);
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
        const { reactivableUntil: _u, ...rest } = d;
        return {
          ...rest,
          status: "radiated",
          radiation: change.radiation,
          purgeAfter: change.purgeAfter,
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
    case "Radiated":
      return { definition: DemandRadiated, payload: { numeroUnique, departement, radiation: change.radiation } };
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
    case "Purged":
      return {
        definition: DemandPurged,
        payload: { departement, purgedAt: change.purgedAt, motifRadiation: before.radiation?.motif ?? "RADREN" },
      };
    case "NoticeSent":
      return undefined;
  }
}

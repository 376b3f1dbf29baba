import { assertCan } from "@logis/auth";
import { PieceCode } from "@logis/contracts";
import { z } from "zod";
import { loadFor, viewOf } from "./access.js";
import { changeDemand } from "./commit.js";
import type { Caller, Deps } from "./context.js";

// The desk's and the landlord's procedures on a registered demand: checked proofs, refusals until the
// CAL service records offer answers, the attestation's issues, inadmissibility and letters without answer.

const comment = z.string().trim().min(1).max(500);

export const ProofInput = z.object({
  justificatif: PieceCode,
  /** The cotation criteria (grid codes) the piece proves. */
  criteres: z
    .array(z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/))
    .max(20)
    .default([]),
});

export const RefusalInput = z.object({
  refuseLe: z.iso.date(),
  /** Whether the unit suited the demand (typology, place, rent): only those count against it. */
  logementAdapte: z.boolean(),
  rplsId: z
    .string()
    .regex(/^[0-9A-Z]{10}$/, "identifiant RPLS attendu (10 caractères)")
    .optional(),
  commentaire: comment,
});

export const AttestationIssueInput = z.object({ canal: z.enum(["guichet", "courrier", "email", "sms"]) });

export const InadmissibilityInput = z.object({
  sousMotif: z.enum(["IRRSEJ", "IRRRES"]),
  /** The day the CAL's decision was notified (registered letter). */
  notifieLe: z.iso.datetime({ offset: true }),
  /** The CAL decision's reference. */
  decision: z.string().trim().min(1).max(200),
});

export const LetterInput = z.object({
  envoyeLe: z.iso.datetime({ offset: true }),
  objet: z.string().trim().min(1).max(500),
});

export const CommentInput = z.object({ commentaire: comment });

/** A piece received and checked by the desk: recorded with who and when; cotation counts the criteria it proves. */
export const recordProof =
  (deps: Deps) => async (caller: Caller, numeroUnique: string, input: z.infer<typeof ProofInput>) => {
    const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.update");
    const saved = await changeDemand(deps, demand, caller, {
      type: "RecordPiece",
      piece: input.justificatif,
      criteres: input.criteres,
      checked: true,
    });
    return viewOf(saved, caller);
  };

export const recordRefusal =
  (deps: Deps) => async (caller: Caller, numeroUnique: string, input: z.infer<typeof RefusalInput>) => {
    const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.update");
    const saved = await changeDemand(deps, demand, caller, {
      type: "RecordRefusal",
      refusedOn: input.refuseLe,
      suitable: input.logementAdapte,
      rplsId: input.rplsId,
      comment: input.commentaire,
    });
    return viewOf(saved, caller);
  };

/** A new issue of the attestation (a copy, by post or e-mail): recorded with its content. */
export const issueAttestation =
  (deps: Deps) => async (caller: Caller, numeroUnique: string, input: z.infer<typeof AttestationIssueInput>) => {
    const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.update");
    const saved = await changeDemand(deps, demand, caller, {
      type: "IssueAttestation",
      channel: input.canal,
      reason: "copy",
    });
    return { emissions: (saved.attestations ?? []).map(({ content: _c, ...meta }) => meta) };
  };

/** Inadmissibility is pronounced by a landlord's CAL only (R441-2-8): notified, it radiates a month later. */
export const notifyInadmissibility =
  (deps: Deps) => async (caller: Caller, numeroUnique: string, input: z.infer<typeof InadmissibilityInput>) => {
    const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.radiate");
    assertCan(caller.principal, "cal.manage");
    const saved = await changeDemand(deps, demand, caller, {
      type: "NotifyInadmissibility",
      sousMotif: input.sousMotif,
      notifiedAt: input.notifieLe,
      decision: input.decision,
    });
    return viewOf(saved, caller);
  };

export const withdrawInadmissibility =
  (deps: Deps) => async (caller: Caller, numeroUnique: string, input: z.infer<typeof CommentInput>) => {
    const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.radiate");
    assertCan(caller.principal, "cal.manage");
    const saved = await changeDemand(deps, demand, caller, {
      type: "StopProcedure",
      kind: "inadmissibility",
      comment: input.commentaire,
    });
    return viewOf(saved, caller);
  };

export const requestInformation =
  (deps: Deps) => async (caller: Caller, numeroUnique: string, input: z.infer<typeof LetterInput>) => {
    const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.radiate");
    const saved = await changeDemand(deps, demand, caller, {
      type: "RequestInformation",
      letterAt: input.envoyeLe,
      objet: input.objet,
    });
    return viewOf(saved, caller);
  };

/**
 * The applicant answered the letter: the procedure stops; after the radiation it came too late to
 * stop, the demand is reactivated if still within the legal window.
 */
export const recordAnswer =
  (deps: Deps) => async (caller: Caller, numeroUnique: string, input: z.infer<typeof CommentInput>) => {
    const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.radiate");
    const saved =
      demand.status === "radiated" && demand.radiation?.motif === "RADCON"
        ? await changeDemand(deps, demand, caller, { type: "Reactivate" })
        : await changeDemand(deps, demand, caller, {
            type: "StopProcedure",
            kind: "no-answer",
            comment: input.commentaire,
          });
    return viewOf(saved, caller);
  };

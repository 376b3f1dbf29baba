import { assertCan } from "@logis/auth";
import {
  DemandForm,
  DemandRadiated,
  DemandReactivated,
  DemandRenewed,
  DemandUpdated,
  Radiation,
} from "@logis/contracts";
import { AppError } from "@logis/domain";
import { z } from "zod";
import { assertActive, checkCommunes, radiate, reactivate, renew, toFacts } from "../domain/demand.js";
import { changedPaths } from "../domain/diff.js";
import { canReadSensitive, loadFor, viewOf } from "./access.js";
import { transition, unwrap } from "./commit.js";
import { actorOf, type Caller, type Deps } from "./context.js";

export const UpdateInput = z.object({
  /** The version the desk edited; a concurrent change gives 409 STALE_VERSION. */
  expectedVersion: z.number().int().positive(),
  demande: DemandForm,
  /** Why: the applicant's declaration, or the justification piece behind a rectification. */
  motif: z.string().trim().min(1, "indiquez l'origine de la modification").max(500),
});

/** Replaces the form; every change records who, when and which fields (values of sensitive ones are not kept). */
export const updateDemand =
  (deps: Deps) => async (caller: Caller, numeroUnique: string, input: z.infer<typeof UpdateInput>) => {
    const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.update");
    unwrap(assertActive(demand));
    const form = input.demande;
    if (form.departement !== demand.departement) {
      throw new AppError(
        "VALIDATION",
        "Le département d'une demande ne change pas ; déposez une demande dans l'autre département",
        {
          field: "demande.departement",
        },
      );
    }
    unwrap(checkCommunes(form));
    const previous = demand.form as DemandForm;
    // Without the right to read sensitive details, a desk cannot have seen them: keep them as they are.
    const next = canReadSensitive(caller) ? form : { ...form, sensible: previous.sensible };
    if (demand.version !== input.expectedVersion) {
      throw new AppError("CONFLICT", "La demande a été modifiée entre-temps ; rechargez-la", {
        reason: "STALE_VERSION",
        context: { expectedVersion: input.expectedVersion, currentVersion: demand.version },
      });
    }
    const changes = changedPaths(previous, next);
    if (changes.length === 0) return viewOf(demand, caller);
    const now = deps.clock.now();
    const saved = await transition(deps.demands, demand, caller, now, (d) => ({
      next: {
        ...d,
        form: next,
        history: [
          ...d.history,
          { at: now.toISOString(), by: actorOf(caller), action: "update", changes, comment: input.motif },
        ],
      },
      events: [
        {
          definition: DemandUpdated,
          payload: {
            numeroUnique,
            departement: d.departement,
            changes: changes.filter((c) => !c.startsWith("sensible")),
            demande: toFacts(next),
          },
        },
      ],
    }));
    return viewOf(saved, caller);
  };

export const renewDemand = (deps: Deps) => async (caller: Caller, numeroUnique: string) => {
  const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.update");
  const now = deps.clock.now();
  const { renewedAt, validUntil } = unwrap(renew(demand, now));
  const saved = await transition(deps.demands, demand, caller, now, (d) => ({
    next: {
      ...d,
      validUntil,
      dateDernierRenouvellement: renewedAt,
      history: [...d.history, { at: renewedAt, by: actorOf(caller), action: "renew", changes: ["validUntil"] }],
    },
    events: [
      { definition: DemandRenewed, payload: { numeroUnique, departement: d.departement, renewedAt, validUntil } },
    ],
  }));
  return viewOf(saved, caller);
};

export const reactivateDemand = (deps: Deps) => async (caller: Caller, numeroUnique: string) => {
  const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.update");
  const now = deps.clock.now();
  const { reactivatedAt, validUntil } = unwrap(reactivate(demand, now));
  const saved = await transition(deps.demands, demand, caller, now, (d) => {
    const { radiation: _r, reactivableUntil: _u, purgeAfter: _p, ...rest } = d;
    return {
      next: {
        ...rest,
        status: "active",
        validUntil,
        dateDernierRenouvellement: reactivatedAt,
        history: [
          ...d.history,
          { at: reactivatedAt, by: actorOf(caller), action: "reactivate", changes: ["status", "validUntil"] },
        ],
      },
      events: [
        {
          definition: DemandReactivated,
          payload: { numeroUnique, departement: d.departement, reactivatedAt, validUntil },
        },
      ],
    };
  });
  return viewOf(saved, caller);
};

export const RadiateInput = Radiation.omit({ date: true });

export const radiateDemand =
  (deps: Deps) => async (caller: Caller, numeroUnique: string, input: z.infer<typeof RadiateInput>) => {
    const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.radiate");
    // Irrecevabilité is pronounced by a landlord's CAL only (R441-2-8): the CAL service's event, or a landlord desk.
    if (input.motif === "RADIRR") assertCan(caller.principal, "cal.manage");
    const now = deps.clock.now();
    const { radiation, purgeAfter } = unwrap(radiate(demand, input, now));
    const saved = await transition(deps.demands, demand, caller, now, (d) => {
      const { reactivableUntil: _u, ...rest } = d;
      return {
        next: {
          ...rest,
          status: "radiated",
          radiation,
          purgeAfter,
          history: [
            ...d.history,
            { at: radiation.date, by: actorOf(caller), action: "radiate", changes: ["status"], comment: input.motif },
          ],
        },
        events: [{ definition: DemandRadiated, payload: { numeroUnique, departement: d.departement, radiation } }],
      };
    });
    return viewOf(saved, caller);
  };

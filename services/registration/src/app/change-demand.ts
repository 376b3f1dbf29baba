import { assertCan } from "@logis/auth";
import { DemandForm, Radiation } from "@logis/contracts";
import { z } from "zod";
import { canReadSensitive, loadFor, viewOf } from "./access.js";
import { changeDemand } from "./commit.js";
import type { Caller, Deps } from "./context.js";

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
    const saved = await changeDemand(deps, demand, caller, {
      type: "Update",
      form: input.demande,
      motif: input.motif,
      expectedVersion: input.expectedVersion,
      mayEditSensitive: canReadSensitive(caller),
    });
    return viewOf(saved, caller);
  };

export const renewDemand = (deps: Deps) => async (caller: Caller, numeroUnique: string) => {
  const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.update");
  return viewOf(await changeDemand(deps, demand, caller, { type: "Renew" }), caller);
};

export const reactivateDemand = (deps: Deps) => async (caller: Caller, numeroUnique: string) => {
  const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.update");
  return viewOf(await changeDemand(deps, demand, caller, { type: "Reactivate" }), caller);
};

export const RadiateInput = Radiation.omit({ date: true });

export const radiateDemand =
  (deps: Deps) => async (caller: Caller, numeroUnique: string, input: z.infer<typeof RadiateInput>) => {
    const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.radiate");
    // Irrecevabilité is pronounced by a landlord's CAL only (R441-2-8): the CAL service's event, or a landlord desk.
    if (input.motif === "RADIRR") assertCan(caller.principal, "cal.manage");
    const saved = await changeDemand(deps, demand, caller, { type: "Radiate", radiation: input, comment: input.motif });
    return viewOf(saved, caller);
  };

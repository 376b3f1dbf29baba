import { assertCan, assertInDepartement, can, type Permission } from "@logis/auth";
import { AppError } from "@logis/domain";
import type { Demand } from "../domain/demand.js";
import type { Caller } from "./context.js";
import type { DemandRepository } from "./ports.js";

/** Loads a demand by number for a caller who holds `permission` in its département (404 otherwise). */
export async function loadFor(demands: DemandRepository, caller: Caller, numeroUnique: string, permission: Permission) {
  assertCan(caller.principal, permission);
  const demand = await demands.getByNumero(numeroUnique);
  // Out-of-territory demands answer 404, so that numbers of other départements cannot be probed.
  if (!demand || !caller.principal.territories.departements.includes(demand.departement)) {
    throw new AppError("NOT_FOUND", `Demande ${numeroUnique} introuvable`, { reason: "DEMAND_NOT_FOUND" });
  }
  assertInDepartement(caller.principal, demand.departement);
  return demand;
}

export const canReadSensitive = (caller: Caller) => can(caller.principal, "demand.read-sensitive");

/** The file as a caller may see it: sensitive details only for the roles that need them. */
export function viewOf(demand: Demand, caller: Caller) {
  const { form, attestations, dataKey: _key, ...others } = demand;
  // The attestations' contents are read from their own operation (audited): the file lists the issues.
  const rest = { ...others, attestations: attestations?.map(({ content: _c, ...issue }) => issue) };
  if (!form) return { ...rest, form: undefined };
  if (canReadSensitive(caller)) return { ...rest, form };
  const { sensible: _hidden, ...visible } = form;
  return { ...rest, form: visible, sensibleMasque: Object.keys(form.sensible).length > 0 };
}
export type DemandView = ReturnType<typeof viewOf>;

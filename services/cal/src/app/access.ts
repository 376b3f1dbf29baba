import type { Principal } from "@logis/auth";
import { AppError } from "@logis/domain";
import type { Caller } from "@logis/http";
import type { Attribution } from "../domain/attribution.js";
import type { AttributionStore, CommissionStore, SessionStore } from "./ports.js";

// Who sees and does what in the CAL (issue 12), on top of the permissions (cal.read, cal.manage):
// - the landlord's staff: its commissions, their sessions and its attributions, in full;
// - the préfet's representative (state agents): every commission, session and attribution of its
//   département, in full (the préfet sits on every commission);
// - a reserver: the commissions of its département, and its own units' attributions, without the
//   applicants' figures (income, household category, refusals): those are for the commission's
//   members and the landlord's staff;
// - anyone else: answered exactly as if the thing did not exist (404, same body).

const LANDLORD_ROLES = ["landlord-agent", "cal-secretary"] as const;

export const isLandlordStaff = (p: Principal, bailleurId: string) =>
  p.organisation.id === bailleurId && p.roles.some((r) => (LANDLORD_ROLES as readonly string[]).includes(r));
export const isPrefecture = (p: Principal, departement: string) =>
  p.roles.includes("state-agent") && p.territories.departements.includes(departement);
export const isReserverOf = (p: Principal, att: Pick<Attribution, "cible" | "logement">) =>
  p.organisation.id === att.cible.reservataireId &&
  (p.roles.includes("reserver-agent") || p.roles.includes("state-agent")) &&
  p.territories.departements.includes(att.logement.departement);

const unknown = (what: string, reason: string) => new AppError("NOT_FOUND", `${what} introuvable`, { reason });

/** What a reserver reads of its unit's attribution: the candidates without their figures. */
export function reserverView(att: Attribution) {
  const { examen: _e, unite: _u, ...rest } = att;
  return {
    ...rest,
    candidats: att.candidats.map((c) => ({
      demandId: c.demandId,
      numeroUnique: c.numeroUnique,
      ordre: c.ordre,
      dalo: c.dalo,
      justification: c.justification,
      eligible: c.eligibilite.eligible,
    })),
  };
}

export function accessChecks(deps: {
  commissions: CommissionStore;
  sessions: SessionStore;
  attributions: AttributionStore;
}) {
  return {
    /** The commission, if the caller may read it (landlord's staff, préfecture, reservers of the département). */
    async commission(caller: Caller, id: string, mode: "read" | "write") {
      const c = await deps.commissions.get(id);
      const p = caller.principal;
      const ok =
        c &&
        (isLandlordStaff(p, c.bailleurId) ||
          (mode === "read" &&
            (isPrefecture(p, c.departement) ||
              (p.roles.includes("reserver-agent") && p.territories.departements.includes(c.departement)))));
      if (!c || !ok) throw unknown("Commission", "COMMISSION_NOT_FOUND");
      return c;
    },
    /** A commission is constituted by the landlord's own staff, in its territory. */
    constitute(caller: Caller, input: { bailleurId: string; departement: string }) {
      const p = caller.principal;
      if (!isLandlordStaff(p, input.bailleurId) || !p.territories.departements.includes(input.departement))
        throw new AppError(
          "FORBIDDEN",
          "Une commission se constitue par le personnel du bailleur, dans son territoire",
          {
            reason: "NOT_THE_LANDLORD",
            field: "bailleurId",
          },
        );
    },
    /** The session, if the caller may read it (landlord's staff, préfecture) or change it (landlord's staff). */
    async session(caller: Caller, id: string, mode: "read" | "write") {
      const s = await deps.sessions.get(id);
      const p = caller.principal;
      const ok = s && (isLandlordStaff(p, s.bailleurId) || (mode === "read" && isPrefecture(p, s.departement)));
      if (!s || !ok) throw unknown("Séance", "SESSION_NOT_FOUND");
      return s;
    },
    /** The attribution as the caller may see it: in full, a reserver's view, or not at all. */
    async attribution(caller: Caller, id: string, mode: "read" | "write") {
      const a = await deps.attributions.get(id);
      const p = caller.principal;
      if (a && isLandlordStaff(p, a.logement.bailleurId)) return a;
      if (a && mode === "read" && isPrefecture(p, a.logement.departement)) return a;
      if (a && mode === "read" && isReserverOf(p, a)) return reserverView(a);
      throw unknown("Attribution", "ATTRIBUTION_NOT_FOUND");
    },
  };
}
export type AccessChecks = ReturnType<typeof accessChecks>;

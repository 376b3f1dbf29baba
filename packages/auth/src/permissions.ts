import { AppError } from "@logis/domain";
import type { Principal, Role } from "./principal.js";

/**
 * Every permission and the roles that hold it: one table to audit. Deny by default: a permission
 * that is not here, or a caller without one of its roles, is refused.
 */
export const permissions = {
  "demand.register": ["desk-agent"],
  "demand.read": ["desk-agent", "desk-sensitive"],
  "demand.read-sensitive": ["desk-sensitive"],
  "demand.update": ["desk-agent"],
  "demand.radiate": ["desk-agent"],
  "demand.import": ["desk-agent", "platform-admin"],
  "demand.export": ["desk-agent", "platform-admin"],
  "demand.duplicates": ["desk-agent"],
  "demand.audit-read": ["platform-admin"],
  "grid.edit": ["epci-grid-editor"],
  "grid.publish": ["epci-publisher"],
  "grid.read": ["epci-grid-editor", "epci-publisher", "desk-agent", "statistician"],
  // Which demands each may read is narrowed by the service (cotation: cotationScope).
  "score.read": ["epci-grid-editor", "epci-publisher", "desk-agent", "state-agent", "cal-secretary", "landlord-agent"],
  // Flux: a landlord manages its stock, its conventions and its orientations; which units,
  // conventions, orientations and balances each may read is narrowed by the service (flux: reachOf).
  "unit.declare": ["landlord-agent"],
  "unit.free": ["landlord-agent"],
  "convention.sign": ["landlord-agent"],
  "flux.orient": ["landlord-agent"],
  "flux.return": ["reserver-agent", "landlord-agent"],
  "flux.read": ["landlord-agent", "reserver-agent", "state-agent", "epci-publisher", "epci-grid-editor"],
  "cal.manage": ["cal-secretary"],
  "cal.read": ["cal-secretary", "landlord-agent", "reserver-agent", "state-agent"],
  // A reserver designates on the units oriented to it, the préfet's representative DALO households;
  // which attribution each may designate on is narrowed by the service (cal: access.ts).
  "cal.designate": ["reserver-agent", "state-agent"],
  // Reporting: what each reads is narrowed to its territory by the service (reporting: readScope).
  "stats.read": ["statistician", "state-agent", "epci-publisher", "landlord-agent", "platform-admin"],
  "platform.admin": ["platform-admin"],
} as const satisfies Record<string, readonly Role[]>;

export type Permission = keyof typeof permissions;

export const can = (principal: Principal | undefined, permission: Permission): boolean =>
  principal !== undefined && (permissions[permission] as readonly Role[]).some((r) => principal.roles.includes(r));

/** Throws UNAUTHENTICATED without a caller and FORBIDDEN without the permission. */
export function assertCan(principal: Principal | undefined, permission: Permission): asserts principal is Principal {
  if (principal === undefined) throw new AppError("UNAUTHENTICATED", "Authentification requise");
  if (!can(principal, permission)) {
    throw new AppError("FORBIDDEN", `Droit « ${permission} » requis`, {
      reason: "MISSING_PERMISSION",
      context: { permission },
    });
  }
}

/** Throws FORBIDDEN unless the département is one of the caller's territories. */
export function assertInDepartement(principal: Principal, departement: string): void {
  if (!principal.territories.departements.includes(departement)) {
    throw new AppError("FORBIDDEN", `Département ${departement} hors de votre territoire`, {
      reason: "OUT_OF_TERRITORY",
      context: { departement },
    });
  }
}

export function assertInEpci(principal: Principal, epci: string): void {
  if (!principal.territories.epcis.includes(epci)) {
    throw new AppError("FORBIDDEN", `EPCI ${epci} hors de votre territoire`, {
      reason: "OUT_OF_TERRITORY",
      context: { epci },
    });
  }
}

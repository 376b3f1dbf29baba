import { assertCan, assertInDepartement, type Permission, type Principal } from "@logis/auth";
import { AppError } from "@logis/domain";
import { communesOf, type Referentiel } from "../domain/referentiel.js";
import type { Vacance } from "../domain/vacance.js";
import type { Caller, ConventionDoc, LedgerDoc, UnitDoc } from "./ports.js";

/**
 * What a caller may read of the flux, from its organisation: a landlord its own stock, conventions,
 * orientations and balances; a reserver its own conventions, the units oriented to it and its lines
 * of the balances; the State (préfecture) everything in its départements; EPCI staff the units of its
 * communes and the conventions it holds or that name them. Anything else reads as unknown (404).
 */
export type Reach =
  | { kind: "landlord"; bailleurId: string; departements: readonly string[] }
  | { kind: "reserver"; reservataireId: string; departements: readonly string[] }
  | { kind: "state"; departements: readonly string[] }
  | { kind: "epci"; reservataireId: string; communes: ReadonlySet<string>; departements: readonly string[] }
  | { kind: "none" };

export function reachOf(principal: Principal, referentiel: Referentiel): Reach {
  const { organisation, territories } = principal;
  switch (organisation.kind) {
    case "landlord":
      return { kind: "landlord", bailleurId: organisation.id, departements: territories.departements };
    case "reserver":
      return { kind: "reserver", reservataireId: organisation.id, departements: territories.departements };
    case "state":
      return { kind: "state", departements: territories.departements };
    case "epci":
      return {
        kind: "epci",
        reservataireId: organisation.id,
        communes: communesOf(referentiel, territories.epcis),
        departements: territories.departements,
      };
    default:
      return { kind: "none" };
  }
}

/** Reads need `flux.read`; the reach then narrows what is visible. */
export function readerReach(caller: Caller, referentiel: Referentiel): Reach {
  assertCan(caller.principal, "flux.read");
  return reachOf(caller.principal, referentiel);
}

/** The landlord a caller acts for: its own organisation, in one of its départements. */
export function landlordOf(caller: Caller, permission: Permission, departement?: string): string {
  assertCan(caller.principal, permission);
  const { organisation } = caller.principal;
  if (organisation.kind !== "landlord") {
    throw new AppError("FORBIDDEN", "Seul un bailleur gère son patrimoine, ses conventions et ses orientations", {
      reason: "NOT_A_LANDLORD",
    });
  }
  if (departement !== undefined) assertInDepartement(caller.principal, departement);
  return organisation.id;
}

const inDepartement = (reach: { departements: readonly string[] }, departement: string) =>
  reach.departements.includes(departement);

export function canSeeUnit(reach: Reach, unit: Pick<UnitDoc, "bailleurId" | "logement">): boolean {
  switch (reach.kind) {
    case "landlord":
      return unit.bailleurId === reach.bailleurId && inDepartement(reach, unit.logement.departement);
    case "state":
      return inDepartement(reach, unit.logement.departement);
    case "epci":
      return reach.communes.has(unit.logement.commune);
    default:
      return false;
  }
}

export function canSeeConvention(reach: Reach, c: ConventionDoc): boolean {
  switch (reach.kind) {
    case "landlord":
      return c.bailleurId === reach.bailleurId && inDepartement(reach, c.departement);
    case "reserver":
      return c.reservataire.id === reach.reservataireId;
    case "state":
      return inDepartement(reach, c.departement);
    case "epci":
      return c.reservataire.id === reach.reservataireId || (c.commune !== undefined && reach.communes.has(c.commune));
    default:
      return false;
  }
}

export function canSeeLedger(reach: Reach, ledger: Pick<LedgerDoc, "bailleurId" | "departement">): boolean {
  switch (reach.kind) {
    case "landlord":
      return ledger.bailleurId === reach.bailleurId && inDepartement(reach, ledger.departement);
    case "reserver":
    case "state":
    case "epci":
      return inDepartement(reach, ledger.departement);
    default:
      return false;
  }
}

/** A vacancy of a ledger the caller may see (canSeeLedger), narrowed to its own units or communes. */
export function canSeeVacance(reach: Reach, v: Vacance): boolean {
  switch (reach.kind) {
    case "reserver":
      return v.cible?.reservataireId === reach.reservataireId;
    case "epci":
      return v.cible?.reservataireId === reach.reservataireId || reach.communes.has(v.categorie.commune);
    case "none":
      return false;
    default:
      return true;
  }
}

export const notFound = (what: string, reason: string) => new AppError("NOT_FOUND", `${what} introuvable`, { reason });

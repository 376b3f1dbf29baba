import type { MotifSoustraction } from "@logis/contracts";
import { AppError, err, ok, type Result } from "@logis/domain";
import type { Categorie, LedgerEvent } from "./ledger.js";
import type { Cible } from "./orientation.js";

/**
 * One vacancy of a unit (a unit freed on a day) and where it went: an aggregate of its own beside the
 * ledger, so that the ledger keeps counters only and stays small whatever the number of units freed.
 * It follows the same events as the ledger (the ledger's decider decides, both evolve).
 */
export interface Vacance {
  /** `<rplsId>@<libereLe>`: one freeing of one unit. */
  readonly id: string;
  readonly ledgerId: string;
  readonly rplsId: string;
  readonly libereLe: string;
  readonly categorie: Categorie;
  /** The reserver the unit is oriented to; undefined when it was subtracted from the flux. */
  readonly cible: Cible | undefined;
  readonly soustraction: MotifSoustraction | undefined;
  readonly designationAvant: string | undefined;
  /** Why it went to this reserver: the orientation's explanation, or the written reason of an override. */
  readonly motif: string | undefined;
  readonly rendu: boolean;
  readonly attribue: boolean;
  /** The reserver's designation of candidates, as the CAL published it (absent: none yet). */
  readonly designation?: Designation | undefined;
  /** No designation by `designationAvant`: the landlord presents its own candidates (it still counts for the reserver). */
  readonly designationExpiree?: boolean | undefined;
}

/** Who designated the candidates of an oriented unit, and on which day (Paris). */
export interface Designation {
  readonly le: string;
  readonly source: "reservataire" | "prefet_dalo";
  /** After the deadline (`designationAvant`), or after the expiry was found: recorded, shown late (decision 0016). */
  readonly enRetard?: boolean | undefined;
}

export const vacanceIdOf = (rplsId: string, libereLe: string): string => `${rplsId}@${libereLe}`;

/** The landlord's own, non-reserved part of the flux. */
export const ownCible = (bailleurId: string): Cible => ({
  reservataireId: bailleurId,
  conventionId: null,
  type: "bailleur",
  codeSne: "AUCUN",
});

export const categorieOf = ({ typologie, financement, qpv, commune, anneeConstruction }: Categorie): Categorie => ({
  typologie,
  financement,
  qpv,
  commune,
  anneeConstruction,
});

/** The vacancy after one of its ledger's events (events about other vacancies leave it as it is). */
export function evolveVacance(
  vacance: Vacance | undefined,
  event: LedgerEvent,
  ledger: { readonly ledgerId: string; readonly bailleurId: string },
): Vacance | undefined {
  switch (event.type) {
    case "UnitAssignedToReserver":
    case "UnitSubtractedFromFlux": {
      const { logement, libereLe } = event.payload;
      return {
        id: vacanceIdOf(logement.rplsId, libereLe),
        ledgerId: ledger.ledgerId,
        rplsId: logement.rplsId,
        libereLe,
        categorie: categorieOf(logement),
        cible: event.type === "UnitAssignedToReserver" ? event.payload.cible : undefined,
        soustraction: event.type === "UnitSubtractedFromFlux" ? event.payload.motif : undefined,
        designationAvant: event.type === "UnitAssignedToReserver" ? event.payload.designationAvant : undefined,
        motif: event.type === "UnitAssignedToReserver" ? event.payload.explication.motif : undefined,
        rendu: false,
        attribue: false,
      };
    }
    case "OrientationOverridden":
      return vacance && { ...vacance, cible: event.payload.vers, motif: `Dérogation : ${event.payload.motif}` };
    case "UnitReturned":
      return (
        vacance && {
          ...vacance,
          rendu: true,
          cible: event.payload.compte ? vacance.cible : ownCible(ledger.bailleurId),
        }
      );
    case "AttributionRecorded":
      return vacance && { ...vacance, attribue: true };
    case "UnitDesignationExpired":
      return vacance && { ...vacance, designationExpiree: true };
    default:
      return vacance;
  }
}

/** The vacancies a ledger's events lead to, by id (an event about a unit applies to its latest vacancy). */
export function replayVacances(
  events: readonly LedgerEvent[],
  ledger: { readonly ledgerId: string; readonly bailleurId: string },
): Map<string, Vacance> {
  const vacances = new Map<string, Vacance>();
  const latest = new Map<string, string>();
  for (const event of events) {
    const payload = event.payload as { rplsId?: string; logement?: { rplsId: string }; libereLe?: string };
    const rplsId = payload.rplsId ?? payload.logement?.rplsId;
    if (rplsId === undefined) continue;
    const opens = event.type === "UnitAssignedToReserver" || event.type === "UnitSubtractedFromFlux";
    const id = opens ? vacanceIdOf(rplsId, payload.libereLe as string) : latest.get(rplsId);
    if (id === undefined) continue;
    const next = evolveVacance(vacances.get(id), event, ledger);
    if (next) vacances.set(id, next);
    latest.set(rplsId, id);
  }
  return vacances;
}

/**
 * Records the reserver's designation of candidates on its oriented unit (the CAL's CandidatesProposed
 * from the reserver, or from the préfet for a DALO household), in time or not: one after the deadline,
 * or after the expiry was found, is recorded late (`enRetard`). It moves no count: the unit was oriented
 * to the reserver and stays counted for it, as the expiry leaves it (domain reference §5.2, step 3).
 * Undefined: nothing changes (the same designation again, or a later one: the first counts). Refused
 * when the unit is not the reserver's to designate for, or was handed back or let.
 */
export function designate(
  vacance: Vacance | undefined,
  designation: Designation,
): Result<Vacance | undefined, AppError> {
  const refuse = (reason: string, message: string) =>
    err(new AppError("CONFLICT", message, { reason, field: "rplsId" }));
  if (!vacance?.cible || vacance.cible.conventionId === null)
    return refuse(
      "NO_DESIGNATION_DUE",
      "Ce logement n'est pas orienté vers un réservataire qui désignerait des candidats",
    );
  if (vacance.designation) return ok(undefined);
  if (vacance.rendu || vacance.attribue)
    return refuse("NO_DESIGNATION_DUE", `Le logement ${vacance.rplsId} est déjà rendu ou attribué`);
  const enRetard =
    vacance.designationExpiree === true ||
    (vacance.designationAvant !== undefined && designation.le > vacance.designationAvant);
  return ok({
    ...vacance,
    designation: { le: designation.le, source: designation.source, ...(enRetard ? { enRetard: true } : {}) },
  });
}

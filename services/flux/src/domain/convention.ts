import {
  type ConditionsConvention,
  ConventionAmended,
  ConventionSigned,
  codeSneOf,
  departementOfCommune,
  type Reservataire,
} from "@logis/contracts";
import { AppError, civilDay, type Decider, err, ok, type Result } from "@logis/domain";
import { checkCaps, describeBreach } from "./caps.js";
import { type DomainEvent, domainEvent } from "./events.js";
import { type LegalParameters, legalParametersAt } from "./legal-parameters.js";
import { type ConventionEnVigueur, inForceOn, periodsOverlap } from "./shares.js";

/** A reservation convention: one landlord × one reserver × one département (or one commune). */
export interface Convention {
  readonly conventionId: string;
  readonly bailleurId: string;
  readonly reservataire: Reservataire;
  readonly departement: string;
  readonly commune: string | undefined;
  readonly signeLe: string;
  /** The signed conditions, then each amendment's, in order (index = avenant number). */
  readonly versions: readonly ConditionsConvention[];
}

export type ConventionCommand =
  | {
      readonly type: "SignConvention";
      readonly conventionId: string;
      readonly bailleurId: string;
      readonly reservataire: Reservataire;
      readonly departement: string;
      readonly commune?: string | undefined;
      readonly conditions: ConditionsConvention;
      readonly signeLe: string;
    }
  | {
      readonly type: "AmendConvention";
      readonly conditions: ConditionsConvention;
      readonly signeLe: string;
      readonly motif: string;
    };

export type ConventionEvent = DomainEvent<typeof ConventionSigned> | DomainEvent<typeof ConventionAmended>;

export interface ConventionContext {
  readonly now: Date;
  /** Who signs or amends (user id); recorded in the event. */
  readonly auteur: string;
  readonly parametresLegaux: LegalParameters;
  /** The landlord's other conventions in the same département (any reserver), with their current conditions. */
  readonly autresConventions: readonly ConventionEnVigueur[];
}

/** The civil day in Paris (a freeing at 00:30 on 1 December belongs to 1 December). */
const today = (now: Date) => civilDay(now);

/** The conditions in force on `day`: the latest version (signature or amendment) that covers it. */
export function conditionsOn(c: Convention, day: string): ConditionsConvention | undefined {
  for (let i = c.versions.length - 1; i >= 0; i--) {
    const v = c.versions[i];
    if (v && inForceOn({ conditions: v }, day)) return v;
  }
  return undefined;
}

/** The convention as the orientation and the caps see it on `day`, if it is in force then. */
export function conventionOn(c: Convention, day: string): ConventionEnVigueur | undefined {
  const conditions = conditionsOn(c, day);
  return conditions && { conventionId: c.conventionId, reservataire: c.reservataire, commune: c.commune, conditions };
}

export const currentConditions = (c: Convention): ConditionsConvention => c.versions.at(-1) as ConditionsConvention;

function checkDates(signeLe: string, conditions: ConditionsConvention, now: Date): AppError | undefined {
  if (signeLe > today(now)) {
    return new AppError(
      "VALIDATION",
      "La date de signature ne peut pas être dans le futur : indiquez la date réelle de signature",
      {
        reason: "SIGNATURE_IN_FUTURE",
        field: "signeLe",
      },
    );
  }
  if (conditions.ventilation.length > 0 && conditions.ventilation.every((l) => !l.typologies && !l.communes)) {
    return new AppError("VALIDATION", "Chaque ligne de ventilation doit viser des typologies ou des communes", {
      reason: "EMPTY_SPLIT_LINE",
      field: "conditions.ventilation",
    });
  }
  return undefined;
}

function checkLegalCaps(candidate: ConventionEnVigueur, context: ConventionContext): Result<string, AppError> {
  const set = legalParametersAt(context.parametresLegaux, candidate.conditions.validFrom);
  if (!set.ok) return set;
  const breach = checkCaps(candidate, context.autresConventions, set.value);
  if (!breach) return ok(set.value.id);
  return err(
    new AppError("RULE_VIOLATION", describeBreach(breach), {
      reason: breach.code === "TOTAL" ? "SHARE_ABOVE_100" : "LEGAL_CAP_EXCEEDED",
      field: "conditions.pourcentage",
      context: { ...breach, parametresLegaux: set.value.id },
    }),
  );
}

function sign(command: Extract<ConventionCommand, { type: "SignConvention" }>, context: ConventionContext) {
  const { reservataire, commune, departement, conditions } = command;
  if (reservataire.type === "bailleur") {
    return err(
      new AppError(
        "VALIDATION",
        "La part non réservée du bailleur est le reste du flux : elle ne fait pas l'objet d'une convention",
        {
          reason: "LANDLORD_OWN_SHARE",
          field: "reservataire.type",
        },
      ),
    );
  }
  if (reservataire.type === "commune" && commune === undefined) {
    return err(
      new AppError(
        "VALIDATION",
        "Une convention avec une commune se signe au niveau de la commune : indiquez son code INSEE",
        {
          reason: "COMMUNE_REQUIRED",
          field: "commune",
        },
      ),
    );
  }
  if (reservataire.type !== "commune" && commune !== undefined) {
    return err(
      new AppError(
        "VALIDATION",
        "Seules les conventions avec une commune se signent au niveau communal : retirez la commune",
        {
          reason: "COMMUNE_NOT_ALLOWED",
          field: "commune",
        },
      ),
    );
  }
  const outside = [commune, ...conditions.ventilation.flatMap((l) => l.communes ?? [])].find(
    (c) => c !== undefined && departementOfCommune(c) !== departement,
  );
  if (outside !== undefined) {
    return err(
      new AppError(
        "VALIDATION",
        `La commune ${outside} n'est pas dans le département ${departement} de la convention`,
        {
          reason: "COMMUNE_OUTSIDE_DEPARTEMENT",
          field: commune === outside ? "commune" : "conditions.ventilation",
        },
      ),
    );
  }
  const dates = checkDates(command.signeLe, conditions, context.now);
  if (dates) return err(dates);
  const overlapping = context.autresConventions.find(
    (o) =>
      o.conventionId !== command.conventionId &&
      o.reservataire.id === reservataire.id &&
      o.commune === commune &&
      periodsOverlap(o.conditions, conditions),
  );
  if (overlapping) {
    return err(
      new AppError(
        "CONFLICT",
        `Une convention avec ${reservataire.nom} couvre déjà cette période (${overlapping.conventionId}, depuis le ${overlapping.conditions.validFrom}) : modifiez-la par avenant`,
        {
          reason: "CONVENTION_OVERLAP",
          field: "conditions.validFrom",
          context: { conventionId: overlapping.conventionId },
        },
      ),
    );
  }
  const candidate = { conventionId: command.conventionId, reservataire, commune, conditions };
  const caps = checkLegalCaps(candidate, context);
  if (!caps.ok) return caps;
  return ok([
    domainEvent(ConventionSigned, {
      conventionId: command.conventionId,
      bailleurId: command.bailleurId,
      reservataire,
      codeSne: codeSneOf[reservataire.type],
      departement,
      ...(commune === undefined ? {} : { commune }),
      conditions,
      signeLe: command.signeLe,
      signePar: context.auteur,
      parametresLegaux: caps.value,
    }),
  ]);
}

const changedFields = (before: ConditionsConvention, after: ConditionsConvention): string[] =>
  (
    [
      "pourcentage",
      "fondement",
      "ventilation",
      "delaiDesignationJours",
      "logementRendu",
      "validFrom",
      "validTo",
    ] as const
  ).filter((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));

function amend(
  state: Convention,
  command: Extract<ConventionCommand, { type: "AmendConvention" }>,
  context: ConventionContext,
) {
  const { conditions } = command;
  const first = state.versions[0];
  if (first && conditions.validFrom < first.validFrom) {
    return err(
      new AppError("VALIDATION", `Un avenant ne peut pas prendre effet avant la convention (le ${first.validFrom})`, {
        reason: "AMENDMENT_BEFORE_CONVENTION",
        field: "conditions.validFrom",
      }),
    );
  }
  if (command.motif.trim().length < 3) {
    return err(
      new AppError("VALIDATION", "Indiquez l'objet de l'avenant", {
        reason: "AMENDMENT_REASON_REQUIRED",
        field: "motif",
      }),
    );
  }
  const dates = checkDates(command.signeLe, conditions, context.now);
  if (dates) return err(dates);
  const champs = changedFields(currentConditions(state), conditions);
  if (champs.length === 0) return ok([]);
  const candidate = {
    conventionId: state.conventionId,
    reservataire: state.reservataire,
    commune: state.commune,
    conditions,
  };
  const caps = checkLegalCaps(candidate, context);
  if (!caps.ok) return caps;
  return ok([
    domainEvent(ConventionAmended, {
      conventionId: state.conventionId,
      avenant: state.versions.length,
      signeLe: command.signeLe,
      signePar: context.auteur,
      motif: command.motif.trim(),
      conditions,
      champs,
      parametresLegaux: caps.value,
    }),
  ]);
}

export const conventionDecider: Decider<Convention | undefined, ConventionCommand, ConventionEvent, ConventionContext> =
  {
    initialState: undefined,
    decide(state, command, context): Result<readonly ConventionEvent[], AppError> {
      switch (command.type) {
        case "SignConvention":
          if (state) {
            return err(
              new AppError(
                "CONFLICT",
                `La convention ${state.conventionId} est déjà signée : modifiez-la par avenant`,
                {
                  reason: "CONVENTION_ALREADY_SIGNED",
                },
              ),
            );
          }
          return sign(command, context);
        case "AmendConvention":
          if (!state) {
            return err(
              new AppError("NOT_FOUND", "Convention introuvable : signez-la avant de l'amender", {
                reason: "CONVENTION_NOT_FOUND",
              }),
            );
          }
          return amend(state, command, context);
      }
    },
    evolve(state, event) {
      switch (event.type) {
        case "ConventionSigned": {
          const p = event.payload;
          return {
            conventionId: p.conventionId,
            bailleurId: p.bailleurId,
            reservataire: p.reservataire,
            departement: p.departement,
            commune: p.commune,
            signeLe: p.signeLe,
            versions: [p.conditions],
          };
        }
        case "ConventionAmended":
          return state && { ...state, versions: [...state.versions, event.payload.conditions] };
      }
    },
  };

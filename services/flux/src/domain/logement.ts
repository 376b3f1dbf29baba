import {
  type Logement,
  LogementDeclare,
  type MotifLiberation,
  type MotifSoustraction,
  toLogement,
  UnitDeclared,
  UnitFreed,
  UnitLet,
  UnitUpdated,
} from "@logis/contracts";
import { AppError, civilDay, type Decider, err, ok, type Result, validationError } from "@logis/domain";
import { type DomainEvent, domainEvent } from "./events.js";

/** A unit of the landlord's stock, and its current vacancy if it is free. */
export interface Unit {
  readonly bailleurId: string;
  readonly logement: Logement;
  readonly vacance: { readonly libereLe: string; readonly motif: MotifLiberation } | undefined;
}

export type UnitCommand =
  /** Declares a unit, or updates it when this landlord already declared it (an import is idempotent on the RPLS id). */
  | { readonly type: "DeclareUnit"; readonly bailleurId: string; readonly logement: LogementDeclare }
  | { readonly type: "UpdateUnit"; readonly changes: Partial<Omit<LogementDeclare, "rplsId">> }
  | {
      readonly type: "FreeUnit";
      readonly libereLe: string;
      readonly motif: MotifLiberation;
      readonly soustraction?: MotifSoustraction | undefined;
    }
  | { readonly type: "LetUnit"; readonly bailSigneLe: string };

export type UnitEvent =
  | DomainEvent<typeof UnitDeclared>
  | DomainEvent<typeof UnitUpdated>
  | DomainEvent<typeof UnitFreed>
  | DomainEvent<typeof UnitLet>;

export interface UnitContext {
  readonly now: Date;
  readonly auteur: string;
  /** Landlords known to the platform (reference data). */
  readonly bailleursConnus: ReadonlySet<string>;
}

/** The aggregate id of a unit: derived from its RPLS id, so a re-import finds it again. */
export const unitIdOf = (rplsId: string): string => `uni_${rplsId.toLowerCase()}`;

/** The civil day in Paris (a freeing at 00:30 on 1 December belongs to 1 December). */
const today = (now: Date) => civilDay(now);

const changedFields = (before: Logement, after: Logement): string[] =>
  [...new Set([...Object.keys(before), ...Object.keys(after)])]
    .filter((k) => JSON.stringify(before[k as keyof Logement]) !== JSON.stringify(after[k as keyof Logement]))
    .sort();

/** The PLAI-adapté subsidy (D331-25-1) only tops up a PLAI financing: any other is a declaration error. */
export const plaiAdapteRefuse = (logement: LogementDeclare): string | undefined =>
  logement.plaiAdapte && logement.financement !== "PLAI"
    ? `PLAI adapté : seul un logement financé en PLAI peut l'être (financement déclaré : ${logement.financement})`
    : undefined;

/** Parses a declaration and checks the rules across its fields. */
function parseDeclaration(input: unknown): Result<LogementDeclare, AppError> {
  const parsed = LogementDeclare.safeParse(input);
  if (!parsed.success) return err(validationError(parsed.error));
  const refus = plaiAdapteRefuse(parsed.data);
  if (refus) return err(new AppError("VALIDATION", refus, { reason: "PLAI_ADAPTE_NOT_PLAI", field: "plaiAdapte" }));
  return ok(parsed.data);
}

function update(state: Unit, input: unknown, context: UnitContext): Result<readonly UnitEvent[], AppError> {
  const parsed = parseDeclaration(input);
  if (!parsed.ok) return parsed;
  const logement = toLogement(parsed.value);
  const champs = changedFields(state.logement, logement);
  if (champs.length === 0) return ok([]);
  return ok([
    domainEvent(UnitUpdated, {
      bailleurId: state.bailleurId,
      logement,
      champs,
      modifieLe: context.now.toISOString(),
      modifiePar: context.auteur,
    }),
  ]);
}

function declare(
  state: Unit | undefined,
  command: Extract<UnitCommand, { type: "DeclareUnit" }>,
  context: UnitContext,
): Result<readonly UnitEvent[], AppError> {
  if (!context.bailleursConnus.has(command.bailleurId)) {
    return err(
      new AppError(
        "RULE_VIOLATION",
        `Bailleur ${command.bailleurId} inconnu : faites-le enregistrer avant de déclarer son patrimoine`,
        {
          reason: "UNKNOWN_LANDLORD",
          field: "bailleurId",
        },
      ),
    );
  }
  if (state && state.bailleurId !== command.bailleurId) {
    return err(
      new AppError(
        "CONFLICT",
        `Le logement RPLS ${state.logement.rplsId} est déjà déclaré par un autre bailleur : vérifiez l'identifiant RPLS`,
        {
          reason: "UNIT_OF_ANOTHER_LANDLORD",
          field: "logement.rplsId",
        },
      ),
    );
  }
  if (state) return update(state, command.logement, context);
  const parsed = parseDeclaration(command.logement);
  if (!parsed.ok) return parsed;
  return ok([
    domainEvent(UnitDeclared, {
      bailleurId: command.bailleurId,
      logement: toLogement(parsed.value),
      declareLe: context.now.toISOString(),
      declarePar: context.auteur,
    }),
  ]);
}

function free(state: Unit, command: Extract<UnitCommand, { type: "FreeUnit" }>, context: UnitContext) {
  const { rplsId } = state.logement;
  if (state.vacance) {
    return err(
      new AppError(
        "CONFLICT",
        `Le logement ${rplsId} est déjà libéré depuis le ${state.vacance.libereLe} : enregistrez d'abord le bail signé avant une nouvelle libération`,
        { reason: "UNIT_ALREADY_FREED", field: "libereLe" },
      ),
    );
  }
  if (command.libereLe > today(context.now)) {
    return err(
      new AppError(
        "VALIDATION",
        "La date de libération ne peut pas être dans le futur : déclarez le logement une fois libéré",
        {
          reason: "FREED_IN_FUTURE",
          field: "libereLe",
        },
      ),
    );
  }
  const horsFlux = state.logement.exceptionStock;
  if (horsFlux && command.soustraction) {
    return err(
      new AppError(
        "RULE_VIOLATION",
        `Le logement ${rplsId} est géré en stock (${horsFlux}) : il ne peut pas être soustrait du flux`,
        {
          reason: "STOCK_UNIT_NOT_SUBTRACTABLE",
          field: "soustraction",
        },
      ),
    );
  }
  return ok([
    domainEvent(UnitFreed, {
      bailleurId: state.bailleurId,
      logement: state.logement,
      libereLe: command.libereLe,
      motif: command.motif,
      ...(command.soustraction ? { soustraction: command.soustraction } : {}),
      ...(horsFlux ? { horsFlux } : {}),
      declareLe: context.now.toISOString(),
      declarePar: context.auteur,
    }),
  ]);
}

function letUnit(state: Unit, bailSigneLe: string, context: UnitContext) {
  if (!state.vacance) {
    return err(
      new AppError(
        "CONFLICT",
        `Le logement ${state.logement.rplsId} n'est pas libéré : déclarez sa libération avant d'enregistrer un bail`,
        {
          reason: "UNIT_NOT_FREE",
        },
      ),
    );
  }
  if (bailSigneLe < state.vacance.libereLe) {
    return err(
      new AppError(
        "VALIDATION",
        `Le bail ne peut pas être signé avant la libération du logement (le ${state.vacance.libereLe})`,
        {
          reason: "LEASE_BEFORE_FREEING",
          field: "bailSigneLe",
        },
      ),
    );
  }
  return ok([
    domainEvent(UnitLet, {
      bailleurId: state.bailleurId,
      rplsId: state.logement.rplsId,
      libereLe: state.vacance.libereLe,
      bailSigneLe,
      enregistreLe: context.now.toISOString(),
      enregistrePar: context.auteur,
    }),
  ]);
}

const notDeclared = () =>
  err(
    new AppError("NOT_FOUND", "Logement inconnu : déclarez-le dans le patrimoine d'abord", {
      reason: "UNIT_NOT_FOUND",
    }),
  );

export const unitDecider: Decider<Unit | undefined, UnitCommand, UnitEvent, UnitContext> = {
  initialState: undefined,
  decide(state, command, context) {
    switch (command.type) {
      case "DeclareUnit":
        return declare(state, command, context);
      case "UpdateUnit": {
        if (!state) return notDeclared();
        const { rplsId: _ignored, typologie: _t, departement: _d, ...current } = state.logement;
        return update(state, { ...current, ...command.changes, rplsId: state.logement.rplsId }, context);
      }
      case "FreeUnit":
        return state ? free(state, command, context) : notDeclared();
      case "LetUnit":
        return state ? letUnit(state, command.bailSigneLe, context) : notDeclared();
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case "UnitDeclared":
        return { bailleurId: event.payload.bailleurId, logement: event.payload.logement, vacance: undefined };
      case "UnitUpdated":
        return state && { ...state, logement: event.payload.logement };
      case "UnitFreed":
        return state && { ...state, vacance: { libereLe: event.payload.libereLe, motif: event.payload.motif } };
      case "UnitLet":
        return state && { ...state, vacance: undefined };
    }
  },
};

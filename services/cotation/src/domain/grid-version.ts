import type { GridKind, GridRules } from "@logis/contracts";
import { AppError, type Decider, err, ok } from "@logis/domain";
import type { FactCatalogue } from "./facts.js";
import { type GridIssue, validateGrid } from "./validate-grid.js";

// A grid version's life: draft → simulated → published (effective-dated, then immutable). One grid
// per EPCI and kind (`grd_<epci>_<kind>`), versions 1, 2, …; at most one draft at a time. Every
// change is attributed to its author in the version's history.

export interface Author {
  by: string;
  byName: string;
}

export interface HistoryEntry extends Author {
  at: Date;
  action: "créée" | "modifiée" | "simulée" | "publiée";
  note?: string;
}

export interface GridVersion {
  _id: string;
  gridId: string;
  epci: string;
  kind: GridKind;
  version: number;
  nom: string;
  status: "draft" | "published";
  rules: GridRules;
  basedOn?: number;
  /** Set when the draft was simulated after its last change (publication requires it). */
  simulatedAt?: Date;
  effectiveFrom?: string;
  publishedAt?: Date;
  publishedBy?: string;
  drawSeed?: number;
  history: HistoryEntry[];
}

export const gridIdOf = (epci: string, kind: GridKind) => `grd_${epci}_${kind}`;
export const versionIdOf = (gridId: string, version: number) => `${gridId}.v${version}`;

export type GridCommand =
  | { type: "CreateDraft"; epci: string; kind: GridKind; nom: string; rules: GridRules }
  | { type: "UpdateDraft"; nom?: string | undefined; rules?: GridRules | undefined; note?: string | undefined }
  /** `seen`: the number of history entries when the simulation read the draft. */
  | { type: "RecordSimulation"; seen: number; note: string }
  | { type: "Publish"; effectiveFrom: string; drawSeed: number };

export type GridEvent =
  | { type: "DraftCreated"; version: GridVersion }
  | { type: "DraftUpdated"; nom?: string; rules?: GridRules; entry: HistoryEntry }
  | { type: "DraftSimulated"; current: boolean; entry: HistoryEntry }
  | { type: "VersionPublished"; effectiveFrom: string; drawSeed: number; entry: HistoryEntry };

export interface GridContext {
  now: Date;
  /** The civil day of `now` (Europe/Paris), for the effective date. */
  today: string;
  author: Author;
  /** The grid's existing versions (for a new draft: its number, and no second draft). */
  versions: readonly GridVersion[];
  /** The facts and proof pieces a grid may name (reference data, loaded in compose.ts). */
  catalogue: FactCatalogue;
}

function invalidGrid(issues: GridIssue[]): AppError {
  const first = issues[0];
  return new AppError(
    "RULE_VIOLATION",
    `Grille refusée : ${issues.length} erreur(s), dont ${first?.critere ? `critère ${first.critere} : ` : ""}${first?.message}`,
    {
      reason: "INVALID_GRID",
      field: first ? `rules.${first.path}` : "rules",
      context: {
        issues: issues.map((i) => ({ path: `rules.${i.path}`, message: i.message })),
        details: issues,
      },
    },
  );
}

const published = () =>
  new AppError("CONFLICT", "Une grille publiée ne se modifie plus : créez une nouvelle version", {
    reason: "GRID_PUBLISHED",
  });

export const gridVersion: Decider<GridVersion | undefined, GridCommand, GridEvent, GridContext> = {
  initialState: undefined,

  decide(state, command, { now, today, author, versions, catalogue }) {
    switch (command.type) {
      case "CreateDraft": {
        const issues = validateGrid(command.rules, catalogue);
        if (issues.length > 0) return err(invalidGrid(issues));
        const draft = versions.find((v) => v.status === "draft");
        if (draft)
          return err(
            new AppError("CONFLICT", `Un brouillon existe déjà (version ${draft.version}) : modifiez-le`, {
              reason: "DRAFT_EXISTS",
              context: { id: draft._id },
            }),
          );
        const gridId = gridIdOf(command.epci, command.kind);
        const version = versions.length + 1;
        return ok([
          {
            type: "DraftCreated",
            version: {
              _id: versionIdOf(gridId, version),
              gridId,
              epci: command.epci,
              kind: command.kind,
              version,
              nom: command.nom,
              status: "draft",
              rules: command.rules,
              ...(versions.length > 0 ? { basedOn: versions.length } : {}),
              history: [{ at: now, ...author, action: "créée" }],
            },
          },
        ]);
      }
      case "UpdateDraft": {
        if (!state) return err(notFound());
        if (command.rules) {
          const issues = validateGrid(command.rules, catalogue);
          if (issues.length > 0) return err(invalidGrid(issues));
        }
        if (state.status !== "draft") return err(published());
        return ok([
          {
            type: "DraftUpdated",
            ...(command.nom ? { nom: command.nom } : {}),
            ...(command.rules ? { rules: command.rules } : {}),
            entry: { at: now, ...author, action: "modifiée", ...(command.note ? { note: command.note } : {}) },
          },
        ]);
      }
      case "RecordSimulation": {
        // A simulation of a version published meanwhile is not recorded.
        if (state?.status !== "draft") return ok([]);
        return ok([
          {
            type: "DraftSimulated",
            current: state.history.length === command.seen,
            entry: { at: now, ...author, action: "simulée", note: command.note },
          },
        ]);
      }
      case "Publish": {
        if (!state) return err(notFound());
        if (command.effectiveFrom < today)
          return err(
            new AppError("VALIDATION", "La date d'effet ne peut pas être dans le passé", {
              field: "effectiveFrom",
              reason: "EFFECTIVE_DATE_PAST",
            }),
          );
        if (state.status !== "draft")
          return err(new AppError("CONFLICT", "Cette version est déjà publiée", { reason: "GRID_PUBLISHED" }));
        if (!state.simulatedAt)
          return err(
            new AppError("CONFLICT", "Simulez le brouillon dans son dernier état avant de le publier", {
              reason: "SIMULATION_REQUIRED",
            }),
          );
        return ok([
          {
            type: "VersionPublished",
            effectiveFrom: command.effectiveFrom,
            drawSeed: command.drawSeed,
            entry: { at: now, ...author, action: "publiée", note: `effet au ${command.effectiveFrom}` },
          },
        ]);
      }
    }
  },

  evolve(state, event) {
    if (event.type === "DraftCreated") return event.version;
    if (!state) return state;
    const history = [...state.history, event.entry];
    switch (event.type) {
      case "DraftUpdated": {
        const { simulatedAt: _stale, ...rest } = state;
        return {
          ...rest,
          ...(event.nom ? { nom: event.nom } : {}),
          ...(event.rules ? { rules: event.rules } : {}),
          history,
        };
      }
      case "DraftSimulated":
        return { ...state, ...(event.current ? { simulatedAt: event.entry.at } : {}), history };
      case "VersionPublished":
        return {
          ...state,
          status: "published",
          effectiveFrom: event.effectiveFrom,
          publishedAt: event.entry.at,
          publishedBy: event.entry.by,
          drawSeed: event.drawSeed,
          history,
        };
    }
  },
};

function notFound() {
  return new AppError("NOT_FOUND", "Grille introuvable", { reason: "GRID_NOT_FOUND" });
}

import { AppError, type Decider, err, ok } from "@logis/domain";

// The template's one aggregate: a note a desk keeps on a file. Written, edited, archived; an
// archived note no longer changes. Replace it with the service's own aggregates: the shape stays.

export interface Note {
  _id: string;
  /** The file the note is about (a numéro unique, say). */
  about: string;
  text: string;
  status: "open" | "archived";
  /** Events emitted so far: the aggregateVersion of the next one is `revision + 1`. */
  revision: number;
  history: { at: string; by: string; action: "written" | "edited" | "archived" }[];
}

export type NoteCommand =
  | { type: "Write"; id: string; about: string; text: string }
  | { type: "Edit"; text: string }
  | { type: "Archive" };

export type NoteEvent =
  | { type: "NoteWritten"; id: string; about: string; text: string; at: string; by: string }
  | { type: "NoteEdited"; text: string; at: string; by: string }
  | { type: "NoteArchived"; at: string; by: string };

/** What a decision needs besides the state: time and the author come in, never read. */
export interface NoteContext {
  now: Date;
  by: string;
}

export const note: Decider<Note | undefined, NoteCommand, NoteEvent, NoteContext> = {
  initialState: undefined,
  decide(state, command, { now, by }) {
    const at = now.toISOString();
    switch (command.type) {
      case "Write":
        if (state) return err(new AppError("CONFLICT", "Cette note existe déjà", { reason: "NOTE_EXISTS" }));
        return ok([{ type: "NoteWritten", id: command.id, about: command.about, text: command.text, at, by }]);
      case "Edit":
        if (!state) return err(new AppError("NOT_FOUND", "Note introuvable", { reason: "NOTE_NOT_FOUND" }));
        if (state.status === "archived")
          return err(new AppError("CONFLICT", "Une note archivée ne se modifie plus", { reason: "NOTE_ARCHIVED" }));
        if (state.text === command.text) return ok([]);
        return ok([{ type: "NoteEdited", text: command.text, at, by }]);
      case "Archive":
        if (!state) return err(new AppError("NOT_FOUND", "Note introuvable", { reason: "NOTE_NOT_FOUND" }));
        if (state.status === "archived") return ok([]);
        return ok([{ type: "NoteArchived", at, by }]);
    }
  },
  evolve(state, event) {
    switch (event.type) {
      case "NoteWritten":
        return {
          _id: event.id,
          about: event.about,
          text: event.text,
          status: "open",
          revision: 1,
          history: [{ at: event.at, by: event.by, action: "written" }],
        };
      case "NoteEdited":
        return (
          state && {
            ...state,
            text: event.text,
            revision: state.revision + 1,
            history: [...state.history, { at: event.at, by: event.by, action: "edited" }],
          }
        );
      case "NoteArchived":
        return (
          state && {
            ...state,
            status: "archived",
            revision: state.revision + 1,
            history: [...state.history, { at: event.at, by: event.by, action: "archived" }],
          }
        );
    }
  },
};

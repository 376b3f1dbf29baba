import { createEvent } from "@logis/contracts";
import { AppError, type Clock, newId } from "@logis/domain";
import type { Caller } from "@logis/http";
import { z } from "zod";
import { NoteChanged } from "../domain/events.js";
import { type Note, type NoteCommand, note } from "../domain/note.js";
import type { NoteStore } from "./ports.js";

export const NoteText = z.string().trim().min(1, "écrivez la note").max(2_000, "2 000 caractères au plus");
export const WriteNoteInput = z.object({ about: z.string().trim().min(1, "indiquez le dossier"), text: NoteText });
export const NoteId = z.object({ id: z.string().regex(/^not_[A-Za-z0-9_-]+$/, "identifiant de note attendu") });

export const viewOf = ({ _id, ...rest }: Note) => ({ id: _id, ...rest });
export const NoteView = z.object({
  id: z.string(),
  about: z.string(),
  text: z.string(),
  status: z.enum(["open", "archived"]),
  revision: z.number(),
  history: z.array(z.object({ at: z.string(), by: z.string(), action: z.string() })),
});

/**
 * The use cases: load, decide (domain/note.ts), store the new state with its public event in one
 * write (the store holds the lock and signals the relay). Permissions are checked by the operation.
 */
export function noteUseCases({ notes, clock }: { notes: NoteStore; clock: Clock }) {
  const change = async (caller: Caller, id: string, command: NoteCommand) => {
    const { state } = await notes.update(id, (current) => {
      const decided = note.decide(current, command, { now: clock.now(), by: caller.principal.userId });
      if (!decided.ok) throw decided.error;
      if (decided.value.length === 0) return undefined;
      const next = decided.value.reduce(note.evolve, current);
      if (!next) return undefined;
      const { _id, ...state } = next;
      const event = createEvent(NoteChanged, {
        aggregateId: id,
        aggregateVersion: next.revision,
        correlationId: caller.correlationId,
        actor: { userId: caller.principal.userId, organisationId: caller.principal.organisation.id },
        occurredAt: clock.now(),
        payload: { about: next.about, status: next.status, text: next.text },
      });
      return { state, events: [event] };
    });
    if (!state) throw new AppError("NOT_FOUND", "Note introuvable", { reason: "NOTE_NOT_FOUND" });
    return viewOf(state);
  };
  return {
    write: (caller: Caller, input: z.infer<typeof WriteNoteInput>) => {
      const id = newId("note");
      return change(caller, id, { type: "Write", id, ...input });
    },
    edit: (caller: Caller, id: string, text: string) => change(caller, id, { type: "Edit", text }),
    archive: (caller: Caller, id: string) => change(caller, id, { type: "Archive" }),
    async get(id: string) {
      const found = await notes.get(id);
      if (!found) throw new AppError("NOT_FOUND", "Note introuvable", { reason: "NOTE_NOT_FOUND" });
      return viewOf(found);
    },
  };
}
export type NoteUseCases = ReturnType<typeof noteUseCases>;

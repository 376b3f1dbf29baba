import type { Aggregates } from "@logis/outbox";
import type { Note } from "../domain/note.js";

/** Where notes live: the Mongo aggregate store in production, the memory one in use-case tests. */
export type NoteStore = Aggregates<Note>;

import { Principal } from "@logis/auth";
import { defineOperation } from "@logis/http";
import { z } from "zod";
import { NoteId, NoteText, type NoteUseCases, NoteView, WriteNoteInput } from "../app/notes.js";

const tags = ["Notes"];

/** Every operation of the service, once: REST route, tRPC procedure and OpenAPI entry come from here. */
export const operations = (notes: NoteUseCases) => ({
  whoami: defineOperation({
    name: "whoami",
    summary: "Qui appelle : l'utilisateur, son organisation, ses rôles et territoires",
    permission: "public",
    output: z.object({ principal: Principal.nullable() }),
    rest: { method: "get", path: "/v1/whoami" },
    handler: async (_input, caller) => ({ principal: caller.principal ?? null }),
  }),
  writeNote: defineOperation({
    name: "writeNote",
    summary: "Écrire une note sur un dossier",
    tags,
    permission: "demand.update",
    body: WriteNoteInput,
    output: NoteView,
    rest: { method: "post", path: "/v1/notes", status: 201 },
    handler: ({ body }, caller) => notes.write(caller, body),
  }),
  getNote: defineOperation({
    name: "getNote",
    summary: "Lire une note",
    tags,
    permission: "demand.read",
    params: NoteId,
    output: NoteView,
    rest: { method: "get", path: "/v1/notes/:id" },
    handler: ({ params }) => notes.get(params.id),
  }),
  editNote: defineOperation({
    name: "editNote",
    summary: "Modifier le texte d'une note",
    tags,
    permission: "demand.update",
    params: NoteId,
    body: z.object({ text: NoteText }),
    output: NoteView,
    rest: { method: "put", path: "/v1/notes/:id" },
    handler: ({ params, body }, caller) => notes.edit(caller, params.id, body.text),
  }),
  archiveNote: defineOperation({
    name: "archiveNote",
    summary: "Archiver une note (elle ne change plus)",
    tags,
    permission: "demand.update",
    params: NoteId,
    output: NoteView,
    rest: { method: "post", path: "/v1/notes/:id/archivage" },
    handler: ({ params }, caller) => notes.archive(caller, params.id),
  }),
});

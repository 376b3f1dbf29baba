import { type AggregateStoreOptions, mongoAggregateStore } from "@logis/outbox";
import type { mongo } from "mongoose";
import type { Note } from "../../domain/note.js";

/** Notes in MongoDB, one document per note with its outbox (the aggregate store does the rest). */
export const mongoNotes = (db: mongo.Db, options: AggregateStoreOptions) =>
  mongoAggregateStore<Note>(db, "notes", options);

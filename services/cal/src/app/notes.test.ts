import { demoUsers } from "@logis/auth";
import { manualClock } from "@logis/domain";
import { memoryAggregates } from "@logis/outbox";
import { describe, expect, it } from "vitest";
import type { Note } from "../domain/note.js";
import { noteUseCases } from "./notes.js";

// Use cases against the memory store: no engine, the same contract as the Mongo store.
const caller = { principal: demoUsers.guichet, correlationId: "cor_test", requestId: "req_test" };

describe("note use cases", () => {
  it("write then edit: the state and one NoteChanged per change, numbered 1, 2", async () => {
    const notes = memoryAggregates<Note>();
    const uc = noteUseCases({ notes, clock: manualClock("2026-11-29T10:00:00.000Z") });
    const written = await uc.write(caller, { about: "069032600000100AA", text: "Appeler" });
    const edited = await uc.edit(caller, written.id, "Rappeler lundi");
    expect(edited).toMatchObject({ text: "Rappeler lundi", revision: 2 });
    expect(notes.published.map((e) => [e.type, e.aggregateVersion, e.correlationId])).toEqual([
      ["NoteChanged", 1, "cor_test"],
      ["NoteChanged", 2, "cor_test"],
    ]);
  });

  it("a refused change writes nothing and publishes nothing", async () => {
    const notes = memoryAggregates<Note>();
    const uc = noteUseCases({ notes, clock: manualClock("2026-11-29T10:00:00.000Z") });
    const { id } = await uc.write(caller, { about: "x", text: "a" });
    await uc.archive(caller, id);
    await expect(uc.edit(caller, id, "b")).rejects.toMatchObject({ reason: "NOTE_ARCHIVED" });
    expect(notes.published).toHaveLength(2);
    expect((await uc.get(id)).text).toBe("a");
  });
});

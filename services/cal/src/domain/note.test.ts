import { deciderSpec } from "@logis/testing";
import { describe, expect, it } from "vitest";
import { type NoteEvent, note } from "./note.js";

const spec = deciderSpec(note);
const ctx = { now: new Date("2026-11-29T10:00:00.000Z"), by: "usr_demo_guichet" };
const written: NoteEvent = { type: "NoteWritten", id: "not_1", about: "069", text: "Appeler", at: "t0", by: "u" };

describe("a note: written, edited, archived", () => {
  it("given nothing, Write writes the note", () => {
    const { events, state } = spec.given().when({ type: "Write", id: "not_1", about: "069", text: "Appeler" }, ctx);
    expect(events).toEqual([{ ...written, at: "2026-11-29T10:00:00.000Z", by: "usr_demo_guichet" }]);
    expect(state).toMatchObject({ _id: "not_1", status: "open", revision: 1 });
  });

  it("given a note, Edit with new text records the edit; the same text changes nothing", () => {
    expect(spec.given(written).when({ type: "Edit", text: "Rappeler" }, ctx).state).toMatchObject({
      text: "Rappeler",
      revision: 2,
    });
    expect(spec.given(written).when({ type: "Edit", text: "Appeler" }, ctx).events).toEqual([]);
  });

  it("given an archived note, Edit is refused and Archive changes nothing", () => {
    const archived: NoteEvent = { type: "NoteArchived", at: "t1", by: "u" };
    expect(spec.given(written, archived).when({ type: "Edit", text: "x" }, ctx).error).toMatchObject({
      code: "CONFLICT",
      reason: "NOTE_ARCHIVED",
    });
    expect(spec.given(written, archived).when({ type: "Archive" }, ctx).events).toEqual([]);
  });

  it("given nothing, Edit is refused: the note does not exist", () => {
    expect(spec.given().when({ type: "Edit", text: "x" }, ctx).error).toMatchObject({ code: "NOT_FOUND" });
  });
});

import { defineEvent, defineStream } from "@logis/contracts";
import { z } from "zod";

// The events others see. A real service declares them in packages/contracts/src/<service>/ (with a
// fixture per event and version); the template keeps its example here so nothing else depends on it.

export const NOTE_TOPIC = "cal.note.v1";

export const NoteChanged = defineEvent(
  "NoteChanged",
  1,
  z.object({ about: z.string().min(1), status: z.enum(["open", "archived"]), text: z.string() }),
);
export const noteStream = defineStream(NOTE_TOPIC, [NoteChanged]);

import type { Clock } from "@logis/domain";
import { openApiDocument, restRoutesOf, trpcRouterOf } from "@logis/http";
import type { Platform, ServiceParts } from "@logis/runtime";
import { mongoNotes } from "./adapters/mongo/notes.js";
import { noteUseCases } from "./app/notes.js";
import { NOTE_TOPIC } from "./domain/events.js";
import { operations } from "./http/operations.js";

/** The topics this service writes and reads (created at start). */
export const topicsOf = { produces: [NOTE_TOPIC] };

/**
 * The service's parts, wired once: main.ts and the test harness both call this, so tests run the
 * service exactly as production does. Reference data would be loaded here and passed in.
 */
export async function composeCal(platform: Platform, options: { clock: Clock }) {
  const notes = mongoNotes(platform.db, {
    topic: platform.topic(NOTE_TOPIC),
    lock: platform.lock,
    signals: platform.signals,
  });
  await notes.ensureIndexes();
  const uc = noteUseCases({ notes, clock: options.clock });
  const ops = operations(uc);
  const rest = restRoutesOf(Object.values(ops));
  const parts: ServiceParts = {
    http: {
      trpc: trpcRouterOf(ops),
      rest,
      openApi: openApiDocument({ title: "Logis — cal", version: "0.1.0" }, rest),
    },
    outbox: [notes.outbox],
  };
  return { parts, uc };
}

/** The console imports this type only. */
export type CalRouter = ReturnType<typeof trpcRouterOf<ReturnType<typeof operations>>>;

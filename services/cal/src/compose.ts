import { topics } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import { openApiDocument, restRoutesOf, trpcRouterOf } from "@logis/http";
import type { Platform, ServiceParts } from "@logis/runtime";
import { loadReferentiel } from "./adapters/files/reference.js";
import { mongoAttributions } from "./adapters/mongo/attributions.js";
import { attributionUseCases } from "./app/attributions.js";
import { operations } from "./http/operations.js";

/** The topics this service writes and reads (created at start). */
export const topicsOf = { produces: [topics.calSession, topics.calAttribution] };

/**
 * The service's parts, wired once: main.ts and the test harness both call this, so tests run the
 * service exactly as production does. The reference data (ceilings, zones, rules) is read here and
 * passed to the domain. Attributions are stored and their use cases wired; sessions, commissions and
 * the operations over them are not yet.
 */
export async function composeCal(platform: Platform, options: { clock: Clock }) {
  const referentiel = loadReferentiel();
  const attributions = mongoAttributions(platform.db, {
    topic: platform.topic(topics.calAttribution),
    lock: platform.lock,
    signals: platform.signals,
  });
  await attributions.ensureIndexes();
  const uc = { attributions: attributionUseCases({ attributions, clock: options.clock, referentiel }) };
  const ops = operations();
  const rest = restRoutesOf(Object.values(ops));
  const parts: ServiceParts = {
    http: {
      trpc: trpcRouterOf(ops),
      rest,
      openApi: openApiDocument({ title: "Logis — cal", version: "0.1.0" }, rest),
    },
    outbox: [attributions.outbox],
  };
  return { parts, uc, referentiel };
}

/** The console imports this type only. */
export type CalRouter = ReturnType<typeof trpcRouterOf<ReturnType<typeof operations>>>;

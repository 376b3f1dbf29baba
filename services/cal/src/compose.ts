import { topics } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import { openApiDocument, restRoutesOf, trpcRouterOf } from "@logis/http";
import type { Platform, ServiceParts } from "@logis/runtime";
import { loadReferentiel } from "./adapters/files/reference.js";
import { operations } from "./http/operations.js";

/** The topics this service writes and reads (created at start). */
export const topicsOf = { produces: [topics.calSession, topics.calAttribution] };

/**
 * The service's parts, wired once: main.ts and the test harness both call this, so tests run the
 * service exactly as production does. The reference data (ceilings, zones, rules) is read here and
 * passed to the domain. The domain's deciders (domain/) are not wired to stores and operations yet.
 */
export async function composeCal(_platform: Platform, options: { clock: Clock }) {
  const referentiel = loadReferentiel();
  const ops = operations();
  const rest = restRoutesOf(Object.values(ops));
  const parts: ServiceParts = {
    http: {
      trpc: trpcRouterOf(ops),
      rest,
      openApi: openApiDocument({ title: "Logis — cal", version: "0.1.0" }, rest),
    },
    outbox: [],
  };
  return { parts, referentiel, clock: options.clock };
}

/** The console imports this type only. */
export type CalRouter = ReturnType<typeof trpcRouterOf<ReturnType<typeof operations>>>;

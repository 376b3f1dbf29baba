import type { Principal } from "@logis/auth";
import type { z } from "zod";
import { factCatalogue } from "../domain/facts.js";
import { referentiels } from "../domain/referentiels.js";
import type { CreateDraftInput, GridStore, PublishInput, UpdateDraftInput } from "./grids.js";
import { viewOf } from "./grids.js";
import type { ScoringService, SimulateInput } from "./scoring.js";

/** What the HTTP and tRPC layers call. */
export function useCases(grids: GridStore, scoring: ScoringService) {
  return {
    facts: () => ({
      facts: factCatalogue.map((f) => ({ ...f })),
      justificatifs: referentiels.justificatifs,
      prioritesL441: referentiels.prioritesL441,
      version: referentiels.version,
    }),
    listGrids: async (p: Principal, epci: string) => (await grids.list(p, epci)).map(viewOf),
    getGrid: async (p: Principal, id: string) => viewOf(await grids.get(p, id)),
    createDraft: async (p: Principal, input: z.infer<typeof CreateDraftInput>) =>
      viewOf(await grids.createDraft(p, input)),
    updateDraft: async (p: Principal, id: string, input: z.infer<typeof UpdateDraftInput>) =>
      viewOf(await grids.updateDraft(p, id, input)),
    simulate: async (p: Principal, id: string, input: z.infer<typeof SimulateInput>) => {
      const doc = await grids.get(p, id);
      const result = scoring.simulateVersion(p, doc, input);
      await grids.markSimulated(p, doc, `${result.demandes} demandes, top ${input.topN}`);
      return result;
    },
    publish: async (p: Principal, id: string, input: z.infer<typeof PublishInput>, correlationId: string) => {
      const doc = await grids.publish(p, id, input, correlationId);
      await scoring.refresh();
      return viewOf(doc);
    },
    cotation: (p: Principal, numeroUnique: string, asOf?: string) => ({
      numeroUnique,
      cotations: scoring.cotationOf(p, numeroUnique, asOf),
    }),
  };
}
export type UseCases = ReturnType<typeof useCases>;

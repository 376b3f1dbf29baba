import { Epci, NumeroUnique } from "@logis/contracts";
import { authorizedProcedure, router } from "@logis/http";
import { z } from "zod";
import { CreateDraftInput, PublishInput, UpdateDraftInput } from "../app/grids.js";
import { SimulateInput } from "../app/scoring.js";
import type { UseCases } from "../app/use-cases.js";
import { correlationOf, principalOf } from "./rest.js";

const byId = z.object({ id: z.string().min(1) });

/** The console's API (the console imports the type only). */
export const cotationRouter = (uc: UseCases) =>
  router({
    facts: authorizedProcedure("grid.read").query(() => uc.facts()),
    grids: authorizedProcedure("grid.read")
      .input(z.object({ epci: Epci }))
      .query(({ ctx, input }) => uc.listGrids(principalOf(ctx), input.epci)),
    grid: authorizedProcedure("grid.read")
      .input(byId)
      .query(({ ctx, input }) => uc.getGrid(principalOf(ctx), input.id)),
    createDraft: authorizedProcedure("grid.edit")
      .input(CreateDraftInput)
      .mutation(({ ctx, input }) => uc.createDraft(principalOf(ctx), input)),
    updateDraft: authorizedProcedure("grid.edit")
      .input(byId.extend({ change: UpdateDraftInput }))
      .mutation(({ ctx, input }) => uc.updateDraft(principalOf(ctx), input.id, input.change)),
    simulate: authorizedProcedure("grid.edit")
      .input(byId.extend({ options: SimulateInput }))
      .mutation(({ ctx, input }) => uc.simulate(principalOf(ctx), input.id, input.options)),
    publish: authorizedProcedure("grid.publish")
      .input(byId.extend({ publication: PublishInput }))
      .mutation(({ ctx, input }) =>
        uc.publish(principalOf(ctx), input.id, input.publication, correlationOf(undefined)),
      ),
    cotation: authorizedProcedure("score.read")
      .input(z.object({ numeroUnique: NumeroUnique, date: z.iso.date().optional() }))
      .query(({ ctx, input }) => uc.cotation(principalOf(ctx), input.numeroUnique, input.date)),
  });
export type CotationRouter = ReturnType<typeof cotationRouter>;

import { Departement, NumeroUnique } from "@logis/contracts";
import { authorizedProcedure, router } from "@logis/http";
import { z } from "zod";
import { RadiateInput, UpdateInput } from "../app/change-demand.js";
import { SearchInput } from "../app/read-demand.js";
import { RegisterInput } from "../app/register-demand.js";
import type { UseCases } from "../app/use-cases.js";
import { callerOf } from "./caller.js";

const byNumero = z.object({ numeroUnique: NumeroUnique });

/** The console's API. The console imports the type only. */
export const registrationRouter = (uc: UseCases) =>
  router({
    register: authorizedProcedure("demand.register")
      .input(RegisterInput)
      .mutation(({ ctx, input }) => uc.registerDemand(callerOf(ctx), input)),
    get: authorizedProcedure("demand.read")
      .input(byNumero)
      .query(({ ctx, input }) => uc.getDemand(callerOf(ctx), input.numeroUnique)),
    history: authorizedProcedure("demand.read")
      .input(byNumero)
      .query(({ ctx, input }) => uc.getHistory(callerOf(ctx), input.numeroUnique)),
    attestation: authorizedProcedure("demand.read")
      .input(byNumero)
      .query(({ ctx, input }) => uc.getAttestation(callerOf(ctx), input.numeroUnique)),
    search: authorizedProcedure("demand.read")
      .input(SearchInput)
      .query(({ ctx, input }) => uc.searchDemands(callerOf(ctx), input)),
    duplicates: authorizedProcedure("demand.duplicates")
      .input(RegisterInput.shape.demande)
      .query(({ ctx, input }) => uc.checkDuplicates(callerOf(ctx), input)),
    startDuplicateScan: authorizedProcedure("demand.duplicates")
      .input(z.object({ departement: Departement }))
      .mutation(({ ctx, input }) => uc.startDuplicateScan(callerOf(ctx), input.departement)),
    duplicateScan: authorizedProcedure("demand.duplicates")
      .input(z.object({ id: z.string().min(1) }))
      .query(({ ctx, input }) => uc.getDuplicateScan(callerOf(ctx), input.id)),
    update: authorizedProcedure("demand.update")
      .input(byNumero.extend({ change: UpdateInput }))
      .mutation(({ ctx, input }) => uc.updateDemand(callerOf(ctx), input.numeroUnique, input.change)),
    renew: authorizedProcedure("demand.update")
      .input(byNumero)
      .mutation(({ ctx, input }) => uc.renewDemand(callerOf(ctx), input.numeroUnique)),
    reactivate: authorizedProcedure("demand.update")
      .input(byNumero)
      .mutation(({ ctx, input }) => uc.reactivateDemand(callerOf(ctx), input.numeroUnique)),
    radiate: authorizedProcedure("demand.radiate")
      .input(byNumero.extend({ radiation: RadiateInput }))
      .mutation(({ ctx, input }) => uc.radiateDemand(callerOf(ctx), input.numeroUnique, input.radiation)),
  });
export type RegistrationRouter = ReturnType<typeof registrationRouter>;

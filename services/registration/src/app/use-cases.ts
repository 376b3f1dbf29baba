import { assertCan, assertInDepartement } from "@logis/auth";
import type { DemandForm } from "@logis/contracts";
import { radiateDemand, reactivateDemand, renewDemand, updateDemand } from "./change-demand.js";
import type { Caller, Deps } from "./context.js";
import type { exportDemands } from "./export-demands.js";
import type { ExportJobs } from "./export-jobs.js";
import type { DemandImports } from "./import-demands.js";
import {
  issueAttestation,
  notifyInadmissibility,
  recordAnswer,
  recordProof,
  recordRefusal,
  requestInformation,
  withdrawInadmissibility,
} from "./procedures.js";
import { getAttestation, getDemand, getHistory, searchDemands } from "./read-demand.js";
import { findDuplicateCandidates, registerDemand } from "./register-demand.js";
import type { DuplicateScans } from "./scan-duplicates.js";

/** Every use case of the service, bound to its adapters (built once, in main). */
export function useCases(
  deps: Deps,
  scans: DuplicateScans,
  imports: DemandImports,
  exporter: ReturnType<typeof exportDemands>,
  exportJobs: ExportJobs,
) {
  return {
    startImport: async (caller: Caller, input: Parameters<DemandImports["start"]>[1]) => ({
      id: (await imports.start(caller, input)).id,
    }),
    getImport: imports.get,
    exportDemands: exporter,
    startExport: async (caller: Caller, input: Parameters<ExportJobs["start"]>[1]) => ({
      id: (await exportJobs.start(caller, input)).id,
    }),
    getExport: exportJobs.get,
    downloadExport: exportJobs.file,
    startDuplicateScan: async (caller: Caller, departement: string) => ({
      id: (await scans.start(caller, departement)).id,
    }),
    getDuplicateScan: scans.get,
    registerDemand: registerDemand(deps),
    getDemand: getDemand(deps),
    getHistory: getHistory(deps),
    getAttestation: getAttestation(deps),
    searchDemands: searchDemands(deps),
    updateDemand: updateDemand(deps),
    renewDemand: renewDemand(deps),
    reactivateDemand: reactivateDemand(deps),
    radiateDemand: radiateDemand(deps),
    recordProof: recordProof(deps),
    recordRefusal: recordRefusal(deps),
    issueAttestation: issueAttestation(deps),
    notifyInadmissibility: notifyInadmissibility(deps),
    withdrawInadmissibility: withdrawInadmissibility(deps),
    requestInformation: requestInformation(deps),
    recordAnswer: recordAnswer(deps),
    /** The search of suspected duplicates for a form, before (or without) registering it. */
    checkDuplicates: async (caller: Caller, form: DemandForm) => {
      assertCan(caller.principal, "demand.duplicates");
      assertInDepartement(caller.principal, form.departement);
      return { candidats: await findDuplicateCandidates(deps, form) };
    },
  };
}
export type UseCases = ReturnType<typeof useCases>;

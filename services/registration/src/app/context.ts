import type { Principal } from "@logis/auth";
import type { Clock } from "@logis/domain";
import type { GuichetDirectory } from "../domain/guichets.js";
import type { RulesBook } from "../domain/rules.js";
import type { DataKeys, DemandRepository, NumberAllocator, ReadAudit } from "./ports.js";

/** Who asks, and the ids that tie this operation's events together. */
export interface Caller {
  principal: Principal;
  correlationId: string;
  requestId?: string | undefined;
}

/** The system itself (scheduled steps): a technical actor, never a person. */
export const systemCaller = (correlationId: string): Caller => ({
  correlationId,
  principal: {
    userId: "system:registration-scheduler",
    name: "Traitement automatique",
    organisation: { id: "system", kind: "state", name: "Logis" },
    roles: [],
    territories: { departements: [], epcis: [] },
  },
});

export interface Deps {
  demands: DemandRepository;
  numbers: NumberAllocator;
  audit: ReadAudit;
  clock: Clock;
  /** The demands' data keys on Kafka (decision 0012). */
  dataKeys: DataKeys;
  /** The legal rules in force at a date (config/legal-rules.json, loaded in compose.ts). */
  rules: RulesBook;
  /** Names of places for documents people read (the attestation); codes are shown when absent. */
  places?: PlaceNames;
  /** The desks' contact details for the attestation (config/guichets.json); none shown when absent. */
  guichets?: GuichetDirectory;
}

/** What a commune or a département is called (undefined when the code is unknown). */
export interface PlaceNames {
  commune(code: string): string | undefined;
  departement(code: string): string | undefined;
}

export const actorOf = (caller: Caller) => ({
  userId: caller.principal.userId,
  organisationId: caller.principal.organisation.id,
  name: caller.principal.name,
});

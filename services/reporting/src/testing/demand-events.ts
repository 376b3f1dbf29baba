import { readFileSync } from "node:fs";
import { type DemandEvent, type DemandScored, demandStreamV1, scoreStream } from "@logis/contracts";

// Demand events in clear for tests (the harness seals them: `publishDemandEvents`), built from the
// contract's fixtures and checked against the contract's schema: what a test sets is the demand's id, dates, département, first wished commune and typology,
// and whether it is a transfer (current housing HLM).

const fixture = (type: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../packages/contracts/fixtures/${type}.v1.json`, import.meta.url), "utf8"),
  ) as Record<string, unknown> & { payload: Record<string, unknown> };

let seq = 0;
const envelope = (type: string, aggregateId: string, aggregateVersion: number, occurredAt: string) => ({
  ...fixture(type),
  eventId: `evt_test${String(++seq).padStart(16, "0")}`,
  aggregateId,
  aggregateVersion,
  occurredAt,
});

export interface DemandSpec {
  id: string;
  depot: string;
  departement?: string;
  commune?: string;
  typologie?: string;
  mutation?: boolean;
  /** The current housing (modeleLogement); `mutation` makes it HLM. */
  logement?: string;
  /** DALO recognised (statut ACTIF). */
  dalo?: boolean;
}

export function registered(d: DemandSpec): DemandEvent {
  const base = fixture("DemandRegistered");
  const payload = base.payload as { demande: Record<string, Record<string, unknown>> } & Record<string, unknown>;
  const demande = payload.demande as Record<string, Record<string, unknown>>;
  const departement = d.departement ?? "69";
  return demandStreamV1.schema.parse({
    ...envelope("DemandRegistered", d.id, 1, d.depot),
    payload: {
      ...payload,
      numeroUnique: `0${departement}03260000${String(seq % 100_000).padStart(5, "0")}KX`,
      departement,
      dateDepot: d.depot,
      demande: {
        ...demande,
        logementActuel: { ...demande.logementActuel, modele: d.mutation ? "HLM" : (d.logement ?? "CPE") },
        situations: {
          ...demande.situations,
          dalo: d.dalo ? { statut: "ACTIF", dateDecision: "2025-10-01" } : { statut: "NON" },
          prioritesL441: [],
        },
        souhaits: {
          ...demande.souhaits,
          communes: [d.commune ?? "69383"],
          typologies: [d.typologie ?? "T3"],
        },
      },
    },
  });
}

export function radiated(
  id: string,
  version: number,
  motif: string,
  date: string,
  charged: { contingent?: string; dalo?: boolean } = {},
): DemandEvent {
  const base = fixture("DemandRadiated");
  const { attribution, ...radiation } = base.payload.radiation as Record<string, unknown>;
  // The attribution's data (R441-2-9) goes with an attribution only.
  const withData = motif === "RADATT" ? { attribution: { ...(attribution as object), ...charged } } : {};
  return demandStreamV1.schema.parse({
    ...envelope("DemandRadiated", id, version, date),
    payload: { ...base.payload, radiation: { ...radiation, motif, date, ...withData } },
  });
}

export function cancelled(id: string, version: number, date: string): DemandEvent {
  const base = fixture("DemandCancelled");
  return demandStreamV1.schema.parse({
    ...envelope("DemandCancelled", id, version, date),
    payload: { ...base.payload, cancelledAt: date },
  });
}

export function reactivated(id: string, version: number, date: string): DemandEvent {
  const base = fixture("DemandReactivated");
  return demandStreamV1.schema.parse({
    ...envelope("DemandReactivated", id, version, date),
    payload: { ...base.payload, reactivatedAt: date },
  });
}

export function renewed(id: string, version: number, date: string): DemandEvent {
  const base = fixture("DemandRenewed");
  return demandStreamV1.schema.parse({
    ...envelope("DemandRenewed", id, version, date),
    payload: { ...base.payload, renewedAt: date },
  });
}

/** Cotation's score of a demand in an EPCI (aggregate `<demandId>@<epci>`). */
export function scored(demandId: string, epci: string, version: number, decile: number, at: string): DemandScored {
  const base = fixture("DemandScored");
  return scoreStream.schema.parse({
    ...envelope("DemandScored", `${demandId}@${epci}`, version, at),
    payload: { ...base.payload, demandId, epci, decile, computedAt: at },
  });
}

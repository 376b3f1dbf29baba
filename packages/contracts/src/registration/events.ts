import { z } from "zod";
import { defineEvent } from "../envelope.js";
import { defineStream } from "../stream.js";
import { topics } from "../topics.js";
import { codesOf } from "./code-lists.js";
import { DemandFacts, Departement, Guichet, NumeroUnique, Radiation } from "./demand.js";

const instant = z.iso.datetime({ offset: true });

/** A new demand got its numéro unique. aggregateId = the demand's technical id (`dem_…`). */
export const DemandRegistered = defineEvent(
  "DemandRegistered",
  1,
  z.object({
    numeroUnique: NumeroUnique,
    departement: Departement,
    dateDepot: instant,
    validUntil: instant,
    guichet: Guichet,
    demande: DemandFacts,
  }),
);

/** The demand changed; `demande` is the full new state, `changes` the paths that moved. */
export const DemandUpdated = defineEvent(
  "DemandUpdated",
  1,
  z.object({
    numeroUnique: NumeroUnique,
    departement: Departement,
    changes: z.array(z.string()),
    demande: DemandFacts,
  }),
);

/** One more year; the first deposit date (ancienneté) and the number are kept. */
export const DemandRenewed = defineEvent(
  "DemandRenewed",
  1,
  z.object({ numeroUnique: NumeroUnique, departement: Departement, renewedAt: instant, validUntil: instant }),
);

/** Not renewed in time: cancelled (radiated RADREN) but reactivable until `reactivableUntil`. */
export const DemandCancelled = defineEvent(
  "DemandCancelled",
  1,
  z.object({
    numeroUnique: NumeroUnique,
    departement: Departement,
    motif: z.literal("RADREN"),
    cancelledAt: instant,
    reactivableUntil: instant,
  }),
);

export const DemandReactivated = defineEvent(
  "DemandReactivated",
  1,
  z.object({ numeroUnique: NumeroUnique, departement: Departement, reactivatedAt: instant, validUntil: instant }),
);

export const DemandRadiated = defineEvent(
  "DemandRadiated",
  1,
  z.object({ numeroUnique: NumeroUnique, departement: Departement, radiation: Radiation }),
);

/** Personal data erased one year after radiation. Carries no personal data, not even the number. */
export const DemandPurged = defineEvent(
  "DemandPurged",
  1,
  z.object({ departement: Departement, purgedAt: instant, motifRadiation: z.enum(codesOf("motifRadiation")) }),
);

export const demandStream = defineStream(topics.demand, [
  DemandRegistered,
  DemandUpdated,
  DemandRenewed,
  DemandCancelled,
  DemandReactivated,
  DemandRadiated,
  DemandPurged,
]);
export type DemandEvent = z.infer<typeof demandStream.schema>;

/**
 * Two demands that may belong to the same household. aggregateId = the pair (`<idA>~<idB>`, ids
 * sorted), so that repeated detections of one pair stay ordered and consumers can de-duplicate.
 */
export const DuplicateSuspected = defineEvent(
  "DuplicateSuspected",
  1,
  z.object({
    departement: Departement,
    demands: z.array(z.object({ demandId: z.string(), numeroUnique: NumeroUnique })).length(2),
    score: z.number().min(0).max(1),
    reasons: z.array(z.string()).min(1),
    source: z.enum(["registration", "stock-scan"]),
  }),
);

export const duplicateStream = defineStream(topics.duplicate, [DuplicateSuspected]);
export type DuplicateEvent = z.infer<typeof duplicateStream.schema>;

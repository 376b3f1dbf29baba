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
    /**
     * Registered by the ex-partner after a couple's separation (SNE file type CRS): `dateDepot` is the
     * original demand's first deposit date, kept as the new demand's seniority.
     */
    separation: z.object({ numeroUniqueOrigine: NumeroUnique, dateDepotOrigine: instant }).optional(),
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

/** A code of a justification piece (cotation's referential names the pieces each criterion needs). */
export const PieceCode = z.string().regex(/^[A-Z][A-Z0-9_]{1,39}$/, "code de pièce attendu (majuscules, chiffres, _)");

/**
 * A desk received a justification piece and checked it: which piece, by whom (also in `actor`),
 * when, for which cotation criteria. Cotation counts the proof-gated criteria it proves.
 */
export const DemandProofValidated = defineEvent(
  "DemandProofValidated",
  1,
  z.object({
    numeroUnique: NumeroUnique,
    departement: Departement,
    justificatif: PieceCode,
    /** The criteria (grid codes) the desk checked it for; empty when recorded for the file only. */
    criteres: z.array(z.string().min(1).max(40)).max(20),
    verifieLe: instant,
    verifiePar: z.object({ userId: z.string().min(1), organisationId: z.string().min(1) }),
  }),
);

/**
 * The applicant refused a unit offered to them, as a desk recorded it (until the CAL service's offer
 * answers carry it). `logementAdapte`: whether the unit suited the demand (typology, place, rent) —
 * grids penalise only refusals of suitable units.
 */
export const DemandRefusalRecorded = defineEvent(
  "DemandRefusalRecorded",
  1,
  z.object({
    numeroUnique: NumeroUnique,
    departement: Departement,
    refusLe: z.iso.date(),
    logementAdapte: z.boolean(),
    rplsId: z
      .string()
      .regex(/^[0-9A-Z]{10}$/)
      .optional(),
  }),
);

export const demandStream = defineStream(topics.demand, [
  DemandRegistered,
  DemandUpdated,
  DemandRenewed,
  DemandCancelled,
  DemandReactivated,
  DemandRadiated,
  DemandPurged,
  DemandProofValidated,
  DemandRefusalRecorded,
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

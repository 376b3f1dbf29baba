import { z } from "zod";
import { defineEvent } from "../envelope.js";
import { defineStream } from "../stream.js";
import { topics } from "../topics.js";
import { codesOf } from "./code-lists.js";
import { DemandFacts, Departement, Guichet, NumeroUnique, Radiation } from "./demand.js";
import { openFacts, SealedFacts, sealFacts } from "./sealing.js";

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

/** The topic registration published on before decision 0012, `demande` in clear; deleted after the migration. */
export const legacyDemandTopic = "registration.demand.v1";

/**
 * The demand events in clear: what `registration.demand.v1` carried, and what a consumer handles
 * once it opened an event of `registration.demand.v2` (`openDemandEvent`).
 */
export const demandStreamV1 = defineStream(legacyDemandTopic, [
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
/** A demand event in clear (opened). */
export type DemandEvent = z.infer<typeof demandStreamV1.schema>;

const { demande: _registered, ...registeredClear } = DemandRegistered.payload.shape;
/** Version 2: the household's facts sealed with the demand's data key (decision 0012). */
export const DemandRegisteredV2 = defineEvent(
  "DemandRegistered",
  2,
  z.object({ ...registeredClear, demandeScellee: SealedFacts }),
);

const { demande: _updated, ...updatedClear } = DemandUpdated.payload.shape;
/** Version 2: the full new state sealed with the demand's data key (decision 0012). */
export const DemandUpdatedV2 = defineEvent(
  "DemandUpdated",
  2,
  z.object({ ...updatedClear, demandeScellee: SealedFacts }),
);

/** `registration.demand.v2`: what registration publishes; only the facts of a demand are sealed. */
export const demandStream = defineStream(topics.demand, [
  DemandRegisteredV2,
  DemandUpdatedV2,
  DemandRenewed,
  DemandCancelled,
  DemandReactivated,
  DemandRadiated,
  DemandPurged,
  DemandProofValidated,
  DemandRefusalRecorded,
]);
/** A demand event as it travels on `registration.demand.v2`. */
export type SealedDemandEvent = z.infer<typeof demandStream.schema>;

/** Seals an event in clear with its demand's data key: DemandRegistered and DemandUpdated become version 2. */
export function sealDemandEvent(event: DemandEvent, key: string): SealedDemandEvent {
  if (event.type !== "DemandRegistered" && event.type !== "DemandUpdated") return event;
  const { demande, ...payload } = event.payload;
  const demandeScellee = sealFacts(key, event, demande);
  return { ...event, schemaVersion: 2, payload: { ...payload, demandeScellee } } as SealedDemandEvent;
}

/**
 * Opens an event of the topic: `undefined` when its demand's key is unknown (the demand was
 * purged: its key was destroyed). A blob that the key does not open throws (altered or moved).
 */
export function openDemandEvent(
  event: SealedDemandEvent,
  keyOf: (kid: string) => string | undefined,
): DemandEvent | undefined {
  if (event.type !== "DemandRegistered" && event.type !== "DemandUpdated") return event;
  if (event.schemaVersion !== 2) return event as DemandEvent;
  const { demandeScellee, ...payload } = event.payload as typeof event.payload & { demandeScellee: SealedFacts };
  const key = keyOf(demandeScellee.kid);
  if (key === undefined) return undefined;
  const demande = openFacts(key, event, demandeScellee);
  return { ...event, schemaVersion: 1, payload: { ...payload, demande } } as DemandEvent;
}

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

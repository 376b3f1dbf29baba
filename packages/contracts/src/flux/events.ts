import { z } from "zod";
import { defineEvent, type EventOf } from "../envelope.js";
import { Departement } from "../registration/demand.js";
import { defineStream } from "../stream.js";
import { topics } from "../topics.js";
import { ConditionsConvention, Reservataire, ReservataireKind } from "./convention.js";
import { Logement, MotifLiberation, MotifSoustraction, RplsId } from "./logement.js";

const instant = z.iso.datetime({ offset: true });
const day = z.iso.date();
const author = z.string().min(1);
const SneCode = z.enum(["PPRIOR", "PFONCT", "COLACT", "COLTER", "AUTRES", "AUCUN"]);

/** A unit entered the landlord's stock. aggregateId = the unit's id (`uni_<rplsId>`). */
export const UnitDeclared = defineEvent(
  "UnitDeclared",
  1,
  z.object({ bailleurId: z.string().min(1), logement: Logement, declareLe: instant, declarePar: author }),
);
export type UnitDeclared = EventOf<typeof UnitDeclared>;

/** A unit's facts changed; `logement` is the whole new record, `champs` the fields that changed. */
export const UnitUpdated = defineEvent(
  "UnitUpdated",
  1,
  z.object({
    bailleurId: z.string().min(1),
    logement: Logement,
    champs: z.array(z.string()).min(1),
    modifieLe: instant,
    modifiePar: author,
  }),
);
export type UnitUpdated = EventOf<typeof UnitUpdated>;

/**
 * A unit is free to let (libéré): after a departure or for its first letting. `soustraction` when
 * it is taken out of the flux before sharing, `horsFlux` when it stays managed in stock.
 */
export const UnitFreed = defineEvent(
  "UnitFreed",
  1,
  z.object({
    bailleurId: z.string().min(1),
    logement: Logement,
    libereLe: day,
    motif: MotifLiberation,
    soustraction: MotifSoustraction.optional(),
    horsFlux: Logement.shape.exceptionStock,
    declareLe: instant,
    declarePar: author,
  }),
);
export type UnitFreed = EventOf<typeof UnitFreed>;

/** A lease was signed on a freed unit: it is occupied again. */
export const UnitLet = defineEvent(
  "UnitLet",
  1,
  z.object({
    bailleurId: z.string().min(1),
    rplsId: RplsId,
    /** The freeing this lease ends (added in v1, optional: absent from older events). */
    libereLe: day.optional(),
    bailSigneLe: day,
    enregistreLe: instant,
    enregistrePar: author,
  }),
);
export type UnitLet = EventOf<typeof UnitLet>;

export const unitStream = defineStream(topics.fluxUnit, [UnitDeclared, UnitUpdated, UnitFreed, UnitLet]);

const conventionFields = {
  conventionId: z.string().min(1),
  signeLe: day,
  signePar: author,
  conditions: ConditionsConvention,
  /** The id of the legal-parameter set the caps were checked against. */
  parametresLegaux: z.string().min(1),
};

/**
 * A reservation convention (landlord × reserver × département, or commune) was signed.
 * aggregateId = conventionId.
 */
export const ConventionSigned = defineEvent(
  "ConventionSigned",
  1,
  z.object({
    ...conventionFields,
    bailleurId: z.string().min(1),
    reservataire: Reservataire,
    codeSne: SneCode,
    departement: Departement,
    commune: z.string().optional(),
  }),
);
export type ConventionSigned = EventOf<typeof ConventionSigned>;

/** An amendment (avenant n°) replaced the convention's conditions from its own validFrom. */
export const ConventionAmended = defineEvent(
  "ConventionAmended",
  1,
  z.object({
    ...conventionFields,
    avenant: z.number().int().positive(),
    motif: z.string().min(1),
    champs: z.array(z.string()).min(1),
  }),
);
export type ConventionAmended = EventOf<typeof ConventionAmended>;

export const conventionStream = defineStream(topics.fluxConvention, [ConventionSigned, ConventionAmended]);

const Cible = z.object({
  reservataireId: z.string().min(1),
  /** null for the landlord's own, non-reserved part of the flux. */
  conventionId: z.string().nullable(),
  type: ReservataireKind,
  codeSne: SneCode,
});

/** One reserver's position when a unit was oriented: its share for this unit and how far behind it was. */
export const PositionReservataire = Cible.extend({
  /** Share of this unit's flux, in percent. */
  part: z.number().min(0).max(100),
  /** Units owed to date (shares of the units of the year so far, this one included, plus carry-over). */
  du: z.number(),
  orientes: z.number().int().min(0),
  /** du − orientes: how many units behind (negative: ahead). */
  retard: z.number(),
});

/**
 * The ledger of one landlord × département × year (aggregateId `flux:<bailleurId>:<département>:<année>`)
 * was opened, with the carry-over of the previous year per reserver (in units; positive = owed).
 */
export const FluxYearOpened = defineEvent(
  "FluxYearOpened",
  1,
  z.object({
    bailleurId: z.string().min(1),
    departement: Departement,
    annee: z.number().int(),
    ouvertLe: instant,
    reports: z.array(Cible.extend({ report: z.number() })),
  }),
);
export type FluxYearOpened = EventOf<typeof FluxYearOpened>;

const ParMotif = z.object({
  mutation_interne: z.number().int().min(0),
  renouvellement_urbain: z.number().int().min(0),
  copropriete_degradee: z.number().int().min(0),
  demolition: z.number().int().min(0),
});

/** The forecast of units to subtract from this year's flux, per reason (told to reservers before 28 February). */
export const SubtractionForecastDeclared = defineEvent(
  "SubtractionForecastDeclared",
  1,
  z.object({ annee: z.number().int(), prevision: ParMotif, declareLe: instant, declarePar: author }),
);
export type SubtractionForecastDeclared = EventOf<typeof SubtractionForecastDeclared>;

/** A freed unit was taken out of the flux (counted in the gross flux, shared with no reserver). */
export const UnitSubtractedFromFlux = defineEvent(
  "UnitSubtractedFromFlux",
  1,
  z.object({ logement: Logement, libereLe: day, motifLiberation: MotifLiberation, motif: MotifSoustraction }),
);
export type UnitSubtractedFromFlux = EventOf<typeof UnitSubtractedFromFlux>;

/**
 * A freed unit was oriented to a reserver (or to the landlord's own part), with the unit facts the CAL
 * needs and why this reserver: every reserver's position at that moment.
 */
export const UnitAssignedToReserver = defineEvent(
  "UnitAssignedToReserver",
  1,
  z.object({
    logement: Logement,
    libereLe: day,
    motifLiberation: MotifLiberation,
    cible: Cible,
    /** The reserver designates candidates (or hands the unit back) by this day. */
    designationAvant: day,
    explication: z.object({
      regle: z.enum(["plus_en_retard", "equilibre_typologie_qpv"]),
      motif: z.string().min(1),
      positions: z.array(PositionReservataire),
    }),
  }),
);
export type UnitAssignedToReserver = EventOf<typeof UnitAssignedToReserver>;

/**
 * The unit facts the ledger counts a vacancy by (its typology / QPV mix, the yearly balance's breakdown),
 * repeated in the events that move a vacancy so that the ledger follows from its events alone.
 */
export const CategorieLogement = Logement.pick({
  typologie: true,
  financement: true,
  qpv: true,
  commune: true,
  anneeConstruction: true,
});

/** What identifies a vacancy besides the RPLS id, and its facts (added in v1, optional: absent from older events). */
const vacancyFields = { libereLe: day.optional(), categorie: CategorieLogement.optional() };

/** Landlord staff moved an oriented unit to another reserver, with a written reason (audited). */
export const OrientationOverridden = defineEvent(
  "OrientationOverridden",
  1,
  z.object({
    rplsId: RplsId,
    ...vacancyFields,
    de: Cible,
    vers: Cible,
    motif: z.string().min(1),
    decideLe: instant,
    decidePar: author,
  }),
);
export type OrientationOverridden = EventOf<typeof OrientationOverridden>;

/** The reserver handed an oriented unit back; `compte` says whether it still counts in its flux (convention clause). */
export const UnitReturned = defineEvent(
  "UnitReturned",
  1,
  z.object({
    rplsId: RplsId,
    ...vacancyFields,
    cible: Cible,
    renduLe: day,
    compte: z.boolean(),
    enregistrePar: author,
  }),
);
export type UnitReturned = EventOf<typeof UnitReturned>;

/**
 * The reserver designated no candidate by its deadline (`designationAvant`, the last day, inclusive)
 * and did not hand the unit back: the landlord presents its own candidates, and the unit still counts
 * for the reserver (its ledger line does not move). Found by flux's daily pass, once per vacancy.
 */
export const UnitDesignationExpired = defineEvent(
  "UnitDesignationExpired",
  1,
  z.object({
    rplsId: RplsId,
    libereLe: day,
    categorie: CategorieLogement,
    cible: Cible,
    designationAvant: day,
    constateLe: instant,
  }),
);
export type UnitDesignationExpired = EventOf<typeof UnitDesignationExpired>;

/** A lease was signed on a unit oriented to this reserver: the ledger's "attributed" column. */
export const AttributionRecorded = defineEvent(
  "AttributionRecorded",
  1,
  z.object({ rplsId: RplsId, ...vacancyFields, cible: Cible, bailSigneLe: day, enregistrePar: author }),
);
export type AttributionRecorded = EventOf<typeof AttributionRecorded>;

const Compte = z.object({ proposes: z.number().int().min(0), attribues: z.number().int().min(0) });

/**
 * The yearly balance (bilan annuel, due before 28 February of the next year) closed the ledger:
 * per reserver owed, oriented, attributed and carry-over, and the breakdown the decree asks for.
 */
export const BalanceClosed = defineEvent(
  "BalanceClosed",
  1,
  z.object({
    annee: z.number().int(),
    clotureLe: instant,
    cloturePar: author,
    fluxBrut: z.number().int().min(0),
    soustraits: ParMotif,
    fluxNet: z.number().int().min(0),
    lignes: z.array(
      Cible.extend({
        reportPrecedent: z.number(),
        du: z.number(),
        orientes: z.number().int().min(0),
        rendus: z.number().int().min(0),
        attribues: z.number().int().min(0),
        /** du + reportPrecedent − orientes: carried over to the next year (positive = still owed). */
        report: z.number(),
      }),
    ),
    detail: z.array(
      Compte.extend({
        reservataireId: z.string().min(1),
        typologie: Logement.shape.typologie,
        financement: Logement.shape.financement,
        qpv: z.boolean(),
        commune: z.string(),
        periodeConstruction: z.string(),
      }),
    ),
    /** Forecast of subtracted units for the current year (the year after `annee`). */
    previsionSoustraits: ParMotif.optional(),
  }),
);
export type BalanceClosed = EventOf<typeof BalanceClosed>;

export const orientationStream = defineStream(topics.fluxOrientation, [
  FluxYearOpened,
  SubtractionForecastDeclared,
  UnitSubtractedFromFlux,
  UnitAssignedToReserver,
  OrientationOverridden,
  UnitReturned,
  UnitDesignationExpired,
  AttributionRecorded,
  BalanceClosed,
]);

export type FluxUnitEvent = z.infer<typeof unitStream.schema>;
export type FluxConventionEvent = z.infer<typeof conventionStream.schema>;
export type FluxOrientationEvent = z.infer<typeof orientationStream.schema>;

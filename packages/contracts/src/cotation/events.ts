import { z } from "zod";
import { defineEvent, type EventOf } from "../envelope.js";
import { NumeroUnique } from "../registration/demand.js";
import { defineStream } from "../stream.js";
import { topics } from "../topics.js";
import { Epci, GridKind, GridRules } from "./grid.js";

const instant = z.iso.datetime({ offset: true });

/**
 * A grid version became published (immutable from then on). aggregateId = the grid's id
 * (`grd_…`, one per EPCI and kind), aggregateVersion = its version number.
 */
export const GridPublished = defineEvent(
  "GridPublished",
  1,
  z.object({
    epci: Epci,
    kind: GridKind,
    version: z.number().int().positive(),
    nom: z.string().min(1),
    effectiveFrom: z.iso.date(),
    publishedAt: instant,
    publishedBy: z.string().min(1),
    /** Seed of the last tie-break (after the first deposit date): recorded so a ranking can be replayed. */
    drawSeed: z.number().int().min(0).max(0xffffffff),
    rules: GridRules,
  }),
);
export type GridPublished = EventOf<typeof GridPublished>;

export const gridStream = defineStream(topics.grid, [GridPublished]);

/**
 * A demand's score or band changed in one EPCI (not emitted when only seniority points grow: the
 * `anciennete` rule lets a reader compute today's score). aggregateId = `<demandId>@<epci>`.
 */
export const DemandScored = defineEvent(
  "DemandScored",
  1,
  z.object({
    demandId: z.string().min(1),
    numeroUnique: NumeroUnique,
    epci: Epci,
    grid: z.object({ gridId: z.string().min(1), version: z.number().int().positive(), kind: GridKind }),
    computedAt: instant,
    score: z.number().finite(),
    /** Score band (width set by the service) and decile of the rank in the EPCI (1 = best tenth). */
    band: z.number().int(),
    decile: z.number().int().min(1).max(10),
    rank: z.number().int().positive(),
    of: z.number().int().positive(),
    criteria: z.array(z.object({ code: z.string(), points: z.number(), provisional: z.boolean() })),
    /** Seniority points grow by themselves: `min(plafond, pointsParMois × months since depuis)`. */
    seniority: z
      .object({ since: z.iso.date(), pointsPerMonth: z.number(), cap: z.number().optional(), criterion: z.string() })
      .optional(),
  }),
);
export type DemandScored = EventOf<typeof DemandScored>;

export const scoreStream = defineStream(topics.score, [DemandScored]);
export type CotationEvent = z.infer<typeof gridStream.schema> | z.infer<typeof scoreStream.schema>;

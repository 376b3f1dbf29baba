import { z } from "zod";
import { defineEvent, type EventOf } from "../envelope.js";
import { defineStream } from "../stream.js";
import { topics } from "../topics.js";

// Reporting's public events: the alerts of the legal quotas (aggregate = `alt:<epci>:<year>:<indicator>[:<reserver>]`),
// raised during the year when a target goes off track (projected from the year to date) and when it is met again.

/** The three legal indicators watched per EPCI (and per reserver for the priority households). */
export const QuotaIndicator = z.enum(["q1HorsQpv", "autresQuartilesEnQpv", "prioritaires"]);

const key = {
  epci: z.string().regex(/^\d{9}$/),
  annee: z.number().int(),
  indicateur: QuotaIndicator,
  reservataireId: z.string().min(1).optional(),
  /** Percent, one decimal. */
  taux: z.number().min(0).max(100),
  cible: z.number().min(0).max(100),
  constateLe: z.iso.datetime({ offset: true }),
};

/** A legal quota went off track during the year: late (still reachable) or out of reach, with what the rest of the year needs. */
export const QuotaOffTrack = defineEvent(
  "QuotaOffTrack",
  1,
  z.object({
    ...key,
    etat: z.enum(["en-retard", "hors-d-atteinte"]),
    numerateur: z.number().int().min(0),
    denominateur: z.number().int().min(0),
    attributionsRestantes: z.number().int().min(0),
    requises: z.number().int().min(0),
    /** The warning in French, as the pages show it. */
    message: z.string().min(1),
  }),
);
export type QuotaOffTrack = EventOf<typeof QuotaOffTrack>;

/** A legal quota that had gone off track is met again. */
export const QuotaBackOnTrack = defineEvent("QuotaBackOnTrack", 1, z.object(key));
export type QuotaBackOnTrack = EventOf<typeof QuotaBackOnTrack>;

/** `reporting.alert.v1`: produced by reporting (job quota-check, through its outbox). */
export const alertStream = defineStream(topics.reportingAlert, [QuotaOffTrack, QuotaBackOnTrack]);
export type ReportingAlertEvent = z.infer<typeof alertStream.schema>;

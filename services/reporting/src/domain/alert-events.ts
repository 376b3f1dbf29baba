import { defineEvent, defineStream, type EventOf } from "@logis/contracts";
import { z } from "zod";

// Reporting's public events: the alerts of the legal quotas (aggregate = `alt:<epci>:<year>:<indicator>[:<reserver>]`).
// Defined here while reporting is their only producer and no service consumes them yet; they move to
// @logis/contracts (topics.ts, fixtures) when a consumer needs them (see decision 0014).

export const ALERT_TOPIC = "reporting.alert.v1";

const Indicateur = z.enum(["q1HorsQpv", "autresQuartilesEnQpv", "prioritaires"]);
const key = {
  epci: z.string().regex(/^\d{9}$/),
  annee: z.number().int(),
  indicateur: Indicateur,
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

export const alertStream = defineStream(ALERT_TOPIC, [QuotaOffTrack, QuotaBackOnTrack]);
export type AlertEvent = z.infer<typeof alertStream.schema>;

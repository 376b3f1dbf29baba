import { z } from "zod";
import { daysBetween, type Periode } from "./statistics.js";

// The legal attribution quotas (domain reference §3.2), as pure functions over the year's signed
// leases. Not wired yet: the facts come from three streams (the lease and its reserver from CAL,
// the unit's QPV flag from flux, the household's resources against the EPCI's first-quartile
// threshold from registration), which the read models do not join yet.
//   taux_Q1_horsQPV = leases outside QPV to first-quartile households (or NPNRU rehousing) / leases outside QPV ≥ 25 %
//   taux_autres_QPV = leases in QPV to other households / leases in QPV ≥ the CIL's objective (50 % by default)
//   taux_prio(R)    = leases to DALO or L441-1 priority households / leases on R's flux ≥ 25 %
//                     (each reserver, the landlord's own units included; the State's contingent excepted)

export const QuotaParameters = z.object({
  q1HorsQpvMin: z.number().min(0).max(1).default(0.25),
  autresQuartilesEnQpvMin: z.number().min(0).max(1).default(0.5),
  prioritairesMin: z.number().min(0).max(1).default(0.25),
});
export type QuotaParameters = z.infer<typeof QuotaParameters>;

/** One signed lease, with what the quotas need to know of it. */
export interface LeaseFact {
  /** Civil day the lease was signed. */
  signeLe: string;
  epci: string;
  /** The reserver whose flux the unit was on (the landlord itself for non-reserved units). */
  reservataireId: string;
  /** SNE typeReservataire: PPRIOR and PFONCT are the State's contingent. */
  contingent: string;
  enQpv: boolean;
  /** The household's resources were under the EPCI's first-quartile threshold for the year. */
  premierQuartile: boolean;
  /** A household rehoused by urban renewal (NPNRU), counted with the first quartile outside QPV. */
  relogeRenouvellementUrbain: boolean;
  dalo: boolean;
  /** L441-1 priority recognised. */
  prioritaire: boolean;
}

/** A rate against its target, and whether the year can still reach it. */
export interface Suivi {
  numerateur: number;
  denominateur: number;
  /** Percent, one decimal; undefined without any lease. */
  taux?: number;
  cible: number;
  /**
   * `atteint`: at or above the target; `en-retard`: below, but the year's remaining leases (projected
   * at the year-to-date pace) could still bring it up; `hors-d-atteinte`: even if every remaining lease
   * counted, the target would be missed. `sans-objet` without any lease.
   */
  etat: "atteint" | "en-retard" | "hors-d-atteinte" | "sans-objet";
}

const ETAT_STATE = new Set(["PPRIOR", "PFONCT"]);

/** Follows one rate over the period `periode` of a year that ends on `finAnnee`. */
export function suivi(
  numerateur: number,
  denominateur: number,
  cible: number,
  periode: Periode,
  finAnnee: string,
): Suivi {
  const base = { numerateur, denominateur, cible: Math.round(cible * 1000) / 10 };
  if (denominateur === 0) return { ...base, etat: "sans-objet" };
  const taux = Math.round((numerateur * 1000) / denominateur) / 10;
  if (numerateur >= cible * denominateur) return { ...base, taux, etat: "atteint" };
  const elapsed = daysBetween(periode.du, periode.au) + 1;
  const remainingDays = Math.max(0, daysBetween(periode.au, finAnnee));
  const remaining = (denominateur / elapsed) * remainingDays;
  const best = (numerateur + remaining) / (denominateur + remaining);
  return { ...base, taux, etat: best >= cible ? "en-retard" : "hors-d-atteinte" };
}

export interface Quotas {
  epci: string;
  q1HorsQpv: Suivi;
  autresQuartilesEnQpv: Suivi;
  prioritairesParReservataire: ({ reservataireId: string } & Suivi)[];
}

/** The quotas of one EPCI for the leases signed during `periode` (within one year). */
export function quotas(leases: readonly LeaseFact[], epci: string, periode: Periode, p: QuotaParameters): Quotas {
  const finAnnee = `${periode.au.slice(0, 4)}-12-31`;
  const inScope = leases.filter((l) => l.epci === epci && l.signeLe >= periode.du && l.signeLe <= periode.au);
  const horsQpv = inScope.filter((l) => !l.enQpv);
  const enQpv = inScope.filter((l) => l.enQpv);
  const byReserver = new Map<string, LeaseFact[]>();
  for (const l of inScope) {
    if (ETAT_STATE.has(l.contingent)) continue;
    byReserver.set(l.reservataireId, [...(byReserver.get(l.reservataireId) ?? []), l]);
  }
  return {
    epci,
    q1HorsQpv: suivi(
      horsQpv.filter((l) => l.premierQuartile || l.relogeRenouvellementUrbain).length,
      horsQpv.length,
      p.q1HorsQpvMin,
      periode,
      finAnnee,
    ),
    autresQuartilesEnQpv: suivi(
      enQpv.filter((l) => !l.premierQuartile).length,
      enQpv.length,
      p.autresQuartilesEnQpvMin,
      periode,
      finAnnee,
    ),
    prioritairesParReservataire: [...byReserver.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([reservataireId, ls]) => ({
        reservataireId,
        ...suivi(ls.filter((l) => l.dalo || l.prioritaire).length, ls.length, p.prioritairesMin, periode, finAnnee),
      })),
  };
}

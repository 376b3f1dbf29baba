import { Departement } from "@logis/contracts";
import { z } from "zod";
import type { QuotaParameters } from "./quotas.js";

// Reporting's legal reference data (config/references.json), versioned by validity dates: the
// "délai anormalement long" per département (and typology), the first-quartile threshold per EPCI
// and year, and the quota rates. Legal numbers live there, never in code.

const day = z.iso.date("date attendue (AAAA-MM-JJ)");
const rate = z.number().min(0).max(1);
const validity = { validFrom: day, validTo: day.nullable() };

export const References = z.object({
  version: z.string().min(1),
  delaisAnormaux: z.array(
    z.object({
      departement: Departement,
      ...validity,
      moisParDefaut: z.number().int().positive(),
      parTypologie: z.record(z.string(), z.number().int().positive()),
    }),
  ),
  seuilsPremierQuartile: z.array(
    z.object({ epci: z.string().regex(/^\d{9}$/), annee: z.number().int(), seuil: z.number().positive() }),
  ),
  quotas: z.array(
    z.object({
      ...validity,
      q1HorsQpvMin: rate,
      autresQuartilesEnQpvMin: rate,
      prioritairesMin: rate,
      parEpci: z.record(z.string(), z.object({ autresQuartilesEnQpvMin: rate })),
    }),
  ),
});
export type References = z.infer<typeof References>;

const inForce = (v: { validFrom: string; validTo: string | null }, on: string) =>
  v.validFrom <= on && (v.validTo === null || on <= v.validTo);

export interface Reference {
  readonly version: string;
  /** The abnormally long delay (months) for a demand of this département and typology on that day; undefined if none is known. */
  delaiAnormalMois(departement: string, typologie: string | undefined, on: string): number | undefined;
  /** The first-quartile threshold (euros per year and unit of consumption) of an EPCI for a year. */
  seuilPremierQuartile(epci: string, annee: number): number | undefined;
  /** The quota rates in force for an EPCI on that day (the CIL's own objective for other quartiles in QPV). */
  quotaParameters(epci: string, on: string): QuotaParameters;
}

export function referenceOf(r: References): Reference {
  const seuils = new Map(r.seuilsPremierQuartile.map((s) => [`${s.epci}|${s.annee}`, s.seuil]));
  return {
    version: r.version,
    delaiAnormalMois(departement, typologie, on) {
      const v = r.delaisAnormaux.find((d) => d.departement === departement && inForce(d, on));
      if (!v) return undefined;
      return (typologie === undefined ? undefined : v.parTypologie[typologie]) ?? v.moisParDefaut;
    },
    seuilPremierQuartile: (epci, annee) => seuils.get(`${epci}|${annee}`),
    quotaParameters(epci, on) {
      const v = r.quotas.find((q) => inForce(q, on)) ?? r.quotas.at(-1);
      if (!v) return { q1HorsQpvMin: 0.25, autresQuartilesEnQpvMin: 0.5, prioritairesMin: 0.25 };
      return {
        q1HorsQpvMin: v.q1HorsQpvMin,
        autresQuartilesEnQpvMin: v.parEpci[epci]?.autresQuartilesEnQpvMin ?? v.autresQuartilesEnQpvMin,
        prioritairesMin: v.prioritairesMin,
      };
    },
  };
}

/** The civil day `months` months after `from` (a day past the month's end falls on its last day). */
export function addMonths(from: string, months: number): string {
  const [y, m, d] = from.split("-").map(Number) as [number, number, number];
  const total = y * 12 + (m - 1) + months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

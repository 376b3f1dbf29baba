import type { Attribution } from "./run-year.js";
import type { Demande } from "./territory.js";

/** The legal targets of attributions (domain reference §3.2): shares in percent, as data passed in. */
export interface QuotaTargets {
  /** Attributions outside QPV to first-quartile households: at least. */
  horsQpvPremierQuartile: number;
  /** Attributions in QPV to households of the other quartiles: at least (the CIL's objective, 50 % by default). */
  qpvAutresQuartiles: number;
  /** Each reserver's attributions to DALO and priority households: at least (the State's priority contingent excepted). */
  prioritairesParReservataire: number;
}
export const DEFAULT_TARGETS: QuotaTargets = {
  horsQpvPremierQuartile: 25,
  qpvAutresQuartiles: 50,
  prioritairesParReservataire: 25,
};

export interface QuotaLine {
  libelle: string;
  cible: number;
  part?: number;
  numerateur: number;
  denominateur: number;
  atteint?: boolean;
}

const share = (n: number, d: number) => (d === 0 ? undefined : Math.round((n * 1000) / d) / 10);

/** The first-quartile threshold of income per consumption unit among the demands of each EPCI (as the yearly arrêté takes it from the SNE). */
export function firstQuartiles(
  demandes: readonly Demande[],
  epciOf: (insee: string) => string | undefined,
): Map<string, number> {
  const byEpci = new Map<string, number[]>();
  for (const d of demandes) {
    const e = epciOf(d.form.souhaits.communes[0] ?? "");
    if (!e) continue;
    const list = byEpci.get(e) ?? [];
    list.push(d.revenuParUc);
    byEpci.set(e, list);
  }
  return new Map([...byEpci].map(([e, v]) => [e, v.sort((a, b) => a - b)[Math.floor((v.length - 1) / 4)] as number]));
}

/** The year's quotas over the leases signed, each with its share and whether it is reached. */
export function quotas(
  attributions: readonly Attribution[],
  quartiles: Map<string, number>,
  epciOf: (insee: string) => string | undefined,
  nomOf: (reservataireId: string) => string,
  targets: QuotaTargets = DEFAULT_TARGETS,
): QuotaLine[] {
  const q1 = (a: Attribution) => a.demande.revenuParUc <= (quartiles.get(epciOf(a.logement.commune) ?? "") ?? 0);
  const hors = attributions.filter((a) => !a.logement.qpv);
  const dans = attributions.filter((a) => a.logement.qpv);
  const line = (libelle: string, cible: number, n: number, d: number): QuotaLine => {
    const part = share(n, d);
    return {
      libelle,
      cible,
      numerateur: n,
      denominateur: d,
      ...(part === undefined ? {} : { part, atteint: part >= cible }),
    };
  };
  const lines = [
    line(
      "Attributions hors QPV aux ménages du 1er quartile",
      targets.horsQpvPremierQuartile,
      hors.filter(q1).length,
      hors.length,
    ),
    line(
      "Attributions en QPV aux ménages des autres quartiles",
      targets.qpvAutresQuartiles,
      dans.filter((a) => !q1(a)).length,
      dans.length,
    ),
  ];
  const byReserver = new Map<string, Attribution[]>();
  for (const a of attributions) {
    if (a.contingent === "prefet_prioritaires") continue;
    byReserver.set(a.reservataireId, [...(byReserver.get(a.reservataireId) ?? []), a]);
  }
  for (const [id, list] of [...byReserver].sort(([a], [b]) => (a < b ? -1 : 1))) {
    lines.push(
      line(
        `${nomOf(id)} : ménages DALO ou prioritaires`,
        targets.prioritairesParReservataire,
        list.filter((a) => a.demande.priorite !== undefined).length,
        list.length,
      ),
    );
  }
  return lines;
}

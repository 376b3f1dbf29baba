import { type Decider, frenchDate, ok } from "@logis/domain";
import type { Quotas, Suivi } from "./quotas.js";
import { daysBetween, type Periode } from "./statistics.js";

// The legal quotas followed during the year (domain reference §3.2): a warning for every rate below
// its target, with what the rest of the year would need (projected at the year-to-date pace), and an
// alert aggregate per EPCI × year × indicator (× reserver) that emits QuotaOffTrack when a rate goes
// off track (or gets worse: late, then out of reach) and QuotaBackOnTrack when it is met again.

export type Indicateur = "q1HorsQpv" | "autresQuartilesEnQpv" | "prioritaires";

export const LIBELLES_INDICATEUR: Record<Indicateur, string> = {
  q1HorsQpv: "Attributions hors QPV aux ménages du premier quartile (ou relogés au titre du renouvellement urbain)",
  autresQuartilesEnQpv: "Attributions en QPV aux ménages des autres quartiles",
  prioritaires: "Attributions aux ménages DALO et prioritaires",
};

export interface Avertissement {
  /** The alert aggregate's id: `alt:<epci>:<year>:<indicator>[:<reserver>]`. */
  id: string;
  epci: string;
  annee: number;
  indicateur: Indicateur;
  reservataireId?: string;
  etat: "en-retard" | "hors-d-atteinte";
  taux: number;
  cible: number;
  numerateur: number;
  denominateur: number;
  /** Leases expected by the year's end at the pace so far, and how many of them must qualify to reach the target. */
  attributionsRestantes: number;
  requises: number;
  message: string;
}

export const alertId = (epci: string, annee: number, indicateur: Indicateur, reservataireId?: string) =>
  ["alt", epci, annee, indicateur, ...(reservataireId ? [reservataireId] : [])].join(":");

const pct = (v: number) => `${String(v).replace(".", ",")} %`;

/** The warnings of one EPCI's quotas over `periode` (from 1 January to a day of the year). */
export function avertissements(q: Quotas, periode: Periode, epciName: string): Avertissement[] {
  const annee = Number(periode.au.slice(0, 4));
  const finAnnee = `${annee}-12-31`;
  const elapsed = daysBetween(periode.du, periode.au) + 1;
  const remainingDays = Math.max(0, daysBetween(periode.au, finAnnee));
  const one = (indicateur: Indicateur, s: Suivi, reservataireId?: string): Avertissement[] => {
    if ((s.etat !== "en-retard" && s.etat !== "hors-d-atteinte") || s.taux === undefined) return [];
    const attributionsRestantes = Math.round((s.denominateur / elapsed) * remainingDays);
    const cible = s.cible / 100;
    const requises = Math.max(0, Math.ceil(cible * (s.denominateur + attributionsRestantes) - s.numerateur - 1e-9));
    const qui = reservataireId ? ` (réservataire ${reservataireId})` : "";
    const suite =
      s.etat === "en-retard"
        ? `en retard : ${requises} des ${attributionsRestantes} attributions attendues d'ici au ${frenchDate(finAnnee)} devront y contribuer`
        : `objectif hors d'atteinte cette année au rythme actuel (${attributionsRestantes} attributions attendues d'ici au ${frenchDate(finAnnee)}, ${requises} seraient nécessaires)`;
    return [
      {
        id: alertId(q.epci, annee, indicateur, reservataireId),
        epci: q.epci,
        annee,
        indicateur,
        ...(reservataireId ? { reservataireId } : {}),
        etat: s.etat,
        taux: s.taux,
        cible: s.cible,
        numerateur: s.numerateur,
        denominateur: s.denominateur,
        attributionsRestantes,
        requises,
        message: `${epciName} — ${LIBELLES_INDICATEUR[indicateur]}${qui} : ${pct(s.taux)} pour un objectif de ${pct(s.cible)} ; ${suite}.`,
      },
    ];
  };
  return [
    ...one("q1HorsQpv", q.q1HorsQpv),
    ...one("autresQuartilesEnQpv", q.autresQuartilesEnQpv),
    ...q.prioritairesParReservataire.flatMap((r) => one("prioritaires", r, r.reservataireId)),
  ];
}

/** What the alert aggregate remembers: the last state it announced. */
export interface QuotaAlertState {
  etat: Suivi["etat"];
  taux?: number;
  version: number;
}

/** The rate's state at this check: a warning, or met / without leases. */
export type QuotaAlertCommand =
  | { type: "Check"; avertissement: Avertissement }
  | {
      type: "Check";
      atteint: {
        id: string;
        epci: string;
        annee: number;
        indicateur: Indicateur;
        reservataireId?: string;
        taux: number;
        cible: number;
      };
    };

export type QuotaAlertEvent =
  | ({ type: "QuotaOffTrack"; constateLe: string } & Avertissement)
  | {
      type: "QuotaBackOnTrack";
      id: string;
      epci: string;
      annee: number;
      indicateur: Indicateur;
      reservataireId?: string;
      taux: number;
      cible: number;
      constateLe: string;
    };

const GRAVITE: Record<Suivi["etat"], number> = { "sans-objet": 0, atteint: 0, "en-retard": 1, "hors-d-atteinte": 2 };

export const quotaAlert: Decider<QuotaAlertState | undefined, QuotaAlertCommand, QuotaAlertEvent, { now: Date }> = {
  initialState: undefined,
  decide(state, command, { now }) {
    const constateLe = now.toISOString();
    if ("avertissement" in command) {
      const a = command.avertissement;
      // Announced once per worsening: late, then out of reach; the same state again says nothing new.
      if (state && GRAVITE[state.etat] >= GRAVITE[a.etat]) return ok([]);
      return ok([{ type: "QuotaOffTrack", constateLe, ...a }]);
    }
    const { atteint } = command;
    if (!state || GRAVITE[state.etat] === 0) return ok([]);
    return ok([{ type: "QuotaBackOnTrack", constateLe, ...atteint }]);
  },
  evolve(state, event) {
    const version = (state?.version ?? 0) + 1;
    return event.type === "QuotaOffTrack"
      ? { etat: event.etat, taux: event.taux, version }
      : { etat: "atteint", taux: event.taux, version };
  },
};

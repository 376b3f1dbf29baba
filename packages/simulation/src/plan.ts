import { prng } from "@logis/testing";
import type { ReglesAttribution } from "./reference.js";
import { addDays, type Demande, daysBetween, type Logement, type Territoire } from "./territory.js";

export interface Mois {
  index: number;
  /** First day (YYYY-MM-DD) and the day after the last one. */
  debut: string;
  fin: string;
}

export interface Liberation {
  logement: Logement;
  libereLe: string;
  motif: "depart" | "premiere_mise_en_location";
}

export interface Sortie {
  demande: Demande;
  le: string;
  motif: "RADABA" | "RADCON";
}

/** What happens in the year, decided in advance from the seed; what depends on the services (orientation) is not here. */
export interface PlanAnnee {
  mois: Mois[];
  liberations: Liberation[];
  sorties: Sortie[];
  /** Stock demands renewed ahead of their next anniversary, at the end of the year, through the API. */
  renouvellements: Demande[];
  /** Stock demands not renewed at their anniversary: the registration service cancels them (its own scheduler). */
  nonRenouvelees: Demande[];
}

/** About one unit in ten is freed in a year (Moselle's turnover); a tenth of exits are abandons or lost contacts. */
export const TAUX = { rotation: 0.105, abandon: 0.06, injoignable: 0.02 } as const;

/** Twelve periods of (almost) equal length between `debut` and `fin`: the simulated months. */
export function monthsOf(debut: string, fin: string): Mois[] {
  const span = daysBetween(debut, fin);
  return Array.from({ length: 12 }, (_, i) => ({
    index: i,
    debut: addDays(debut, Math.round((i * span) / 12)),
    fin: i === 11 ? fin : addDays(debut, Math.round(((i + 1) * span) / 12)),
  }));
}

export const monthOf = (plan: { mois: Mois[] }, day: string): number =>
  plan.mois.findIndex((m) => m.debut <= day && day < m.fin);

export function planYear(t: Territoire): PlanAnnee {
  const r = prng(t.graine ^ 0x5eed);
  const span = daysBetween(t.debut, t.fin);
  const liberations: Liberation[] = [];
  for (const logement of t.logements) {
    if (!r.chance(TAUX.rotation)) continue;
    liberations.push({
      logement,
      libereLe: addDays(t.debut, r.int(0, span - 1)),
      motif: logement.anneeConstruction >= 2025 ? "premiere_mise_en_location" : "depart",
    });
  }
  liberations.sort((a, b) => (a.libereLe < b.libereLe ? -1 : a.libereLe > b.libereLe ? 1 : 0));
  const sorties: Sortie[] = [];
  for (const demande of t.demandes) {
    const x = r.next();
    const from = [demande.depotLe, t.debut].sort()[1] as string;
    const left = daysBetween(from, t.fin);
    if (left <= 1) continue;
    if (x < TAUX.abandon) sorties.push({ demande, le: addDays(from, r.int(1, left - 1)), motif: "RADABA" });
    else if (x < TAUX.abandon + TAUX.injoignable)
      sorties.push({ demande, le: addDays(from, r.int(1, left - 1)), motif: "RADCON" });
  }
  sorties.sort((a, b) => (a.le < b.le ? -1 : a.le > b.le ? 1 : 0));
  const renouvellements: Demande[] = [];
  const nonRenouvelees: Demande[] = [];
  for (const d of t.demandes) {
    if (d.nouvelle || d.anniversaire === undefined) continue;
    if (!d.renouvelle) nonRenouvelees.push(d);
    // The renewal notice goes one month before the next anniversary: those households renew now,
    // through the API (renewal opens three months before the end of validity).
    else if (daysBetween(t.fin, addDays(d.anniversaire, 365)) < 31) renouvellements.push(d);
  }
  return { mois: monthsOf(t.debut, t.fin), liberations, sorties, renouvellements, nonRenouvelees };
}

/** Kinds of reservers, as flux's conventions name them, and "bailleur" for the landlord's own units. */
export type Contingent =
  | "prefet_prioritaires"
  | "prefet_agents"
  | "action_logement"
  | "commune"
  | "epci"
  | "bailleur"
  | "autre";

const ORDRE_PRIORITE = { dalo: 0, sortie_hebergement: 1, critere_dalo: 2, situation_particuliere: 3 } as const;

/**
 * Whether a household may be offered the unit: place, a wished typology, income against the
 * financing's ceiling, and the CAL's affordability rules (rent burden, remaining income per
 * consumption unit and day), so that the CAL finds the designated households eligible.
 */
export function convient(
  d: Demande,
  l: Logement,
  epciOf: (insee: string) => string | undefined,
  regles?: ReglesAttribution,
): boolean {
  const wishes = d.form.souhaits.communes;
  const inPlace =
    wishes.includes(l.commune) ||
    (d.form.souhaits.demandeElargie === true && epciOf(wishes[0] ?? "") === epciOf(l.commune));
  if (!inPlace) return false;
  if (!(d.form.souhaits.typologies as readonly string[]).includes(`T${Math.min(l.nbPieces, 5)}`)) return false;
  const ceiling = l.financement === "PLAI" ? 0.6 : l.financement === "PLS" ? 1.3 : 1;
  if (d.ratioPlafond > ceiling) return false;
  if (!regles) return true;
  const cout = l.loyer + regles.chargesMensuellesParPiece * l.nbPieces;
  if (cout > regles.tauxEffortMax * d.ressourcesMensuelles) return false;
  return (d.ressourcesMensuelles - cout) / d.uc / 30 >= regles.resteAVivreMinParUCJour;
}

/**
 * The candidates the reserver (or the landlord) designates for a unit, best first, at most `n`:
 * the préfet's contingent its priority publics in their order, Action Logement employees, the State
 * its agents, the others any suitable household; then by seniority (weighed, not alone). A reserver with
 * nobody of its own public falls back on any suitable household (as after a return to the landlord).
 */
export function designate(
  contingent: Contingent,
  l: Logement,
  pool: Iterable<Demande>,
  epciOf: (insee: string) => string | undefined,
  /** The day the unit is freed: seniority is counted to it. */
  le: string,
  regles?: ReglesAttribution,
  n = 3,
): { candidats: Demande[]; publicPropre: boolean } {
  const suitable = [...pool].filter((d) => convient(d, l, epciOf, regles));
  const own = suitable.filter((d) =>
    contingent === "prefet_prioritaires"
      ? d.priorite !== undefined
      : contingent === "action_logement"
        ? d.salarie
        : contingent === "prefet_agents"
          ? d.agentEtat
          : true,
  );
  const chosen = own.length > 0 ? own : suitable;
  const rank = (d: Demande) => (contingent === "prefet_prioritaires" && d.priorite ? ORDRE_PRIORITE[d.priorite] : 9);
  // Seniority weighs without deciding alone (the CAL also weighs the cotation and the household's
  // fit): a seeded factor per household and unit.
  const weight = (d: Demande) => (daysBetween(d.depotLe, le) + 30) * jitter(d.rang, l.rplsId);
  chosen.sort((a, b) => rank(a) - rank(b) || weight(b) - weight(a) || a.rang - b.rang);
  return { candidats: chosen.slice(0, n), publicPropre: own.length > 0 };
}

const jitter = (rang: number, rplsId: string) =>
  0.2 + 0.8 * prng((rang * 2_654_435_761 + Number.parseInt(rplsId.slice(-5), 10)) >>> 0).next();

/** Whether a candidate refuses the offer: more often in a QPV, less often for priority households (seeded). */
export function refuse(graine: number, d: Demande, l: Logement): boolean {
  const r = prng((graine * 31 + d.rang * 7919 + Number.parseInt(l.rplsId.slice(-5), 10)) >>> 0);
  const p = (l.qpv ? 0.32 : 0.2) * (d.priorite ? 0.6 : 1);
  return r.chance(p);
}

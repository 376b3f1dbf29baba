import type { CalAttributionEvent } from "@logis/contracts";

// The read model of one vacancy's attribution in the CAL (cal.attribution.v1; aggregate
// `att_<rplsId>_<libereLe>`): the unit as examined, whom it was oriented to, its candidates (only
// what the statistics use: demand id, DALO, reference income and persons), the offers and their
// answers, and the signed lease. Rebuilt by folding the vacancy's events in order.

export interface CandidatRow {
  demandId: string;
  dalo: boolean;
  /** Reference tax income (revenu fiscal de référence) and the persons it covers, from the eligibility check. */
  revenu?: number;
  personnes: number;
}

export interface BailRow {
  demandId: string;
  signeLe: string;
  reservataireId: string;
  contingent: string;
  dalo: boolean;
  bailleur: string;
}

export interface AttributionRow {
  id: string;
  version: number;
  rplsId: string;
  libereLe?: string;
  bailleurId?: string;
  commune?: string;
  departement?: string;
  typologie?: string;
  financement?: string;
  reservataireId?: string;
  contingent?: string;
  candidats: CandidatRow[];
  offres: { faites: number; acceptees: number; refusees: number; echues: number };
  bail?: BailRow;
}

const blank = (id: string, rplsId: string): AttributionRow => ({
  id,
  version: 0,
  rplsId,
  candidats: [],
  offres: { faites: 0, acceptees: 0, refusees: 0, echues: 0 },
});

/** The next row after one attribution event. Pure; the caller skips events at or below the version. */
export function evolveAttributionRow(row: AttributionRow | undefined, event: CalAttributionEvent): AttributionRow {
  const p = event.payload;
  const base = row ?? blank(event.aggregateId, "rplsId" in p ? p.rplsId : p.logement.rplsId);
  const next = { ...base, version: event.aggregateVersion };
  switch (event.type) {
    case "CandidatesProposed": {
      const p = event.payload;
      return {
        ...next,
        rplsId: p.logement.rplsId,
        libereLe: p.libereLe,
        bailleurId: p.logement.bailleurId,
        commune: p.logement.commune,
        departement: p.logement.departement,
        typologie: p.logement.typologie,
        financement: p.logement.financement,
        reservataireId: p.cible.reservataireId,
        contingent: p.cible.codeSne,
        candidats: p.candidats.map((c) => ({
          demandId: c.demandId,
          dalo: c.dalo,
          personnes: c.eligibilite.personnes,
          ...(c.eligibilite.revenuReference ? { revenu: c.eligibilite.revenuReference.montant } : {}),
        })),
      };
    }
    case "OfferMade":
      return { ...next, offres: { ...next.offres, faites: next.offres.faites + 1 } };
    case "OfferAnswered": {
      const key = event.payload.reponse === "acceptee" ? "acceptees" : "refusees";
      return { ...next, offres: { ...next.offres, [key]: next.offres[key] + 1 } };
    }
    case "OfferLapsed":
      return { ...next, offres: { ...next.offres, echues: next.offres.echues + 1 } };
    case "LeaseSigned": {
      const p = event.payload;
      return {
        ...next,
        rplsId: p.rplsId,
        libereLe: p.libereLe,
        departement: p.departement,
        bail: {
          demandId: p.demandId,
          signeLe: p.bailSigneLe,
          reservataireId: p.reservataireId,
          contingent: p.attribution.contingent,
          dalo: p.attribution.dalo,
          bailleur: p.attribution.bailleur,
        },
      };
    }
    default:
      return next;
  }
}

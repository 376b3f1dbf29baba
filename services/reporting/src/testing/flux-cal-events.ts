import { readFileSync } from "node:fs";
import {
  attributionStream,
  type CalAttributionEvent,
  type CalSessionEvent,
  type FluxOrientationEvent,
  type FluxUnitEvent,
  orientationStream,
  sessionStream,
  unitStream,
} from "@logis/contracts";

// Flux and CAL events for tests, built from the contract's fixtures and checked against the contract's
// schemas: a test sets the aggregate, its version and the facts the read models keep.

const fixture = (type: string) =>
  JSON.parse(
    readFileSync(new URL(`../../../../packages/contracts/fixtures/${type}.v1.json`, import.meta.url), "utf8"),
  ) as Record<string, unknown> & { payload: Record<string, unknown> };

let seq = 0;
const build = (type: string, aggregateId: string, aggregateVersion: number, payload: (p: any) => unknown) => {
  const base = fixture(type);
  return {
    ...base,
    eventId: `evt_fc${String(++seq).padStart(18, "0")}`,
    aggregateId,
    aggregateVersion,
    payload: payload(structuredClone(base.payload)),
  };
};

export interface UnitSpec {
  rplsId: string;
  commune?: string;
  qpv?: boolean;
  typologie?: string;
  bailleurId?: string;
}
const logement = (l: any, u: UnitSpec) => ({
  ...l,
  rplsId: u.rplsId,
  commune: u.commune ?? l.commune,
  departement: (u.commune ?? l.commune).slice(0, 2),
  qpv: u.qpv ?? false,
  typologie: u.typologie ?? l.typologie,
});

export const unitDeclared = (u: UnitSpec, version = 1): FluxUnitEvent =>
  unitStream.schema.parse(
    build("UnitDeclared", `uni_${u.rplsId}`, version, (p) => ({
      ...p,
      bailleurId: u.bailleurId ?? p.bailleurId,
      logement: logement(p.logement, u),
    })),
  );

export const unitFreed = (u: UnitSpec, version: number, libereLe: string): FluxUnitEvent =>
  unitStream.schema.parse(
    build("UnitFreed", `uni_${u.rplsId}`, version, (p) => ({
      ...p,
      bailleurId: u.bailleurId ?? p.bailleurId,
      logement: logement(p.logement, u),
      libereLe,
    })),
  );

export const unitLet = (u: UnitSpec, version: number, bailSigneLe: string): FluxUnitEvent =>
  unitStream.schema.parse(
    build("UnitLet", `uni_${u.rplsId}`, version, (p) => ({ ...p, rplsId: u.rplsId, bailSigneLe })),
  );

export interface CibleSpec {
  reservataireId: string;
  codeSne: string;
  type: string;
}
const cible = (c: CibleSpec) => ({ ...c, conventionId: c.codeSne === "AUCUN" ? null : `cnv_${c.reservataireId}` });

export const assigned = (
  ledger: string,
  version: number,
  u: UnitSpec,
  to: CibleSpec,
  positions: (CibleSpec & { du: number })[] = [],
): FluxOrientationEvent =>
  orientationStream.schema.parse(
    build("UnitAssignedToReserver", ledger, version, (p) => ({
      ...p,
      logement: logement(p.logement, u),
      cible: cible(to),
      explication: {
        ...p.explication,
        positions: positions.map((x) => ({ ...cible(x), part: 25, du: x.du, orientes: 0, retard: x.du })),
      },
    })),
  );

export const returned = (ledger: string, version: number, rplsId: string, to: CibleSpec, compte: boolean) =>
  orientationStream.schema.parse(
    build("UnitReturned", ledger, version, (p) => ({ ...p, rplsId, cible: cible(to), compte })),
  );

export const attributed = (ledger: string, version: number, rplsId: string, to: CibleSpec, bailSigneLe: string) =>
  orientationStream.schema.parse(
    build("AttributionRecorded", ledger, version, (p) => ({ ...p, rplsId, cible: cible(to), bailSigneLe })),
  );

export interface CandidatSpec {
  demandId: string;
  dalo?: boolean;
  revenu?: number;
  personnes?: number;
}

export const proposed = (
  att: string,
  version: number,
  u: UnitSpec & { libereLe: string },
  to: CibleSpec,
  candidats: CandidatSpec[],
): CalAttributionEvent =>
  attributionStream.schema.parse(
    build("CandidatesProposed", att, version, (p) => ({
      ...p,
      logement: {
        ...p.logement,
        rplsId: u.rplsId,
        commune: u.commune ?? p.logement.commune,
        departement: (u.commune ?? p.logement.commune).slice(0, 2),
        bailleurId: u.bailleurId ?? p.logement.bailleurId,
        typologie: u.typologie ?? p.logement.typologie,
      },
      libereLe: u.libereLe,
      cible: { reservataireId: to.reservataireId, conventionId: null, codeSne: to.codeSne },
      candidats: candidats.map((c, i) => ({
        ...p.candidats[0],
        demandId: c.demandId,
        ordre: i + 1,
        dalo: c.dalo ?? false,
        eligibilite: {
          ...p.candidats[0].eligibilite,
          personnes: c.personnes ?? 1,
          revenuReference: c.revenu === undefined ? null : { annee: 2024, montant: c.revenu },
        },
      })),
    })),
  );

export const answered = (att: string, version: number, rplsId: string, demandId: string, reponse: string) =>
  attributionStream.schema.parse(build("OfferAnswered", att, version, (p) => ({ ...p, rplsId, demandId, reponse })));

export interface LeaseSpec {
  rplsId: string;
  demandId: string;
  libereLe: string;
  bailSigneLe: string;
  reservataireId: string;
  contingent: string;
  dalo?: boolean;
  departement?: string;
  bailleur?: string;
}

export const leaseSigned = (att: string, version: number, l: LeaseSpec): CalAttributionEvent =>
  attributionStream.schema.parse(
    build("LeaseSigned", att, version, (p) => ({
      ...p,
      rplsId: l.rplsId,
      demandId: l.demandId,
      departement: l.departement ?? p.departement,
      libereLe: l.libereLe,
      bailSigneLe: l.bailSigneLe,
      reservataireId: l.reservataireId,
      attribution: {
        ...p.attribution,
        rplsId: l.rplsId,
        contingent: l.contingent,
        dalo: l.dalo ?? false,
        bailleur: l.bailleur ?? p.attribution.bailleur,
      },
    })),
  );

export const sessionScheduled = (ses: string, version: number, date: string, departement = "57"): CalSessionEvent =>
  sessionStream.schema.parse(build("SessionScheduled", ses, version, (p) => ({ ...p, date, departement })));

export const decided = (ses: string, version: number, type: string, demandId: string): CalSessionEvent =>
  sessionStream.schema.parse(build("DecisionRecorded", ses, version, (p) => ({ ...p, type, demandId })));

import type {
  CandidatesProposed,
  DemandFacts,
  ExamenEligibilite,
  ExceptionTroisCandidats,
  LeaseSigned,
  OfferAnswered,
  OfferLapsed,
  OfferMade,
  TypeDecision,
} from "@logis/contracts";
import { AppError, type Decider, err, ok, type Result } from "@logis/domain";
import { answerDeadline, type IsoDay } from "./calendar.js";
import { examineEligibility, type UnitFacts } from "./eligibility.js";
import { inForce, type Referentiel } from "./reference.js";

// The attribution of one vacancy (`att_<rplsId>_<libereLe>`): its candidates (at least three unless a
// legal exception), the commission's ranked decisions, the offers and their cascade (a refusal, a
// silence or a lapsed suspensive condition passes the unit to the next ranked candidate), the lease.

type Payload<E extends { payload: unknown }> = E["payload"];
type CodeSne = CandidatesProposed["payload"]["cible"]["codeSne"];
type Piece = NonNullable<OfferMade["payload"]["condition"]>["piece"];

/** Who the vacancy is oriented to (flux's `cible`, without the reserver's kind). */
export type CibleVacance = CandidatesProposed["payload"]["cible"];

export type AttributionEvent =
  | {
      type: "VacancyOpened";
      id: string;
      bailleurId: string;
      unit: UnitFacts;
      libereLe: IsoDay;
      cible: CibleVacance;
      designationAvant: IsoDay;
      fluxVersion: number;
      at: string;
    }
  | { type: "VacancyReoriented"; cible: CibleVacance; motif: string; fluxVersion: number; at: string }
  | { type: "VacancyReturned"; renduLe: IsoDay; fluxVersion: number; at: string }
  | { type: "DesignationExpired"; fluxVersion: number; at: string }
  | { type: "ShortlistExamined"; examen: ExamenClassement | null }
  | ({ type: "CandidatesProposed"; id: string } & Payload<CandidatesProposed>)
  | {
      type: "DecisionsApplied";
      sessionId: string;
      classement: Attributaire[];
      delaiReponseJours: number;
      at: string;
    }
  | ({ type: "OfferMade" } & Payload<OfferMade>)
  | ({ type: "OfferAnswered" } & Payload<OfferAnswered>)
  | ({ type: "OfferLapsed" } & Payload<OfferLapsed>)
  | { type: "ConditionMet"; demandId: string; piece: Piece; on: IsoDay }
  | { type: "CascadeExhausted"; on: IsoDay }
  | ({ type: "LeaseSigned" } & Payload<LeaseSigned>);

/**
 * The snapshot of a shortlist drawn from cotation's ranking: what was asked, how far the walk went,
 * and every better-ranked demand left out with the rules that refused it ("why not on this list").
 */
export interface ExamenClassement {
  epci: string;
  le: string;
  filtre: Record<string, unknown>;
  /** Demands cotation walked (its prefilter) and demands the CAL examined (full eligibility). */
  parcourues: number;
  examinees: number;
  /** The rank of the last demand examined: demands ranked after it were not reached. */
  dernierRang: number | null;
  ecartees: { demandId: string; numeroUnique: string; rank: number; refus: ExamenEligibilite["refus"] }[];
}

/** A candidate the commission attributed the unit to, in order of rank. */
export interface Attributaire {
  demandId: string;
  numeroUnique: string;
  rang: number;
  type: Extract<TypeDecision, "ATTRIBUTION" | "ATTRIBUTION_RANG" | "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE">;
  condition?: { piece: Piece; avant: IsoDay } | undefined;
}

export interface Offer {
  demandId: string;
  numeroUnique: string;
  rang: number;
  notifieeLe: IsoDay;
  repondreAvant: IsoDay;
  condition?: { piece: Piece; avant: IsoDay; levee: boolean } | undefined;
  statut: "en_attente" | "acceptee" | "refusee" | "echue";
}

export interface Attribution {
  _id: string;
  logement: CandidatesProposed["payload"]["logement"];
  libereLe: IsoDay;
  cible: CandidatesProposed["payload"]["cible"];
  candidats: CandidatesProposed["payload"]["candidats"];
  exception?: CandidatesProposed["payload"]["exception"];
  /** The last shortlist's snapshot, when the candidates came from the ranking. */
  examen?: ExamenClassement | undefined;
  /**
   * `a_designer`: opened from flux's orientation, waiting for candidates (the reserver's designation,
   * or the landlord's proposal once the unit is handed back or the designation deadline passed).
   */
  statut: "a_designer" | "proposee" | "decidee" | "offre_en_cours" | "a_reproposer" | "bail_signe";
  /** The unit's full facts (eligibility needs them), from flux's orientation or the proposal. */
  unite?: UnitFacts | undefined;
  /** The reserver designates by this day (flux's `designationAvant`). */
  designationAvant?: IsoDay | undefined;
  /** The reserver handed the unit back: the landlord proposes. */
  renduLe?: IsoDay | undefined;
  /** Flux saw the designation deadline pass without candidates: the landlord proposes. */
  designationExpiree?: boolean | undefined;
  /** The last flux ledger version applied (its events are redelivered: older ones change nothing). */
  fluxVu?: number | undefined;
  classement: Attributaire[];
  delaiReponseJours: number;
  offres: Offer[];
  bail?: { demandId: string; signeLe: IsoDay } | undefined;
  revision: number;
}

export interface ProposedCandidate {
  demandId: string;
  numeroUnique: string;
  facts: DemandFacts;
  justification: string;
  rangCotation?: { rank: number; of: number } | undefined;
  score?: number | undefined;
  grille?: { gridId: string; version: number } | undefined;
}

export type AttributionCommand =
  | (Omit<Extract<AttributionEvent, { type: "VacancyOpened" }>, "type" | "at"> & { type: "OpenVacancy" })
  | { type: "ReorientVacancy"; cible: CibleVacance; motif: string; fluxVersion: number }
  | { type: "ReturnVacancy"; renduLe: IsoDay; fluxVersion: number }
  | { type: "ExpireDesignation"; fluxVersion: number }
  | {
      type: "ProposeCandidates";
      id: string;
      bailleurId: string;
      unit: UnitFacts;
      libereLe: IsoDay;
      cible: { reservataireId: string; conventionId: string | null; codeSne: CodeSne };
      source: "reservataire" | "prefet_dalo" | "bailleur";
      candidats: ProposedCandidate[];
      exception?: { code: ExceptionTroisCandidats; justification: string } | undefined;
      /** Set when the candidates come from cotation's ranking (the landlord's shortlist). */
      examen?: ExamenClassement | undefined;
    }
  | {
      type: "ApplyDecisions";
      sessionId: string;
      decisions: {
        demandId: string;
        type: TypeDecision;
        rang?: number | undefined;
        condition?: { piece: Piece; avant: IsoDay } | undefined;
      }[];
      /** Answer delay of the offers, in days; the rules' minimum when absent. */
      delaiReponseJours?: number | undefined;
    }
  | { type: "AnswerOffer"; demandId: string; reponse: "acceptee" | "refusee"; motifRefus?: string | undefined }
  | { type: "SupplyPiece"; demandId: string; piece: Piece }
  | { type: "LapseOffers" }
  | { type: "SignLease"; demandId: string; signeLe: IsoDay };

export interface AttributionContext {
  now: Date;
  /** Today in the unit's time zone (Europe/Paris): offers are notified and lapse by day. */
  today: IsoDay;
  by: string;
  referentiel: Referentiel;
}

const rule = (reason: string, message: string, context: Record<string, unknown> = {}, field?: string) =>
  err(new AppError("RULE_VIOLATION", message, { reason, context, ...(field ? { field } : {}) }));
const notFound = () => err(new AppError("NOT_FOUND", "Attribution introuvable", { reason: "ATTRIBUTION_NOT_FOUND" }));

/** Refusals a missing piece explains (R441-2-4-1): not a bar to being proposed. */
const PIECE_RULES = new Set(["REVENU_FISCAL_MANQUANT"]);

const ATTRIBUTION_TYPES = new Set(["ATTRIBUTION", "ATTRIBUTION_RANG", "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE"]);

export const attribution: Decider<Attribution | undefined, AttributionCommand, AttributionEvent, AttributionContext> = {
  initialState: undefined,
  decide(state, command, ctx) {
    switch (command.type) {
      case "OpenVacancy": {
        // One vacancy, one attribution: a redelivered orientation finds it open and changes nothing.
        if (state) return ok([]);
        const { type: _t, ...opened } = command;
        return ok([{ type: "VacancyOpened", ...opened, at: ctx.now.toISOString() }]);
      }
      case "ReorientVacancy":
      case "ReturnVacancy":
      case "ExpireDesignation":
        return fromFlux(state, command, ctx);
      case "ProposeCandidates":
        return propose(state, command, ctx);
      case "ApplyDecisions":
        return applyDecisions(state, command, ctx);
      case "AnswerOffer":
        return answer(state, command, ctx);
      case "SupplyPiece": {
        if (!state) return notFound();
        const offer = state.offres.find(
          (o) => o.demandId === command.demandId && o.statut !== "refusee" && o.statut !== "echue",
        );
        if (!offer?.condition)
          return rule("NO_SUSPENSIVE_CONDITION", "Aucune condition suspensive en cours pour ce candidat");
        if (offer.condition.piece !== command.piece)
          return rule("WRONG_PIECE", `La pièce attendue est ${offer.condition.piece}`, {
            attendue: offer.condition.piece,
          });
        if (offer.condition.levee) return ok([]);
        if (ctx.today > offer.condition.avant)
          return rule("CONDITION_LAPSED", `Le délai de la condition suspensive a expiré le ${offer.condition.avant}`);
        return ok([{ type: "ConditionMet", demandId: command.demandId, piece: command.piece, on: ctx.today }]);
      }
      case "LapseOffers":
        return lapse(state, ctx);
      case "SignLease":
        return signLease(state, command, ctx);
    }
  },
  evolve(state, event) {
    if (event.type === "VacancyOpened") {
      const u = event.unit;
      return {
        _id: event.id,
        logement: {
          rplsId: u.rplsId,
          bailleurId: event.bailleurId,
          commune: u.commune,
          departement: u.departement,
          typologie: u.typologie,
          financement: u.financement,
          loyer: u.loyer,
          plaiAdapte: u.plaiAdapte ?? false,
        },
        libereLe: event.libereLe,
        cible: event.cible,
        candidats: [],
        statut: "a_designer",
        classement: [],
        delaiReponseJours: 10,
        offres: [],
        unite: u,
        designationAvant: event.designationAvant,
        fluxVu: event.fluxVersion,
        revision: 1,
      };
    }
    if (event.type === "CandidatesProposed") {
      return {
        ...state,
        _id: event.id,
        logement: event.logement,
        libereLe: event.libereLe,
        cible: event.cible,
        candidats: event.candidats,
        exception: event.exception,
        statut: "proposee",
        classement: [],
        delaiReponseJours: state?.delaiReponseJours ?? 10,
        offres: state?.offres ?? [],
        revision: (state?.revision ?? 0) + 1,
      };
    }
    if (!state) return state;
    const next = { ...state, revision: state.revision + 1 };
    const setOffer = (demandId: string, change: Partial<Offer>) =>
      next.offres.map((o) =>
        o.demandId === demandId && o.statut === current(next, demandId)?.statut ? { ...o, ...change } : o,
      );
    switch (event.type) {
      case "ShortlistExamined":
        return { ...next, examen: event.examen ?? undefined };
      case "VacancyReoriented":
        return { ...next, cible: event.cible, candidats: [], statut: "a_designer", fluxVu: event.fluxVersion };
      case "VacancyReturned":
        return { ...next, renduLe: event.renduLe, candidats: [], statut: "a_designer", fluxVu: event.fluxVersion };
      case "DesignationExpired":
        return { ...next, designationExpiree: true, fluxVu: event.fluxVersion };
      case "DecisionsApplied":
        return { ...next, classement: event.classement, delaiReponseJours: event.delaiReponseJours, statut: "decidee" };
      case "OfferMade":
        return {
          ...next,
          statut: "offre_en_cours",
          offres: [
            ...next.offres,
            {
              demandId: event.demandId,
              numeroUnique: event.numeroUnique,
              rang: event.rang,
              notifieeLe: event.notifieeLe,
              repondreAvant: event.repondreAvant,
              condition: event.condition && { ...event.condition, levee: false },
              statut: "en_attente",
            },
          ],
        };
      case "OfferAnswered":
        return { ...next, offres: setOffer(event.demandId, { statut: event.reponse }) };
      case "OfferLapsed":
        return { ...next, offres: setOffer(event.demandId, { statut: "echue" }) };
      case "ConditionMet": {
        const offer = current(next, event.demandId);
        return {
          ...next,
          offres: setOffer(event.demandId, { condition: offer?.condition && { ...offer.condition, levee: true } }),
        };
      }
      case "CascadeExhausted":
        return { ...next, statut: "a_reproposer" };
      case "LeaseSigned":
        return { ...next, statut: "bail_signe", bail: { demandId: event.demandId, signeLe: event.bailSigneLe } };
    }
  },
};

/** The live offer of a candidate (waiting or accepted). */
const current = (state: Attribution, demandId: string) =>
  state.offres.find((o) => o.demandId === demandId && (o.statut === "en_attente" || o.statut === "acceptee"));
const live = (state: Attribution) => state.offres.find((o) => o.statut === "en_attente" || o.statut === "acceptee");

/**
 * Flux moved the vacancy (another reserver, or handed back) before the commission examined it: the
 * candidates proposed so far go. A version already applied, or a vacancy already examined, is left
 * as it is (flux's events are delivered at least once).
 */
function fromFlux(
  state: Attribution | undefined,
  command: Extract<AttributionCommand, { type: "ReorientVacancy" | "ReturnVacancy" | "ExpireDesignation" }>,
  ctx: AttributionContext,
): Result<AttributionEvent[], AppError> {
  if (!state) return notFound();
  if (command.fluxVersion <= (state.fluxVu ?? 0)) return ok([]);
  if (state.statut !== "a_designer" && state.statut !== "proposee") return ok([]);
  const at = ctx.now.toISOString();
  switch (command.type) {
    case "ReorientVacancy":
      return ok([
        { type: "VacancyReoriented", cible: command.cible, motif: command.motif, fluxVersion: command.fluxVersion, at },
      ]);
    case "ReturnVacancy":
      return ok([{ type: "VacancyReturned", renduLe: command.renduLe, fluxVersion: command.fluxVersion, at }]);
    case "ExpireDesignation":
      // Candidates designated in time stay; otherwise the landlord now proposes.
      return ok(
        state.statut === "a_designer" ? [{ type: "DesignationExpired", fluxVersion: command.fluxVersion, at }] : [],
      );
  }
}

function propose(
  state: Attribution | undefined,
  command: Extract<AttributionCommand, { type: "ProposeCandidates" }>,
  ctx: AttributionContext,
): Result<AttributionEvent[], AppError> {
  if (state && state.statut !== "a_designer" && state.statut !== "proposee" && state.statut !== "a_reproposer")
    return err(
      new AppError("CONFLICT", "Les candidats de ce logement ont déjà été examinés", {
        reason: "CANDIDATES_ALREADY_EXAMINED",
        context: { statut: state.statut },
      }),
    );
  const regles = inForce(ctx.referentiel.regles, ctx.today);
  const wanted = regles?.candidatsParLogement ?? 3;
  const ids = new Set(command.candidats.map((c) => c.demandId));
  if (ids.size !== command.candidats.length) return rule("DUPLICATE_CANDIDATE", "Un candidat est proposé deux fois");
  if (command.candidats.length === 0) return rule("NO_CANDIDATE", "Aucun candidat proposé", {}, "candidats");
  const examined: { c: ProposedCandidate; eligibilite: ExamenEligibilite }[] = command.candidats.map((c) => ({
    c,
    eligibilite: examineEligibility(command.unit, c.facts, ctx.referentiel, ctx.today),
  }));
  // A missing piece (the tax notice) does not keep a household off the list: the commission may
  // attribute under the suspensive condition of that piece.
  const blocking = (e: ExamenEligibilite) => e.refus.filter((r) => !PIECE_RULES.has(r.regle));
  const ineligible = examined.find((e) => blocking(e.eligibilite).length > 0);
  if (ineligible) {
    const first = blocking(ineligible.eligibilite)[0];
    return rule(
      "CANDIDATE_INELIGIBLE",
      `Le candidat ${ineligible.c.numeroUnique} n'est pas éligible : ${first?.message ?? "refus"}`,
      { demandId: ineligible.c.demandId, refus: ineligible.eligibilite.refus },
    );
  }
  const dalo = (c: ProposedCandidate) => c.facts.situations.dalo.statut === "ACTIF";
  if (command.candidats.length < wanted) {
    const exception = command.exception;
    if (!exception)
      return rule(
        "THREE_CANDIDATES_RULE",
        `La commission examine au moins ${wanted} candidats par logement (R441-3) ; ${command.candidats.length} proposé(s) sans exception légale`,
        { proposes: command.candidats.length, requis: wanted },
        "candidats",
      );
    if (exception.code === "DALO_DESIGNE" && (command.source !== "prefet_dalo" || !command.candidats.every(dalo)))
      return rule(
        "EXCEPTION_NOT_APPLICABLE",
        "L'exception DALO vaut pour des ménages reconnus DALO désignés par le préfet (L441-2-3 II)",
        { exception: exception.code },
      );
    if (exception.code === "PLAI_ADAPTE" && !command.unit.plaiAdapte)
      return rule("EXCEPTION_NOT_APPLICABLE", "Ce logement n'est pas un PLAI adapté (D331-25-1)", {
        exception: exception.code,
      });
  }
  const payload: Payload<CandidatesProposed> = {
    logement: {
      rplsId: command.unit.rplsId,
      bailleurId: command.bailleurId,
      commune: command.unit.commune,
      departement: command.unit.departement,
      typologie: command.unit.typologie,
      financement: command.unit.financement,
      loyer: command.unit.loyer,
      plaiAdapte: command.unit.plaiAdapte ?? false,
    },
    libereLe: command.libereLe,
    cible: command.cible,
    source: command.source,
    candidats: examined.map(({ c, eligibilite }, i) => ({
      demandId: c.demandId,
      numeroUnique: c.numeroUnique,
      ordre: i + 1,
      dalo: dalo(c),
      ...(dalo(c) && c.facts.situations.dalo.dateDecision
        ? { daloDecisionLe: c.facts.situations.dalo.dateDecision }
        : {}),
      ...(c.rangCotation ? { rangCotation: c.rangCotation } : {}),
      ...(c.score === undefined ? {} : { score: c.score }),
      ...(c.grille ? { grille: c.grille } : {}),
      justification: c.justification,
      eligibilite,
      accordCollectif: c.facts.situations.accordCollectif,
    })),
    ...(command.candidats.length < wanted && command.exception ? { exception: command.exception } : {}),
    proposeLe: ctx.now.toISOString(),
    proposePar: ctx.by,
  };
  return ok([
    { type: "CandidatesProposed", id: command.id, ...payload },
    { type: "ShortlistExamined", examen: command.examen ?? null },
  ]);
}

function applyDecisions(
  state: Attribution | undefined,
  command: Extract<AttributionCommand, { type: "ApplyDecisions" }>,
  ctx: AttributionContext,
): Result<AttributionEvent[], AppError> {
  if (!state) return notFound();
  if (state.statut !== "proposee")
    return err(
      new AppError("CONFLICT", "Des décisions sont déjà appliquées à ce logement", { reason: "ALREADY_DECIDED" }),
    );
  const minimum = inForce(ctx.referentiel.regles, ctx.today)?.delaiReponseOffreJours ?? 10;
  const delai = command.delaiReponseJours ?? minimum;
  if (delai < minimum)
    return rule(
      "OFFER_DEADLINE_TOO_SHORT",
      `Le délai de réponse à une offre est d'au moins ${minimum} jours (R441-10) ; ${delai} demandé(s)`,
      { delai, minimum },
      "delaiReponseJours",
    );
  const classement: Attributaire[] = [];
  for (const d of command.decisions) {
    if (!ATTRIBUTION_TYPES.has(d.type)) continue;
    const candidat = state.candidats.find((c) => c.demandId === d.demandId);
    if (!candidat)
      return rule("NOT_A_CANDIDATE", "Ce ménage n'est pas candidat sur ce logement", { demandId: d.demandId });
    classement.push({
      demandId: d.demandId,
      numeroUnique: candidat.numeroUnique,
      rang: d.rang ?? 1,
      type: d.type as Attributaire["type"],
      condition: d.condition,
    });
  }
  classement.sort((a, b) => a.rang - b.rang);
  const applied: AttributionEvent = {
    type: "DecisionsApplied",
    sessionId: command.sessionId,
    classement,
    delaiReponseJours: delai,
    at: ctx.now.toISOString(),
  };
  const afterDecisions = attribution.evolve(state, applied) as Attribution;
  return ok([applied, ...offerNext(afterDecisions, ctx)]);
}

/** The offer to the best-ranked attributee not yet offered, or the end of the cascade. */
function offerNext(state: Attribution, ctx: AttributionContext): AttributionEvent[] {
  const offered = new Set(state.offres.map((o) => o.demandId));
  const next = state.classement.find((a) => !offered.has(a.demandId));
  if (!next) return [{ type: "CascadeExhausted", on: ctx.today }];
  const candidat = state.candidats.find((c) => c.demandId === next.demandId);
  return [
    {
      type: "OfferMade",
      rplsId: state.logement.rplsId,
      demandId: next.demandId,
      numeroUnique: next.numeroUnique,
      rang: next.rang,
      notifieeLe: ctx.today,
      repondreAvant: answerDeadline(ctx.today, state.delaiReponseJours, state.logement.departement),
      ...(next.condition ? { condition: next.condition } : {}),
      dalo: candidat?.dalo ?? false,
    },
  ];
}

const then = (state: Attribution, events: AttributionEvent[], ctx: AttributionContext): AttributionEvent[] => {
  const after = events.reduce<Attribution>((s, e) => attribution.evolve(s, e) as Attribution, state);
  return [...events, ...offerNext(after, ctx)];
};

function answer(
  state: Attribution | undefined,
  command: Extract<AttributionCommand, { type: "AnswerOffer" }>,
  ctx: AttributionContext,
): Result<AttributionEvent[], AppError> {
  if (!state) return notFound();
  const offer = state.offres.find((o) => o.demandId === command.demandId && o.statut === "en_attente");
  if (!offer)
    return rule("NO_PENDING_OFFER", "Aucune offre en attente de réponse pour ce candidat", {
      demandId: command.demandId,
    });
  if (ctx.today > offer.repondreAvant)
    return rule(
      "OFFER_DEADLINE_PASSED",
      `Le délai de réponse a expiré le ${offer.repondreAvant} : le silence vaut refus (R441-10)`,
      { repondreAvant: offer.repondreAvant },
    );
  const answered: AttributionEvent = {
    type: "OfferAnswered",
    rplsId: state.logement.rplsId,
    demandId: offer.demandId,
    numeroUnique: offer.numeroUnique,
    rang: offer.rang,
    reponse: command.reponse,
    ...(command.motifRefus ? { motifRefus: command.motifRefus } : {}),
    reponduLe: ctx.today,
  };
  return ok(command.reponse === "refusee" ? then(state, [answered], ctx) : [answered]);
}

function lapse(state: Attribution | undefined, ctx: AttributionContext): Result<AttributionEvent[], AppError> {
  if (!state) return notFound();
  const offer = live(state);
  if (!offer) return ok([]);
  const base = {
    rplsId: state.logement.rplsId,
    demandId: offer.demandId,
    numeroUnique: offer.numeroUnique,
    rang: offer.rang,
  };
  if (offer.statut === "en_attente" && ctx.today > offer.repondreAvant)
    return ok(then(state, [{ type: "OfferLapsed", ...base, cause: "silence", echueLe: ctx.today }], ctx));
  if (offer.condition && !offer.condition.levee && ctx.today > offer.condition.avant)
    return ok(then(state, [{ type: "OfferLapsed", ...base, cause: "condition_non_levee", echueLe: ctx.today }], ctx));
  return ok([]);
}

function signLease(
  state: Attribution | undefined,
  command: Extract<AttributionCommand, { type: "SignLease" }>,
  ctx: AttributionContext,
): Result<AttributionEvent[], AppError> {
  if (!state) return notFound();
  if (state.bail)
    return err(
      new AppError(
        "CONFLICT",
        `Un bail est déjà signé sur le logement ${state.logement.rplsId} le ${state.bail.signeLe}`,
        {
          reason: "LEASE_ALREADY_SIGNED",
          context: { bail: state.bail },
        },
      ),
    );
  const offer = state.offres.find((o) => o.demandId === command.demandId && o.statut === "acceptee");
  if (!offer)
    return rule("OFFER_NOT_ACCEPTED", "Le bail se signe sur une offre acceptée par ce candidat", {
      demandId: command.demandId,
    });
  if (offer.condition && !offer.condition.levee)
    return rule(
      "SUSPENSIVE_CONDITION_PENDING",
      `La condition suspensive n'est pas levée : pièce ${offer.condition.piece} attendue avant le ${offer.condition.avant}`,
      { condition: offer.condition },
    );
  const candidat = state.candidats.find((c) => c.demandId === command.demandId);
  return ok([
    {
      type: "LeaseSigned",
      rplsId: state.logement.rplsId,
      demandId: offer.demandId,
      numeroUnique: offer.numeroUnique,
      rang: offer.rang,
      departement: state.logement.departement,
      libereLe: state.libereLe,
      bailSigneLe: command.signeLe,
      reservataireId: state.cible.reservataireId,
      conventionId: state.cible.conventionId,
      attribution: {
        rplsId: state.logement.rplsId,
        contingent: state.cible.codeSne,
        dalo: candidat?.dalo ?? false,
        accordCollectif: candidat?.accordCollectif ?? "AUCUN",
        bailleur: state.logement.bailleurId,
      },
      enregistreLe: ctx.now.toISOString(),
      enregistrePar: ctx.by,
    },
  ]);
}

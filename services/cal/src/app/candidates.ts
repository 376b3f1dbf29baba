import type { ExceptionTroisCandidats } from "@logis/contracts";
import { AppError, type Clock } from "@logis/domain";
import type { Caller } from "@logis/http";
import type { Attribution, ExamenClassement, ProposedCandidate } from "../domain/attribution.js";
import { ceilingOf, examineEligibility, type UnitFacts } from "../domain/eligibility.js";
import {
  epciOf,
  FinancementPlafond,
  inForce,
  type Referentiel,
  type ReglesAttribution,
  zoneOf,
} from "../domain/reference.js";
import { type RankedDemand, shortlist } from "../domain/shortlist.js";
import { isReserverOf, isLandlordStaff as landlordStaff } from "./access.js";
import { type AttributionUseCases, parisDay } from "./attributions.js";
import type { AttributionStore, DemandDirectory, Ranking, RankingFilter } from "./ports.js";

// Candidates of an opened vacancy: the reserver designates them (or the préfet designates DALO
// households), or the landlord proposes the best-ranked eligible demands of cotation's ranking
// (decision 0011: cotation walks its ranking with a coarse prefilter, the CAL applies its full
// eligibility). Every proposal keeps the snapshot of its inputs; "why (not) on this list" reads it.

const unknownAttribution = () =>
  new AppError("NOT_FOUND", "Attribution introuvable", { reason: "ATTRIBUTION_NOT_FOUND" });
const rule = (reason: string, message: string, context: Record<string, unknown> = {}, field?: string) =>
  new AppError("RULE_VIOLATION", message, { reason, context, ...(field ? { field } : {}) });

/**
 * The largest household the unit's typology admits (the rules' table), or undefined when the last
 * line admits it (no bound). The prefilter must never be stricter than the eligibility.
 */
export function personnesMaxFor(regles: ReglesAttribution, typologie: string): number | undefined {
  const lines = [...regles.typologiesParTaille].sort((a, b) => a.personnes - b.personnes);
  if (lines.at(-1)?.typologies.includes(typologie as never)) return undefined;
  let max: number | undefined;
  lines.forEach((line, k) => {
    if (line.typologies.includes(typologie as never)) max = (lines[k + 1]?.personnes ?? line.personnes) - 1;
  });
  return max ?? 0;
}

/**
 * The unit's income ceilings as cotation's prefilter takes them: categories 1 to 6 of its financing
 * and zone in the table in force, and the amount per extra person (one euro more than the table's,
 * so that PLS's rounding never makes the prefilter stricter). None for a financing without ceilings.
 */
export function ceilingsFor(unit: UnitFacts, referentiel: Referentiel, on: string): RankingFilter["plafonds"] {
  const table = inForce(referentiel.plafonds, on);
  const financement = FinancementPlafond.safeParse(unit.financement);
  if (!table || !financement.success) return undefined;
  const zone = zoneOf(referentiel.zones, unit.commune);
  const figures = [1, 2, 3, 4, 5, 6, 7].map((c) => ceilingOf(table, financement.data, zone, c));
  if (figures.some((f) => f === undefined)) return undefined;
  const [c1, c2, c3, c4, c5, c6, c7] = figures as number[];
  return {
    categories: [c1, c2, c3, c4, c5, c6] as number[],
    parPersonneSupplementaire: (c7 as number) - (c6 as number) + 1,
  };
}

/** The coarse prefilter cotation applies for this unit: a superset of the CAL's eligibility. */
export function prefilterFor(
  unit: UnitFacts,
  regles: ReglesAttribution,
  plafonds?: RankingFilter["plafonds"],
): RankingFilter {
  return {
    plafonds,
    commune: unit.commune,
    typologie: regles.verifierTypologieSouhaitee ? unit.typologie : undefined,
    personnesMax: personnesMaxFor(regles, unit.typologie),
    nonAdapte: unit.accessibilite !== "adapte",
    effort:
      regles.tauxEffortMax === null
        ? undefined
        : { coutMensuel: unit.loyer + unit.nbPieces * regles.chargesMensuellesParPiece, tauxMax: regles.tauxEffortMax },
  };
}

export function candidateUseCases(deps: {
  attributions: AttributionStore;
  attributionUseCases: AttributionUseCases;
  demands: DemandDirectory;
  ranking?: Ranking | undefined;
  referentiel: Referentiel;
  clock: Clock;
  /** Demands asked of cotation per page, and pages at most per proposal (bounds a rare unit's walk). */
  pageSize?: number;
  maxPages?: number;
}) {
  const { attributions, demands, referentiel, clock } = deps;
  const pageSize = deps.pageSize ?? 30;
  const maxPages = deps.maxPages ?? 20;

  const load = async (id: string) => {
    const att = await attributions.get(id);
    if (!att) throw unknownAttribution();
    return att;
  };
  const unitOf = (att: Attribution): UnitFacts => {
    if (!att.unite)
      throw rule("UNIT_FACTS_MISSING", "Les caractéristiques du logement ne sont pas connues (orientation non reçue)");
    return att.unite;
  };
  const isLandlordStaff = (caller: Caller, att: Attribution) =>
    landlordStaff(caller.principal, att.logement.bailleurId);

  return {
    /**
     * The reserver designates its candidates (by numéro unique) until its deadline, or the préfet
     * designates DALO households (the exception to the three-candidate rule then applies). Anyone
     * else is answered as if the vacancy did not exist.
     */
    async designate(
      caller: Caller,
      id: string,
      input: {
        numerosUniques: string[];
        justification?: string | undefined;
        exception?: { code: ExceptionTroisCandidats; justification: string } | undefined;
      },
    ) {
      const att = await load(id);
      const p = caller.principal;
      // The reserver of the unit (the préfet too, for its own contingent), or the préfet designating a DALO household.
      const reserver = isReserverOf(p, att);
      const prefet =
        p.roles.includes("state-agent") &&
        p.organisation.kind === "state" &&
        p.territories.departements.includes(att.logement.departement);
      if (!reserver && !prefet) throw unknownAttribution();
      const today = parisDay(clock.now());
      if (reserver && !prefet) {
        if (att.renduLe) throw rule("UNIT_RETURNED", `Le logement a été rendu au bailleur le ${att.renduLe}`);
        if (att.designationAvant && today > att.designationAvant)
          throw rule(
            "DESIGNATION_DEADLINE_PASSED",
            `Le délai de désignation a expiré le ${att.designationAvant} : le bailleur propose les candidats`,
            { designationAvant: att.designationAvant },
          );
      }
      const candidats: ProposedCandidate[] = [];
      for (const [k, numero] of input.numerosUniques.entries()) {
        const known = await demands.byNumero(numero);
        if (!known?.facts || known.statut !== "active")
          throw rule(
            "DEMAND_NOT_ACTIVE",
            `Demande ${numero} inconnue ou sortie du stock : seule une demande active peut être désignée`,
            { numeroUnique: numero },
            `numerosUniques.${k}`,
          );
        candidats.push({
          demandId: known.demandId,
          numeroUnique: known.numeroUnique,
          facts: known.facts,
          justification:
            input.justification ??
            (prefet && !reserver
              ? `Désigné par le préfet (${p.organisation.name}) au titre du DALO`
              : `Désigné par le réservataire ${p.organisation.name}`),
        });
      }
      const { state } = await deps.attributionUseCases.handle(caller, id, {
        type: "ProposeCandidates",
        id,
        bailleurId: att.logement.bailleurId,
        unit: unitOf(att),
        libereLe: att.libereLe,
        cible: att.cible,
        source: reserver ? "reservataire" : "prefet_dalo",
        candidats,
        exception: input.exception,
      });
      return state;
    },

    /**
     * The landlord proposes the best-ranked eligible demands: once the unit is handed back or the
     * designation deadline passed, for its own part of the flux, or after an exhausted cascade.
     */
    async proposeFromRanking(caller: Caller, id: string) {
      const att = await load(id);
      if (!isLandlordStaff(caller, att)) throw unknownAttribution();
      const unit = unitOf(att);
      const now = clock.now();
      const today = parisDay(now);
      const ownPart = att.cible.conventionId === null;
      const deadlinePassed =
        att.designationExpiree === true || (att.designationAvant !== undefined && today > att.designationAvant);
      if (att.statut !== "a_designer" && att.statut !== "a_reproposer")
        throw new AppError("CONFLICT", "Les candidats de ce logement sont déjà proposés", {
          reason: "CANDIDATES_ALREADY_PROPOSED",
          context: { statut: att.statut },
        });
      if (att.statut === "a_designer" && !ownPart && !att.renduLe && !deadlinePassed)
        throw rule(
          "DESIGNATION_PENDING",
          `Le réservataire désigne ses candidats jusqu'au ${att.designationAvant ?? "?"} : le bailleur propose ensuite`,
          { designationAvant: att.designationAvant ?? null },
        );
      const regles = inForce(referentiel.regles, today);
      if (!regles) throw rule("RULES_MISSING", `Aucune règle d'attribution en vigueur le ${today}`);
      const epci = epciOf(referentiel, unit.commune);
      if (!epci)
        throw rule("NO_EPCI", `La commune ${unit.commune} n'appartient à aucun EPCI connu`, { commune: unit.commune });
      if (!deps.ranking) throw new AppError("UNAVAILABLE", "Le classement de la cotation n'est pas configuré");
      const filter = prefilterFor(unit, regles, ceilingsFor(unit, referentiel, today));
      const wanted = regles.candidatsParLogement;
      const ranked: RankedDemand[] = [];
      const unknown: ExamenClassement["ecartees"] = [];
      let after = 0;
      let parcourues = 0;
      let list = shortlist(unit, ranked, referentiel, today, wanted);
      for (let page = 0; page < maxPages; page++) {
        const got = await deps.ranking.page(epci, filter, { after, n: pageSize, date: today });
        parcourues += got.parcourues;
        const facts = await demands.get(got.demandes.map((d) => d.demandId));
        for (const d of got.demandes) {
          const known = facts.get(d.demandId);
          if (known?.facts && known.statut === "active") ranked.push({ ...d, grid: d.grid, facts: known.facts });
          else
            unknown.push({
              demandId: d.demandId,
              numeroUnique: d.numeroUnique,
              rank: d.rank,
              refus: [
                {
                  regle: "DEMANDE_INCONNUE",
                  message: "Demande classée par la cotation mais inconnue ou sortie du stock pour la CAL",
                  chiffres: {},
                },
              ],
            });
        }
        list = shortlist(unit, ranked, referentiel, today, wanted);
        if (list.candidates.length >= wanted || got.suivant === null) break;
        after = got.suivant;
      }
      if (list.candidates.length === 0)
        throw rule(
          "NO_ELIGIBLE_CANDIDATE",
          `Aucune demande éligible parmi les ${list.examined} demande(s) classée(s) examinée(s) (${parcourues} parcourue(s) par la cotation)`,
          { examinees: list.examined, parcourues },
        );
      const examen: ExamenClassement = {
        epci,
        le: now.toISOString(),
        filtre: { ...filter },
        parcourues,
        examinees: list.examined,
        dernierRang: list.candidates.at(-1)?.rangCotation.rank ?? null,
        ecartees: [...unknown, ...list.excluded].sort((a, b) => a.rank - b.rank),
      };
      const { state } = await deps.attributionUseCases.handle(caller, id, {
        type: "ProposeCandidates",
        id,
        bailleurId: att.logement.bailleurId,
        unit,
        libereLe: att.libereLe,
        cible: att.cible,
        source: "bailleur",
        candidats: list.candidates.map((c) => ({
          demandId: c.demandId,
          numeroUnique: c.numeroUnique,
          facts: c.facts,
          justification: c.justification,
          rangCotation: c.rangCotation,
          score: c.score,
          grille: c.grille,
        })),
        exception: list.exception,
        examen,
      });
      return state;
    },

    /**
     * Why a demand is (or is not) on this unit's list: its candidacy and eligibility snapshot, the
     * rules that left it out, or that the walk never reached it, with its eligibility today.
     * For the landlord's staff and the préfecture of the département.
     */
    async why(caller: Caller, id: string, numeroUnique: string) {
      const att = await load(id);
      const p = caller.principal;
      const prefecture =
        p.roles.includes("state-agent") && p.territories.departements.includes(att.logement.departement);
      if (!isLandlordStaff(caller, att) && !prefecture) throw unknownAttribution();
      const candidat = att.candidats.find((c) => c.numeroUnique === numeroUnique);
      if (candidat)
        return {
          numeroUnique,
          statut: "candidat" as const,
          motif: candidat.justification,
          ordre: candidat.ordre,
          rangCotation: candidat.rangCotation ?? null,
          eligibilite: candidat.eligibilite,
        };
      const ecartee = att.examen?.ecartees.find((e) => e.numeroUnique === numeroUnique);
      if (ecartee)
        return {
          numeroUnique,
          statut: "ecartee" as const,
          motif: `Classée au rang ${ecartee.rank}, écartée : ${ecartee.refus.map((r) => r.message).join(" ; ")}`,
          rangCotation: { rank: ecartee.rank },
          refus: ecartee.refus,
        };
      const known = await demands.byNumero(numeroUnique);
      if (!known) throw new AppError("NOT_FOUND", "Demande inconnue", { reason: "DEMAND_NOT_FOUND" });
      const today = parisDay(clock.now());
      const eligibilite =
        known.facts && att.unite ? examineEligibility(att.unite, known.facts, referentiel, today) : null;
      const motif = !att.examen
        ? "Les candidats n'ont pas été tirés du classement de la cotation (désignation ou pas encore de proposition)"
        : `Non atteinte : la liste s'est arrêtée au rang ${att.examen.dernierRang ?? "?"} après ${att.examen.examinees} demande(s) examinée(s), ou écartée par le préfiltre de la cotation (commune, typologie, taille du ménage, logement adapté, taux d'effort)`;
      return { numeroUnique, statut: "non_examinee" as const, motif, eligibiliteAujourdhui: eligibilite };
    },
  };
}
export type CandidateUseCases = ReturnType<typeof candidateUseCases>;

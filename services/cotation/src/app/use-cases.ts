import { assertCan, type Principal, type Role } from "@logis/auth";
import { AppError, type Clock, civilDay, isAppError } from "@logis/domain";
import type { Caller } from "@logis/http";
import type { z } from "zod";
import type { FactCatalogue } from "../domain/facts.js";
import { walkClassement } from "../engine/classement.js";
import type { CreateDraftInput, GridStore, PublishInput, UpdateDraftInput } from "./grids.js";
import { viewOf } from "./grids.js";
import type { ExplanationLinks } from "./ports.js";
import type { ClassementInput, ScoringService, SimulateInput } from "./scoring.js";

const byDepartement: readonly Role[] = ["desk-agent", "state-agent"];
const byEpci: readonly Role[] = ["epci-grid-editor", "epci-publisher"];

/**
 * Where a caller may read cotations, which show a household's priority criteria (DALO, violence,
 * handicap): registration desks and the préfecture in their départements, EPCI staff in their
 * EPCIs only. Landlords, reservers and CAL secretaries may read only the demands they have a reason
 * to see (a candidate they examine, a designation); no such link exists yet, so they read none.
 */
export function cotationScope(p: Principal): Principal["territories"] {
  return {
    departements: p.roles.some((r) => byDepartement.includes(r)) ? p.territories.departements : [],
    epcis: p.roles.some((r) => byEpci.includes(r)) ? p.territories.epcis : [],
  };
}

/**
 * What the operations (http/operations.ts) call, with the caller the HTTP layer built (principal,
 * correlation id). `catalogue`: the facts and reference lists (compose.ts).
 */
export function useCases(
  grids: GridStore,
  scoring: ScoringService,
  catalogue: FactCatalogue,
  links: { signer: ExplanationLinks; days: number; clock: Clock },
) {
  const { referentiels } = catalogue;
  const linkInvalid = () =>
    new AppError("NOT_FOUND", "Lien invalide ou expiré : demandez un nouveau lien à votre guichet", {
      reason: "LINK_INVALID",
    });
  const self = {
    facts: () => ({
      facts: catalogue.facts.map((f) => ({ ...f })),
      justificatifs: referentiels.justificatifs,
      prioritesL441: referentiels.prioritesL441,
      version: referentiels.version,
    }),
    listGrids: async ({ principal: p }: Caller, epci: string) => (await grids.list(p, epci)).map(viewOf),
    getGrid: async ({ principal: p }: Caller, id: string) => viewOf(await grids.get(p, id)),
    createDraft: async ({ principal: p }: Caller, input: z.infer<typeof CreateDraftInput>) =>
      viewOf(await grids.createDraft(p, input)),
    updateDraft: async ({ principal: p }: Caller, id: string, input: z.infer<typeof UpdateDraftInput>) =>
      viewOf(await grids.updateDraft(p, id, input)),
    simulate: async ({ principal: p }: Caller, id: string, input: z.infer<typeof SimulateInput>) => {
      const doc = await grids.get(p, id);
      const result = scoring.simulateVersion(p, doc, input);
      await grids.markSimulated(p, doc, `${result.demandes} demandes, top ${input.topN}`);
      return result;
    },
    publish: async ({ principal: p, correlationId }: Caller, id: string, input: z.infer<typeof PublishInput>) => {
      const doc = await grids.publish(p, id, input, correlationId);
      await scoring.refresh();
      return viewOf(doc);
    },
    /**
     * A demand's cotation, within the caller's scope (`cotationScope`). A numéro outside it answers
     * exactly as an unknown one (404, same body): numéros are easy to compute (their key is
     * public), so a difference would tell which exist and where.
     */
    cotation: ({ principal: p }: Caller, numeroUnique: string, asOf?: string) => {
      assertCan(p, "score.read");
      const notFound = () =>
        new AppError("NOT_FOUND", `Aucune demande active ${numeroUnique} connue de la cotation`, {
          reason: "DEMAND_NOT_FOUND",
        });
      const territories = cotationScope(p);
      if (territories.departements.length === 0 && territories.epcis.length === 0) throw notFound();
      try {
        return { numeroUnique, cotations: scoring.cotationOf({ ...p, territories }, numeroUnique, asOf) };
      } catch (error) {
        if (isAppError(error) && (error.code === "NOT_FOUND" || error.code === "FORBIDDEN")) throw notFound();
        throw error;
      }
    },
    /**
     * An EPCI's demands in rank order that pass the CAL's coarse prefilter for one unit (decision
     * 0011): identifiers, ranks, scores and grids only, no household facts. For the EPCI's own staff
     * and the landlords and CAL secretaries working there; an EPCI out of reach answers as unknown.
     */
    classement: ({ principal: p }: Caller, epci: string, input: ClassementInput) => {
      assertCan(p, "score.read");
      const unknown = () =>
        new AppError("NOT_FOUND", `EPCI ${epci} inconnu ou sans grille en vigueur`, { reason: "EPCI_NOT_FOUND" });
      if (!p.territories.epcis.includes(epci)) throw unknown();
      const on = input.date ?? civilDay(links.clock.now());
      const populations = scoring.populationsOf(epci, on);
      if (populations.length === 0) throw unknown();
      const {
        after,
        n,
        date: _d,
        coutMensuel,
        tauxEffortMax,
        nonAdapte,
        plafonds: categories,
        plafondParPersonneSupplementaire,
        ...bounds
      } = input;
      const effort =
        coutMensuel !== undefined && tauxEffortMax !== undefined ? { coutMensuel, tauxMax: tauxEffortMax } : undefined;
      const plafonds =
        categories !== undefined
          ? { categories, parPersonneSupplementaire: plafondParPersonneSupplementaire ?? Number.POSITIVE_INFINITY }
          : undefined;
      const filter = { ...bounds, nonAdapte, effort, plafonds };
      const page = walkClassement(scoring.projection, populations, filter, { after, n });
      // The oldest ranking walked: served while a newer one is rebuilt in the background.
      const calculeLe = Math.min(...populations.map((p) => p.calculeLe));
      return {
        epci,
        date: on,
        ...page,
        classementCalculeLe: new Date(calculeLe).toISOString(),
        ageSecondes: Math.max(0, Math.round((Date.now() - calculeLe) / 1000)),
      };
    },
    /**
     * A link a desk gives the applicant to read their own cotation and its explanation (R441-2-17):
     * signed, naming the demand, expiring. Only a caller who may read the cotation can make one.
     */
    explanationLink: (caller: Caller, numeroUnique: string) => {
      self.cotation(caller, numeroUnique);
      const expiresAt = new Date(links.clock.now().getTime() + links.days * 86_400_000).toISOString();
      const token = links.signer.sign({ numeroUnique, expiresAt });
      return { token, chemin: `/v1/explication/${token}`, expireLe: expiresAt };
    },
    /** The applicant's page: the link is the authorisation (no account), within its validity. */
    explanationByLink: (token: string, asOf?: string) => {
      const claims = links.signer.verify(token, links.clock.now());
      if (!claims) throw linkInvalid();
      try {
        return {
          numeroUnique: claims.numeroUnique,
          lienExpireLe: claims.expiresAt,
          cotations: scoring.applicantCotation(claims.numeroUnique, asOf),
        };
      } catch (error) {
        if (isAppError(error) && error.code === "NOT_FOUND") throw linkInvalid();
        throw error;
      }
    },
  };
  return self;
}
export type UseCases = ReturnType<typeof useCases>;

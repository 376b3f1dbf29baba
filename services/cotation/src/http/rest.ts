import { Epci, NumeroUnique } from "@logis/contracts";
import { AppError, newId } from "@logis/domain";
import { defineRoute, openApiDocument, type RequestContext, type RestRoute } from "@logis/http";
import { z } from "zod";
import { CreateDraftInput, PublishInput, UpdateDraftInput } from "../app/grids.js";
import { SimulateInput } from "../app/scoring.js";
import type { UseCases } from "../app/use-cases.js";

const byId = z.object({
  id: z.string().regex(/^grd_\d{9}_(unique|primo|mutation)\.v\d+$/, "identifiant de grille attendu"),
});
const tags = ["Cotation"];

export const principalOf = (ctx: RequestContext) => {
  if (!ctx.principal) throw new AppError("UNAUTHENTICATED", "Authentification requise");
  return ctx.principal;
};
export const correlationOf = (header: string | undefined) =>
  header && /^[\w.:-]{1,128}$/.test(header) ? header : newId("correlation");

/** REST for outside systems (documented at /openapi.json). */
export function restRoutes(uc: UseCases): RestRoute[] {
  return [
    defineRoute({
      method: "get",
      path: "/v1/faits",
      summary: "Faits de la demande utilisables dans une grille, pièces justificatives, publics prioritaires",
      tags,
      permission: "grid.read",
      handler: async () => uc.facts(),
    }),
    defineRoute({
      method: "get",
      path: "/v1/grilles",
      summary: "Versions des grilles d'un EPCI (brouillons et publiées)",
      tags,
      permission: "grid.read",
      query: z.object({ epci: Epci }),
      handler: ({ ctx, query }) => uc.listGrids(principalOf(ctx), query.epci),
    }),
    defineRoute({
      method: "post",
      path: "/v1/grilles",
      summary: "Créer un brouillon de grille (refusé en 422 si un critère est invalide, avec le critère et le champ)",
      tags,
      permission: "grid.edit",
      body: CreateDraftInput,
      status: 201,
      handler: ({ ctx, body }) => uc.createDraft(principalOf(ctx), body),
    }),
    defineRoute({
      method: "get",
      path: "/v1/grilles/:id",
      summary: "Lire une version de grille et son historique",
      tags,
      permission: "grid.read",
      params: byId,
      handler: ({ ctx, params }) => uc.getGrid(principalOf(ctx), params.id),
    }),
    defineRoute({
      method: "put",
      path: "/v1/grilles/:id",
      summary: "Modifier un brouillon (une grille publiée est immuable : 409)",
      tags,
      permission: "grid.edit",
      params: byId,
      body: UpdateDraftInput,
      handler: ({ ctx, params, body }) => uc.updateDraft(principalOf(ctx), params.id, body),
    }),
    defineRoute({
      method: "post",
      path: "/v1/grilles/:id/simulation",
      summary: "Simuler le brouillon contre la grille en vigueur sur le stock vivant de l'EPCI",
      tags,
      permission: "grid.edit",
      params: byId,
      body: SimulateInput,
      handler: ({ ctx, params, body }) => uc.simulate(principalOf(ctx), params.id, body),
    }),
    defineRoute({
      method: "post",
      path: "/v1/grilles/:id/publication",
      summary: "Publier le brouillon simulé, avec sa date d'effet (immuable ensuite)",
      tags,
      permission: "grid.publish",
      params: byId,
      body: PublishInput,
      handler: ({ ctx, params, body, req }) =>
        uc.publish(principalOf(ctx), params.id, body, correlationOf(req.header("x-correlation-id"))),
    }),
    defineRoute({
      method: "get",
      path: "/v1/demandes/:numeroUnique/cotation",
      summary:
        "Cotation d'une demande : note, critères retenus, rang, position parmi les demandes similaires, délai d'attente observé",
      tags,
      permission: "score.read",
      params: z.object({ numeroUnique: NumeroUnique }),
      query: z.object({ date: z.iso.date().optional() }),
      handler: async ({ ctx, params, query }) => uc.cotation(principalOf(ctx), params.numeroUnique, query.date),
    }),
  ];
}

export const openApi = (uc: UseCases) =>
  openApiDocument({ title: "Logis — cotation", version: "1.0.0" }, restRoutes(uc));

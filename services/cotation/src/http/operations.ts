import { Epci, NumeroUnique } from "@logis/contracts";
import { defineOperation, openApiDocument, type RestRoute, type trpcRouterOf } from "@logis/http";
import { z } from "zod";
import { CreateDraftInput, PublishInput, UpdateDraftInput } from "../app/grids.js";
import { ClassementInput, SimulateInput } from "../app/scoring.js";
import type { UseCases } from "../app/use-cases.js";
import { explanationHtml } from "./explanation-html.js";
import {
  ApplicantExplanation,
  Classement,
  Cotation,
  cotationCodeLabels,
  ExplanationLink,
  Facts,
  Grid,
  GridList,
  Simulation,
  sharedSchemas,
} from "./schemas.js";

const byId = z.object({
  id: z.string().regex(/^grd_\d{9}_(unique|primo|mutation)\.v\d+$/, "identifiant de grille attendu"),
});
const tags = ["Cotation"];

/**
 * Every operation of cotation, once: the REST route (outside systems, documented at /openapi.json),
 * the tRPC procedure (the console: path, query and body fields as one object) and the OpenAPI entry
 * come from here (compose.ts), with the permission declared once. Territory checks are the use
 * cases' (app/use-cases.ts).
 */
export const operations = (uc: UseCases) => ({
  facts: defineOperation({
    name: "facts",
    summary: "Faits de la demande utilisables dans une grille, pièces justificatives, publics prioritaires",
    tags,
    permission: "grid.read",
    output: Facts,
    rest: { method: "get", path: "/v1/faits" },
    handler: async () => uc.facts(),
  }),
  grids: defineOperation({
    name: "grids",
    summary: "Versions des grilles d'un EPCI (brouillons et publiées)",
    tags,
    permission: "grid.read",
    query: z.object({ epci: Epci }),
    output: GridList,
    rest: { method: "get", path: "/v1/grilles" },
    handler: ({ query }, caller) => uc.listGrids(caller, query.epci),
  }),
  createDraft: defineOperation({
    name: "createDraft",
    summary: "Créer un brouillon de grille (refusé en 422 si un critère est invalide, avec le critère et le champ)",
    tags,
    permission: "grid.edit",
    body: CreateDraftInput,
    output: Grid,
    rest: { method: "post", path: "/v1/grilles", status: 201 },
    handler: ({ body }, caller) => uc.createDraft(caller, body),
  }),
  grid: defineOperation({
    name: "grid",
    summary: "Lire une version de grille et son historique",
    tags,
    permission: "grid.read",
    params: byId,
    output: Grid,
    rest: { method: "get", path: "/v1/grilles/:id" },
    handler: ({ params }, caller) => uc.getGrid(caller, params.id),
  }),
  updateDraft: defineOperation({
    name: "updateDraft",
    summary: "Modifier un brouillon (une grille publiée est immuable : 409)",
    tags,
    permission: "grid.edit",
    params: byId,
    body: UpdateDraftInput,
    output: Grid,
    rest: { method: "put", path: "/v1/grilles/:id" },
    handler: ({ params, body }, caller) => uc.updateDraft(caller, params.id, body),
  }),
  simulate: defineOperation({
    name: "simulate",
    summary: "Simuler le brouillon contre la grille en vigueur sur le stock vivant de l'EPCI",
    tags,
    permission: "grid.edit",
    params: byId,
    body: SimulateInput,
    output: Simulation,
    rest: { method: "post", path: "/v1/grilles/:id/simulation" },
    handler: ({ params, body }, caller) => uc.simulate(caller, params.id, body),
  }),
  publish: defineOperation({
    name: "publish",
    summary: "Publier le brouillon simulé, avec sa date d'effet (immuable ensuite)",
    tags,
    permission: "grid.publish",
    params: byId,
    body: PublishInput,
    output: Grid,
    rest: { method: "post", path: "/v1/grilles/:id/publication" },
    handler: ({ params, body }, caller) => uc.publish(caller, params.id, body),
  }),
  cotation: defineOperation({
    name: "cotation",
    summary:
      "Cotation d'une demande : note, critères retenus, rang, position parmi les demandes similaires, délai d'attente observé",
    tags,
    permission: "score.read",
    params: z.object({ numeroUnique: NumeroUnique }),
    query: z.object({ date: z.iso.date().optional() }),
    output: Cotation,
    rest: { method: "get", path: "/v1/demandes/:numeroUnique/cotation" },
    handler: async ({ params, query }, caller) => uc.cotation(caller, params.numeroUnique, query.date),
  }),
  classement: defineOperation({
    name: "classement",
    summary:
      "Demandes de l'EPCI dans l'ordre de leur rang, filtrées grossièrement pour un logement (le service CAL applique ensuite l'éligibilité complète), par pages (after)",
    tags,
    permission: "score.read",
    params: z.object({ epci: Epci }),
    query: ClassementInput,
    output: Classement,
    rest: { method: "get", path: "/v1/epcis/:epci/classement" },
    handler: async ({ params, query }, caller) => uc.classement(caller, params.epci, query),
  }),
  explanationLink: defineOperation({
    name: "explanationLink",
    summary: "Lien à remettre au demandeur pour lire sa cotation et son explication (signé, à durée limitée)",
    tags,
    permission: "score.read",
    params: z.object({ numeroUnique: NumeroUnique }),
    output: ExplanationLink,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/cotation/lien", status: 201 },
    handler: async ({ params }, caller) => uc.explanationLink(caller, params.numeroUnique),
  }),
  explanation: defineOperation({
    name: "explanation",
    summary:
      "Le demandeur lit sa cotation et son explication (R441-2-17) par le lien remis au guichet : JSON, ou page imprimable avec Accept: text/html",
    tags,
    permission: "public",
    params: z.object({
      token: z
        .string()
        .min(20)
        .max(1000)
        .regex(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/, "lien invalide"),
    }),
    query: z.object({ date: z.iso.date().optional() }),
    output: ApplicantExplanation,
    rest: { method: "get", path: "/v1/explication/:token" },
    produces: {
      "text/html": "La page imprimable de la cotation et de son explication, en français (avec Accept: text/html)",
    },
    trpc: "query",
    raw: true,
    handler: async ({ params, query }, _caller, http) => {
      const page = uc.explanationByLink(params.token, query.date);
      if (!http) return page;
      // The link is the authorisation: never cached, never sent on as a referrer.
      http.res.setHeader("cache-control", "no-store");
      http.res.setHeader("referrer-policy", "no-referrer");
      if (http.req.accepts(["application/json", "text/html"]) === "text/html")
        http.res.type("html").send(explanationHtml(page));
      else http.res.json(page);
      return page;
    },
  }),
});

/** The console's API (the console imports the type only). */
export type CotationRouter = ReturnType<typeof trpcRouterOf<ReturnType<typeof operations>>>;

/** The document of /openapi.json: answers from the operations' outputs, coded values labelled (decision 0018). */
export const openApiFor = (routes: RestRoute[]) =>
  openApiDocument(
    {
      title: "Logis — cotation",
      version: "1.0.0",
      description:
        "Grilles de cotation des EPCI (brouillon, simulation, publication), cotation et explication d'une demande, classement des demandes pour un logement.",
    },
    routes,
    { labels: cotationCodeLabels, schemas: sharedSchemas },
  );

import { Principal } from "@logis/auth";
import type { Clock } from "@logis/domain";
import { defineOperation } from "@logis/http";
import { z } from "zod";
import type { AttributionUseCases } from "../app/attributions.js";
import { QuotasQuery, type QuotaUseCases } from "../app/quotas.js";
import { RebuildRequest, type RebuildUseCases } from "../app/rebuilds.js";
import { ExportQuery, StatisticsQuery, type StatisticsUseCases } from "../app/statistics.js";
import { attributionsCsv } from "./attributions-csv.js";
import type { Masque } from "./csv.js";
import { quotasPage, statisticsPage } from "./pages.js";
import { quotasCsv } from "./quotas-csv.js";
import { AttributionStatisticsView, QuotasView, RebuildView, StatisticsView } from "./schemas.js";
import { statisticsCsv } from "./statistics-csv.js";

const maskOf = (query: { diffusion?: string | undefined }, settings: { maskThreshold: number }): Masque | undefined =>
  query.diffusion === "inter-bailleurs" ? { seuil: settings.maskThreshold, symbole: "s" } : undefined;

const tags = ["Statistiques"];

/** Every operation of the service, once: REST route, tRPC procedure and OpenAPI entry come from here. */
export const operations = (
  stats: StatisticsUseCases,
  attributions: AttributionUseCases,
  quotaCases: QuotaUseCases,
  rebuilds: RebuildUseCases,
  clock: Clock,
  settings: { maskThreshold: number },
) => ({
  whoami: defineOperation({
    name: "whoami",
    summary: "Qui appelle : l'utilisateur, son organisation, ses rôles et territoires",
    permission: "public",
    output: z.object({ principal: Principal.nullable() }),
    rest: { method: "get", path: "/v1/whoami" },
    handler: async (_input, caller) => ({ principal: caller.principal ?? null }),
  }),
  demandStatistics: defineOperation({
    name: "demandStatistics",
    summary:
      "Statistiques de la demande sur une période (par défaut : depuis le 1er janvier) : stock actif (premières demandes, mutations), nouvelles demandes, radiations par motif, délai d'attente (médiane, 90e centile), ancienneté ; par département, EPCI, commune et typologie, dans votre territoire",
    tags,
    permission: "stats.read",
    query: StatisticsQuery,
    output: StatisticsView,
    rest: { method: "get", path: "/v1/statistiques/demandes" },
    handler: ({ query }, caller) => stats.demandStatistics(caller, query),
  }),
  demandStatisticsCsv: defineOperation({
    name: "demandStatisticsCsv",
    summary: "Les mêmes statistiques en CSV pour tableur (« ; », UTF-8 avec BOM, dates jj/mm/aaaa, virgule décimale)",
    tags,
    permission: "stats.read",
    query: ExportQuery,
    rest: { method: "get", path: "/v1/statistiques/demandes/csv" },
    produces: {
      "text/csv":
        "Statistiques pour tableur : « ; », UTF-8 avec BOM, dates jj/mm/aaaa, virgule décimale, fins de ligne CRLF",
    },
    attachment: true,
    trpc: false,
    raw: true,
    handler: async ({ query }, caller, http) => {
      const s = await stats.demandStatistics(caller, query);
      if (!http) return;
      const where = [s.filtres.departement, s.filtres.epci].filter(Boolean).join("-") || "territoire";
      http.res.type("text/csv; charset=utf-8");
      http.res.setHeader(
        "content-disposition",
        `attachment; filename="statistiques-demandes-${where}-${s.periode.du}-${s.periode.au}.csv"`,
      );
      http.res.send(statisticsCsv(s, clock.now(), maskOf(query, settings)));
    },
  }),
  demandStatisticsPage: defineOperation({
    name: "demandStatisticsPage",
    summary: "Les statistiques de la demande en page imprimable (HTML, graphiques)",
    tags,
    permission: "stats.read",
    query: StatisticsQuery,
    rest: { method: "get", path: "/v1/statistiques/demandes/page" },
    produces: { "text/html": "Page imprimable en français, graphiques SVG" },
    trpc: false,
    raw: true,
    handler: async ({ query }, caller, http) => {
      const s = await stats.demandStatistics(caller, query);
      if (!http) return;
      http.res.type("text/html; charset=utf-8");
      http.res.send(statisticsPage(s, clock.now()));
    },
  }),
  attributionStatistics: defineOperation({
    name: "attributionStatistics",
    summary:
      "Attributions (baux signés) sur une période : par réservataire, contingent, bailleur, commune et typologie ; ménages DALO et prioritaires, premier quartile hors QPV, en QPV, Logement d'abord ; offres et décisions de CAL ; dans votre territoire",
    tags,
    permission: "stats.read",
    query: StatisticsQuery,
    output: AttributionStatisticsView,
    rest: { method: "get", path: "/v1/statistiques/attributions" },
    handler: ({ query }, caller) => attributions.attributionStatistics(caller, query),
  }),
  attributionStatisticsCsv: defineOperation({
    name: "attributionStatisticsCsv",
    summary:
      "Les attributions en CSV pour tableur (« ; », UTF-8 avec BOM, dates jj/mm/aaaa, virgule décimale) ; diffusion=inter-bailleurs masque les petits effectifs",
    tags,
    permission: "stats.read",
    query: ExportQuery,
    rest: { method: "get", path: "/v1/statistiques/attributions/csv" },
    produces: { "text/csv": "Attributions pour tableur : « ; », UTF-8 avec BOM, dates jj/mm/aaaa, virgule décimale" },
    attachment: true,
    trpc: false,
    raw: true,
    handler: async ({ query }, caller, http) => {
      const s = await attributions.attributionStatistics(caller, query);
      if (!http) return;
      const where = [s.filtres.departement, s.filtres.epci].filter(Boolean).join("-") || "territoire";
      http.res.type("text/csv; charset=utf-8");
      http.res.setHeader(
        "content-disposition",
        `attachment; filename="attributions-${where}-${s.periode.du}-${s.periode.au}.csv"`,
      );
      http.res.send(attributionsCsv(s, clock.now(), maskOf(query, settings)));
    },
  }),
  quotas: defineOperation({
    name: "quotas",
    summary:
      "Objectifs légaux d'attribution de l'année à date, par EPCI : premier quartile hors QPV (25 %), autres quartiles en QPV (objectif de la CIL, 50 % par défaut), ménages DALO et prioritaires par réservataire (25 %) ; avertissements quand un objectif dérive (projeté sur le reste de l'année) ; bilans du flux",
    tags: ["Objectifs légaux"],
    permission: "stats.read",
    query: QuotasQuery,
    output: QuotasView,
    rest: { method: "get", path: "/v1/objectifs" },
    handler: ({ query }, caller) => quotaCases.quotaView(caller, query),
  }),
  startRebuild: defineOperation({
    name: "startRebuild",
    summary:
      "Reconstruit un modèle de lecture en rejouant son flux d'événements depuis le début dans une nouvelle collection ; la tâche montre sa progression et reprend après une panne",
    tags: ["Reconstructions"],
    permission: "platform.admin",
    body: RebuildRequest,
    output: RebuildView,
    rest: {
      method: "post",
      path: "/v1/reconstructions",
      status: 202,
      location: (out) => `/v1/reconstructions/${out.id}`,
    },
    handler: ({ body }, caller) => rebuilds.start(caller, body),
  }),
  getRebuild: defineOperation({
    name: "getRebuild",
    summary: "Où en est une reconstruction : progression, fin estimée, écarts avec le modèle de lecture en service",
    tags: ["Reconstructions"],
    permission: "stats.read",
    params: z.object({ id: z.string().regex(/^job_[a-z0-9]+$/, "identifiant de reconstruction attendu (job_…)") }),
    output: RebuildView,
    rest: { method: "get", path: "/v1/reconstructions/:id" },
    handler: ({ params }, caller) => rebuilds.get(caller, params.id),
  }),
  quotasPage: defineOperation({
    name: "quotasPage",
    summary: "Les objectifs légaux, les avertissements et les bilans du flux en page imprimable (HTML, graphiques)",
    tags: ["Objectifs légaux"],
    permission: "stats.read",
    query: QuotasQuery,
    rest: { method: "get", path: "/v1/objectifs/page" },
    produces: { "text/html": "Page imprimable en français, graphiques SVG" },
    trpc: false,
    raw: true,
    handler: async ({ query }, caller, http) => {
      const q = await quotaCases.quotaView(caller, query);
      if (!http) return;
      http.res.type("text/html; charset=utf-8");
      http.res.send(quotasPage(q, clock.now()));
    },
  }),
  quotasCsv: defineOperation({
    name: "quotasCsv",
    summary: "Les objectifs légaux, les avertissements et les bilans du flux en CSV pour tableur",
    tags: ["Objectifs légaux"],
    permission: "stats.read",
    query: QuotasQuery,
    rest: { method: "get", path: "/v1/objectifs/csv" },
    produces: {
      "text/csv": "Objectifs légaux pour tableur : « ; », UTF-8 avec BOM, dates jj/mm/aaaa, virgule décimale",
    },
    attachment: true,
    trpc: false,
    raw: true,
    handler: async ({ query }, caller, http) => {
      const q = await quotaCases.quotaView(caller, query);
      if (!http) return;
      const where = [q.filtres.departement, q.filtres.epci].filter(Boolean).join("-") || "territoire";
      http.res.type("text/csv; charset=utf-8");
      http.res.setHeader("content-disposition", `attachment; filename="objectifs-${where}-${q.filtres.annee}.csv"`);
      http.res.send(quotasCsv(q, clock.now()));
    },
  }),
});
export type Operations = ReturnType<typeof operations>;

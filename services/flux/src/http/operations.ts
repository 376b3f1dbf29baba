import { tmpdir } from "node:os";
import { join } from "node:path";
import { LogementDeclare, RplsId } from "@logis/contracts";
import { AppError, newId } from "@logis/domain";
import { defineOperation, openApiDocument, type RestRoute, receiveUpload, type trpcRouterOf } from "@logis/http";
import { z } from "zod";
import {
  AmendConventionInput,
  ConventionId,
  type ConventionUseCases,
  SignConventionInput,
} from "../app/conventions.js";
import { BalanceQuery, type FluxReads, OrientationsQuery } from "../app/flux-reads.js";
import { CloseYearInput, type FluxYearUseCases, ForecastInput } from "../app/flux-year.js";
import type { UnitImports } from "../app/import-units.js";
import { type OrientationUseCases, OverrideInput, ReturnInput } from "../app/orientation.js";
import { FreeUnitInput, LetUnitInput, ListUnitsInput, type UnitUseCases, UpdateUnitInput } from "../app/units.js";
import { balanceCsv } from "./balance-csv.js";
import { balanceHtml } from "./balance-html.js";
import {
  Balance,
  ClosedBalance,
  Convention,
  ConventionList,
  fluxCodeLabels,
  ImportJob,
  ImportStarted,
  OrientationList,
  OrientationOne,
  Recorded,
  sharedSchemas,
  Unit,
  UnitChanged,
  UnitsPage,
} from "./schemas.js";

export interface FluxUseCases {
  units: UnitUseCases;
  imports: UnitImports;
  conventions: ConventionUseCases;
  orientation: OrientationUseCases;
  years: FluxYearUseCases;
  reads: FluxReads;
}

const byRpls = z.object({ rplsId: RplsId });
const byConvention = z.object({ conventionId: ConventionId });
const departement = z.string().regex(/^(\d{2}|2A|2B|\d{3})$/, "département attendu (57, 2A, 971…)");
const stock = ["Patrimoine"];
const conventionsTag = ["Conventions"];
const flux = ["Orientations et bilans"];

/**
 * Every operation of flux, once: the REST route (landlords' and reservers' systems, documented at
 * /openapi.json), the tRPC procedure (the console) and the OpenAPI entry, with the permission declared
 * once. Who may see which unit, convention, orientation or balance is the use cases' (app/access.ts).
 */
export const operations = (uc: FluxUseCases, { importMaxBytes }: { importMaxBytes: number }) => ({
  declareUnit: defineOperation({
    name: "declareUnit",
    summary:
      "Déclarer un logement du patrimoine (forme RPLS), ou le mettre à jour s'il est déjà déclaré (même identifiant RPLS)",
    tags: stock,
    permission: "unit.declare",
    body: LogementDeclare,
    output: UnitChanged,
    rest: { method: "post", path: "/v1/logements" },
    handler: ({ body }, caller) => uc.units.declare(caller, body),
  }),
  updateUnit: defineOperation({
    name: "updateUnit",
    summary: "Modifier les caractéristiques d'un logement (seuls les champs donnés changent)",
    tags: stock,
    permission: "unit.declare",
    params: byRpls,
    body: UpdateUnitInput,
    output: UnitChanged,
    rest: { method: "patch", path: "/v1/logements/:rplsId" },
    handler: ({ params, body }, caller) => uc.units.update(caller, params.rplsId, body),
  }),
  unit: defineOperation({
    name: "unit",
    summary: "Lire un logement et sa vacance en cours",
    tags: stock,
    permission: "flux.read",
    params: byRpls,
    output: Unit,
    rest: { method: "get", path: "/v1/logements/:rplsId" },
    handler: ({ params }, caller) => uc.units.get(caller, params.rplsId),
  }),
  units: defineOperation({
    name: "units",
    summary: "Lister les logements visibles, par identifiant RPLS, une page à la fois (apres : dernier identifiant lu)",
    tags: stock,
    permission: "flux.read",
    query: ListUnitsInput,
    output: UnitsPage,
    rest: { method: "get", path: "/v1/logements" },
    handler: ({ query }, caller) => uc.units.list(caller, query),
  }),
  freeUnit: defineOperation({
    name: "freeUnit",
    summary:
      "Déclarer un logement libéré (départ ou première mise en location, soustrait du flux le cas échéant) : son orientation suit, lisible sur …/orientation",
    tags: stock,
    permission: "unit.free",
    params: byRpls,
    body: FreeUnitInput,
    output: UnitChanged,
    rest: {
      method: "post",
      path: "/v1/logements/:rplsId/liberation",
      status: 202,
      location: (out) => `/v1/logements/${out.unit.rplsId}/orientation`,
    },
    handler: ({ params, body }, caller) => uc.units.free(caller, params.rplsId, body),
  }),
  letUnit: defineOperation({
    name: "letUnit",
    summary:
      "Enregistrer le bail signé sur un logement libéré : l'attribution est comptée au réservataire de l'orientation",
    tags: stock,
    permission: "unit.free",
    params: byRpls,
    body: LetUnitInput,
    output: UnitChanged,
    rest: { method: "post", path: "/v1/logements/:rplsId/bail" },
    handler: ({ params, body }, caller) => uc.units.let(caller, params.rplsId, body),
  }),
  orientation: defineOperation({
    name: "orientation",
    summary:
      "Orientations d'un logement : réservataire, motif du choix, délai de désignation, restitution, attribution",
    tags: flux,
    permission: "flux.read",
    params: byRpls,
    output: OrientationList,
    rest: { method: "get", path: "/v1/logements/:rplsId/orientation" },
    handler: ({ params }, caller) => uc.reads.orientationOf(caller, params.rplsId),
  }),
  overrideOrientation: defineOperation({
    name: "overrideOrientation",
    summary: "Déroger à l'orientation d'un logement, vers un autre réservataire, avec un motif écrit (tracé)",
    tags: flux,
    permission: "flux.orient",
    params: byRpls,
    body: OverrideInput,
    output: OrientationOne,
    rest: { method: "post", path: "/v1/logements/:rplsId/orientation/derogation" },
    handler: ({ params, body }, caller) => uc.orientation.override(caller, params.rplsId, body),
  }),
  returnUnit: defineOperation({
    name: "returnUnit",
    summary: "Rendre au bailleur un logement orienté (il compte ou non pour le réservataire selon sa convention)",
    tags: flux,
    permission: "flux.return",
    params: byRpls,
    body: ReturnInput,
    output: OrientationOne,
    rest: { method: "post", path: "/v1/logements/:rplsId/restitution" },
    handler: ({ params, body }, caller) => uc.orientation.returnUnit(caller, params.rplsId, body),
  }),
  importUnits: defineOperation({
    name: "importUnits",
    summary:
      "Importer le patrimoine (corps : CSV forme RPLS, « ; », en-tête nommant les colonnes ; taille limitée : 413 au-delà ; suivre l'avancement par GET)",
    tags: stock,
    permission: "unit.declare",
    output: ImportStarted,
    rest: {
      method: "post",
      path: "/v1/imports-patrimoine",
      status: 202,
      location: (out) => `/v1/imports-patrimoine/${out.id}`,
    },
    consumes: {
      "text/csv":
        "Le patrimoine en CSV forme RPLS : UTF-8, séparateur « ; », une ligne d'en-tête nommant les colonnes (rplsId;idBailleur;commune;…), nombres à virgule décimale, oui/non",
    },
    // The body is the file itself: REST only.
    trpc: false,
    handler: async (_parts, caller, http) => {
      if (!http) throw new AppError("VALIDATION", "Un import se dépose par l'API REST (corps : le fichier)");
      const file = join(tmpdir(), `${newId("import")}.csv`);
      await receiveUpload(http.req, http.res, file, importMaxBytes);
      const { id, status } = await uc.imports.start(caller, file);
      return { id, status };
    },
  }),
  unitImport: defineOperation({
    name: "unitImport",
    summary: "Avancement d'un import de patrimoine et rapport d'erreurs par ligne et par champ",
    tags: stock,
    permission: "unit.declare",
    params: z.object({ id: z.string().regex(/^imp_[a-z0-9]+$/, "identifiant d'import attendu") }),
    output: ImportJob,
    rest: { method: "get", path: "/v1/imports-patrimoine/:id" },
    handler: ({ params }, caller) => uc.imports.get(caller, params.id),
  }),
  signConvention: defineOperation({
    name: "signConvention",
    summary:
      "Enregistrer une convention de réservation signée (plafonds légaux vérifiés : refus 422 avec les chiffres et la règle)",
    tags: conventionsTag,
    permission: "convention.sign",
    body: SignConventionInput,
    output: Convention,
    rest: { method: "post", path: "/v1/conventions", status: 201 },
    handler: ({ body }, caller) => uc.conventions.sign(caller, body),
  }),
  amendConvention: defineOperation({
    name: "amendConvention",
    summary: "Enregistrer un avenant (nouvelles conditions à partir de sa date d'effet, plafonds vérifiés)",
    tags: conventionsTag,
    permission: "convention.sign",
    params: byConvention,
    body: AmendConventionInput,
    output: Convention,
    rest: { method: "post", path: "/v1/conventions/:conventionId/avenants" },
    handler: ({ params, body }, caller) => uc.conventions.amend(caller, params.conventionId, body),
  }),
  convention: defineOperation({
    name: "convention",
    summary: "Lire une convention et ses avenants",
    tags: conventionsTag,
    permission: "flux.read",
    params: byConvention,
    output: Convention,
    rest: { method: "get", path: "/v1/conventions/:conventionId" },
    handler: ({ params }, caller) => uc.conventions.get(caller, params.conventionId),
  }),
  conventions: defineOperation({
    name: "conventions",
    summary: "Lister les conventions visibles (un réservataire : les siennes)",
    tags: conventionsTag,
    permission: "flux.read",
    query: z.object({ departement: departement.optional() }),
    output: ConventionList,
    rest: { method: "get", path: "/v1/conventions" },
    handler: ({ query }, caller) => uc.conventions.list(caller, query),
  }),
  orientations: defineOperation({
    name: "orientations",
    summary: "Orientations d'une année dans un département (un réservataire : les logements orientés vers lui)",
    tags: flux,
    permission: "flux.read",
    query: OrientationsQuery,
    output: OrientationList,
    rest: { method: "get", path: "/v1/orientations" },
    handler: ({ query }, caller) => uc.reads.list(caller, query),
  }),
  balance: defineOperation({
    name: "balance",
    summary:
      "Bilan annuel du flux d'un bailleur dans un département : par réservataire dû, orientés, rendus, attribués, report ; détail par typologie, financement, QPV, commune, période de construction",
    tags: flux,
    permission: "flux.read",
    query: BalanceQuery,
    output: Balance,
    rest: { method: "get", path: "/v1/bilans" },
    handler: ({ query }, caller) => uc.reads.balance(caller, query),
  }),
  declareForecast: defineOperation({
    name: "declareForecast",
    summary: "Déclarer la prévision des logements soustraits du flux d'une année, par motif",
    tags: flux,
    permission: "flux.orient",
    body: ForecastInput,
    output: Recorded,
    rest: { method: "post", path: "/v1/previsions-soustraits" },
    handler: ({ body }, caller) => uc.years.declareForecast(caller, body),
  }),
  closeYear: defineOperation({
    name: "closeYear",
    summary:
      "Clôturer l'exercice (à partir du 1er janvier suivant) : le bilan annuel est arrêté et publié (BalanceClosed)",
    tags: flux,
    permission: "flux.orient",
    body: CloseYearInput,
    output: ClosedBalance,
    rest: { method: "post", path: "/v1/bilans/cloture" },
    handler: ({ body }, caller) => uc.years.closeYear(caller, body),
  }),
  balanceCsv: defineOperation({
    name: "balanceCsv",
    summary: "Le bilan annuel en CSV pour tableur (« ; », UTF-8 avec BOM, dates jj/mm/aaaa, virgule décimale)",
    tags: flux,
    permission: "flux.read",
    query: BalanceQuery,
    rest: { method: "get", path: "/v1/bilans/csv" },
    produces: {
      "text/csv":
        "Le bilan annuel pour un tableur français (UTF-8 avec BOM, séparateur ;, dates jj/mm/aaaa, virgule décimale), en pièce jointe",
    },
    attachment: true,
    trpc: false,
    raw: true,
    handler: async ({ query }, caller, http) => {
      const bilan = await uc.reads.balance(caller, query);
      if (!http) return;
      http.res.type("text/csv; charset=utf-8");
      http.res.setHeader(
        "content-disposition",
        `attachment; filename="bilan-flux-${bilan.bailleurId}-${bilan.departement}-${bilan.annee}.csv"`,
      );
      http.res.send(balanceCsv(bilan));
    },
  }),
  balanceHtml: defineOperation({
    name: "balanceHtml",
    summary:
      "Le bilan annuel en page imprimable (HTML en français, format A4) : par réservataire, typologie, financement, QPV, commune et période de construction, avec la prévision des logements soustraits",
    tags: flux,
    permission: "flux.read",
    query: BalanceQuery,
    rest: { method: "get", path: "/v1/bilans/html" },
    produces: { "text/html": "La page imprimable du bilan annuel, en français (A4)" },
    trpc: false,
    raw: true,
    handler: async ({ query }, caller, http) => {
      const bilan = await uc.reads.balance(caller, query);
      if (!http) return;
      http.res.type("text/html; charset=utf-8");
      http.res.setHeader("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
      http.res.send(balanceHtml(bilan));
    },
  }),
});
export type Operations = ReturnType<typeof operations>;

/** The console's API (the console imports the type only). */
export type FluxRouter = ReturnType<typeof trpcRouterOf<Operations>>;

/** The document of /openapi.json: answers from the operations' outputs, coded values labelled (decision 0018). */
export const openApiFor = (routes: RestRoute[]) =>
  openApiDocument(
    {
      title: "Logis — gestion en flux",
      version: "1.0.0",
      description:
        "Patrimoine des bailleurs, conventions de réservation, orientation des logements libérés vers les réservataires, bilans annuels.",
    },
    routes,
    { labels: fluxCodeLabels, schemas: sharedSchemas },
  );

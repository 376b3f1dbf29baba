import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { assertInDepartement } from "@logis/auth";
import { Departement } from "@logis/contracts";
import { AppError, newId } from "@logis/domain";
import { defineOperation, openApiDocument, type RestRoute, restRoutesOf, trpcRouterOf } from "@logis/http";
import { z } from "zod";
import { RadiateInput, UpdateInput } from "../app/change-demand.js";
import {
  AttestationIssueInput,
  CommentInput,
  InadmissibilityInput,
  LetterInput,
  ProofInput,
  RefusalInput,
} from "../app/procedures.js";
import { SearchInput } from "../app/read-demand.js";
import { RegisterInput } from "../app/register-demand.js";
import type { UseCases } from "../app/use-cases.js";
import { DEFAULT_IMPORT_MAX_BYTES } from "../config.js";
import { attestationHtml } from "./attestation-html.js";
import { attestationPdf } from "./attestation-pdf.js";

/** A link cannot set Accept: `?format=pdf` (or html) asks for the document itself. */
const AttestationFormat = z.object({
  format: z.enum(["json", "html", "pdf"]).optional().describe("json (défaut), html (page imprimable) ou pdf"),
});

import {
  AttestationRead,
  DemandView,
  DuplicateCandidates,
  DuplicateScan,
  Emissions,
  ExportJob,
  History,
  ImportJob,
  Numero,
  Registered,
  registrationLabels,
  SearchResult,
  Started,
  sharedSchemas,
} from "./schemas.js";

const byNumero = z.object({ numeroUnique: Numero });
const tags = ["Demandes"];

type HandlerInput = Parameters<RestRoute["handler"]>[0];
const idOf = (prefix: string, label: string) =>
  z.string().regex(new RegExp(`^${prefix}_[a-z0-9]+$`), `identifiant ${label} attendu`);

const megabytes = (bytes: number) => `${Math.round((bytes / (1024 * 1024)) * 10) / 10} Mo`;

const uploadTooLarge = (max: number) =>
  new AppError("VALIDATION", `Fichier trop volumineux : au plus ${megabytes(max)} (${max} octets) par import`, {
    reason: "PAYLOAD_TOO_LARGE",
    context: { maxBytes: max },
  });

/**
 * Stores an upload in `file`, counting bytes as they arrive: beyond `max` the upload stops (413,
 * the connection is closed rather than read to its end) and nothing is kept. The body is the file
 * as it is: a Content-Encoding would be stored undecoded, so any is refused (415).
 */
async function receiveUpload(req: HandlerInput["req"], res: HandlerInput["res"], file: string, max: number) {
  const encoding = req.header("content-encoding");
  if (encoding !== undefined && encoding.trim().toLowerCase() !== "identity")
    throw new AppError("VALIDATION", "Envoyez le fichier sans Content-Encoding (ni gzip ni autre)", {
      reason: "UNSUPPORTED_MEDIA_TYPE",
    });
  const declared = Number(req.header("content-length"));
  if (declared > max) {
    res.setHeader("connection", "close");
    throw uploadTooLarge(max);
  }
  let received = 0;
  try {
    await pipeline(async function* () {
      for await (const chunk of req.iterator({ destroyOnReturn: false })) {
        received += (chunk as Buffer).length;
        if (received > max) {
          res.setHeader("connection", "close");
          throw uploadTooLarge(max);
        }
        yield chunk as Buffer;
      }
    }, createWriteStream(file));
  } catch (error) {
    await rm(file, { force: true });
    if (error instanceof AppError) throw error;
    throw new AppError("VALIDATION", "Envoi du fichier interrompu", { reason: "UPLOAD_ABORTED", cause: error });
  }
}

const ExchangeQuery = z.object({
  format: z.enum(["sne-xml", "csv"]),
  departement: Departement,
});

/**
 * Every operation of the service, declared once: the REST API for landlords' and partners' systems
 * (documented at /openapi.json) and the console's tRPC procedures come from here.
 */
export const operations = (
  uc: UseCases,
  { importMaxBytes = DEFAULT_IMPORT_MAX_BYTES }: { importMaxBytes?: number } = {},
) => ({
  register: defineOperation({
    name: "register",
    summary: "Enregistrer une demande (409 POSSIBLE_DUPLICATE tant que les doublons possibles n'ont pas été examinés)",
    tags,
    permission: "demand.register",
    body: RegisterInput,
    output: Registered,
    rest: { method: "post", path: "/v1/demandes", status: 201 },
    handler: ({ body }, caller) => uc.registerDemand(caller, body),
  }),
  search: defineOperation({
    name: "search",
    summary: "Rechercher des demandes (numéro, nom, commune souhaitée, statut), paginé",
    tags,
    permission: "demand.read",
    query: SearchInput,
    output: SearchResult,
    rest: { method: "get", path: "/v1/demandes" },
    handler: ({ query }, caller) => uc.searchDemands(caller, query),
  }),
  get: defineOperation({
    name: "get",
    summary: "Lire le dossier complet (lecture tracée)",
    tags,
    permission: "demand.read",
    params: byNumero,
    output: DemandView,
    rest: { method: "get", path: "/v1/demandes/:numeroUnique" },
    handler: ({ params }, caller) => uc.getDemand(caller, params.numeroUnique),
  }),
  update: defineOperation({
    name: "update",
    summary: "Modifier la demande (version attendue, motif de la modification)",
    tags,
    permission: "demand.update",
    params: byNumero,
    body: UpdateInput,
    output: DemandView,
    rest: { method: "put", path: "/v1/demandes/:numeroUnique" },
    handler: ({ params, body }, caller) => uc.updateDemand(caller, params.numeroUnique, body),
  }),
  renew: defineOperation({
    name: "renew",
    summary: "Renouveler la demande pour une année (ancienneté et numéro conservés)",
    tags,
    permission: "demand.update",
    params: byNumero,
    output: DemandView,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/renouvellement" },
    handler: ({ params }, caller) => uc.renewDemand(caller, params.numeroUnique),
  }),
  reactivate: defineOperation({
    name: "reactivate",
    summary: "Réactiver une demande annulée pour non-renouvellement, dans le délai légal",
    tags,
    permission: "demand.update",
    params: byNumero,
    output: DemandView,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/reactivation" },
    handler: ({ params }, caller) => uc.reactivateDemand(caller, params.numeroUnique),
  }),
  radiate: defineOperation({
    name: "radiate",
    summary: "Radier la demande (motifs nationaux RADATT, RADABA, RADIRR, RADCON)",
    tags,
    permission: "demand.radiate",
    params: byNumero,
    body: RadiateInput,
    output: DemandView,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/radiation" },
    handler: ({ params, body }, caller) => uc.radiateDemand(caller, params.numeroUnique, body),
  }),
  recordProof: defineOperation({
    name: "recordProof",
    summary:
      "Enregistrer une pièce justificative reçue et vérifiée (pièce, critères qu'elle prouve ; agent et date tracés)",
    tags,
    permission: "demand.update",
    params: byNumero,
    body: ProofInput,
    output: DemandView,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/justificatifs", status: 201 },
    handler: ({ params, body }, caller) => uc.recordProof(caller, params.numeroUnique, body),
  }),
  recordRefusal: defineOperation({
    name: "recordRefusal",
    summary: "Enregistrer le refus d'un logement (date, logement adapté ou non), en attendant le service CAL",
    tags,
    permission: "demand.update",
    params: byNumero,
    body: RefusalInput,
    output: DemandView,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/refus", status: 201 },
    handler: ({ params, body }, caller) => uc.recordRefusal(caller, params.numeroUnique, body),
  }),
  issueAttestation: defineOperation({
    name: "issueAttestation",
    summary: "Délivrer à nouveau l'attestation (canal) : chaque délivrance est enregistrée avec son contenu",
    tags,
    permission: "demand.update",
    params: byNumero,
    body: AttestationIssueInput,
    output: Emissions,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/attestation/emissions", status: 201 },
    handler: ({ params, body }, caller) => uc.issueAttestation(caller, params.numeroUnique, body),
  }),
  notifyInadmissibility: defineOperation({
    name: "notifyInadmissibility",
    summary:
      "Irrecevabilité prononcée par une CAL : date de notification ; radiation un mois après, sauf retrait avant",
    tags,
    permission: "demand.radiate",
    params: byNumero,
    body: InadmissibilityInput,
    output: DemandView,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/irrecevabilite" },
    handler: ({ params, body }, caller) => uc.notifyInadmissibility(caller, params.numeroUnique, body),
  }),
  withdrawInadmissibility: defineOperation({
    name: "withdrawInadmissibility",
    summary: "Retirer une irrecevabilité notifiée, avant la date de radiation",
    tags,
    permission: "demand.radiate",
    params: byNumero,
    body: CommentInput,
    output: DemandView,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/irrecevabilite/retrait" },
    handler: ({ params, body }, caller) => uc.withdrawInadmissibility(caller, params.numeroUnique, body),
  }),
  requestInformation: defineOperation({
    name: "requestInformation",
    summary: "Courrier du bailleur demandant des informations : sans réponse, radiation après le délai légal",
    tags,
    permission: "demand.radiate",
    params: byNumero,
    body: LetterInput,
    output: DemandView,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/courriers" },
    handler: ({ params, body }, caller) => uc.requestInformation(caller, params.numeroUnique, body),
  }),
  recordAnswer: defineOperation({
    name: "recordAnswer",
    summary: "Réponse au courrier : arrête la procédure ; après la radiation, réactive la demande dans le délai légal",
    tags,
    permission: "demand.radiate",
    params: byNumero,
    body: CommentInput,
    output: DemandView,
    rest: { method: "post", path: "/v1/demandes/:numeroUnique/courriers/reponse" },
    handler: ({ params, body }, caller) => uc.recordAnswer(caller, params.numeroUnique, body),
  }),
  attestation: defineOperation({
    name: "attestation",
    summary: "Attestation d'enregistrement (JSON ; HTML imprimable avec Accept: text/html)",
    tags,
    permission: "demand.read",
    params: byNumero,
    query: AttestationFormat,
    output: AttestationRead,
    rest: { method: "get", path: "/v1/demandes/:numeroUnique/attestation" },
    produces: {
      "text/html": "La page imprimable de l'attestation, en français (avec Accept: text/html)",
      "application/pdf": "L'attestation en PDF, A4 (avec Accept: application/pdf ou ?format=pdf, pour un lien)",
    },
    raw: true,
    handler: async ({ params, query }, caller, http) => {
      const attestation = await uc.getAttestation(caller, params.numeroUnique);
      if (!http) return attestation;
      const wanted =
        query.format === "pdf"
          ? "application/pdf"
          : query.format === "html"
            ? "text/html"
            : http.req.accepts(["application/json", "text/html", "application/pdf"]);
      if (wanted === "application/pdf")
        http.res
          .type("pdf")
          .setHeader("Content-Disposition", `inline; filename="attestation-${attestation.numeroUnique}.pdf"`)
          .send(attestationPdf(attestation));
      else if (wanted === "text/html") http.res.type("html").send(attestationHtml(attestation));
      else http.res.json(attestation);
      return attestation;
    },
  }),
  history: defineOperation({
    name: "history",
    summary: "Historique des modifications, avis de renouvellement et lectures du dossier",
    tags,
    permission: "demand.read",
    params: byNumero,
    output: History,
    rest: { method: "get", path: "/v1/demandes/:numeroUnique/historique" },
    handler: ({ params }, caller) => uc.getHistory(caller, params.numeroUnique),
  }),
  duplicates: defineOperation({
    name: "duplicates",
    summary: "Chercher les doublons possibles d'une demande (même ménage dans le département)",
    tags: ["Doublons"],
    permission: "demand.duplicates",
    body: RegisterInput.shape.demande,
    output: DuplicateCandidates,
    rest: { method: "post", path: "/v1/doublons/recherche" },
    trpc: "query",
    handler: ({ body }, caller) => uc.checkDuplicates(caller, body),
  }),
  startDuplicateScan: defineOperation({
    name: "startDuplicateScan",
    summary: "Lancer l'analyse des doublons sur tout le stock d'un département (suivre l'avancement par GET)",
    tags: ["Doublons"],
    permission: "demand.duplicates",
    body: z.object({ departement: Departement }),
    output: Started,
    rest: {
      method: "post",
      path: "/v1/doublons/analyses",
      status: 202,
      location: (out) => `/v1/doublons/analyses/${out.id}`,
    },
    handler: ({ body }, caller) => uc.startDuplicateScan(caller, body.departement),
  }),
  duplicateScan: defineOperation({
    name: "duplicateScan",
    summary: "Avancement et résultat d'une analyse des doublons (paires suspectées avec score et raisons)",
    tags: ["Doublons"],
    permission: "demand.duplicates",
    params: z.object({ id: idOf("job", "d'analyse") }),
    output: DuplicateScan,
    rest: { method: "get", path: "/v1/doublons/analyses/:id" },
    handler: ({ params }, caller) => uc.getDuplicateScan(caller, params.id),
  }),
  startImport: defineOperation({
    name: "startImport",
    summary:
      "Importer un stock de demandes (corps : fichier SNE XML v02.01 ou CSV, taille limitée : 413 au-delà ; suivre l'avancement par GET)",
    tags: ["Échanges"],
    permission: "demand.import",
    query: ExchangeQuery,
    output: Started,
    rest: { method: "post", path: "/v1/imports", status: 202, location: (out) => `/v1/imports/${out.id}` },
    consumes: {
      "application/xml": "Le fichier SNE XML (interface v02.01), avec format=sne-xml",
      "text/csv": "Le fichier CSV (séparateur ;, UTF-8, dates jj/mm/aaaa ou AAAA-MM-JJ), avec format=csv",
    },
    // The body is the file itself: REST only.
    trpc: false,
    handler: async ({ query }, caller, http) => {
      if (!http) throw new AppError("VALIDATION", "Un import se dépose par l'API REST (corps : le fichier)");
      // Checked before the upload is stored, so that a refused caller uploads nothing.
      assertInDepartement(caller.principal, query.departement);
      const file = join(tmpdir(), `${newId("import")}.${query.format === "csv" ? "csv" : "xml"}`);
      await receiveUpload(http.req, http.res, file, importMaxBytes);
      return uc.startImport(caller, { format: query.format, departement: query.departement, file });
    },
  }),
  getImport: defineOperation({
    name: "getImport",
    summary: "Avancement d'un import et rapport d'erreurs par enregistrement",
    tags: ["Échanges"],
    permission: "demand.import",
    params: z.object({ id: idOf("imp", "d'import") }),
    output: ImportJob,
    rest: { method: "get", path: "/v1/imports/:id" },
    handler: ({ params }, caller) => uc.getImport(caller, params.id),
  }),
  startExport: defineOperation({
    name: "startExport",
    summary:
      "Lancer l'export des demandes d'un département (SNE XML v02.01 ou CSV) : suivre l'avancement à l'adresse donnée, puis télécharger le fichier",
    tags: ["Échanges"],
    permission: "demand.export",
    body: ExchangeQuery,
    output: Started,
    rest: { method: "post", path: "/v1/exports", status: 202, location: (out) => `/v1/exports/${out.id}` },
    handler: ({ body }, caller) => uc.startExport(caller, body),
  }),
  getExport: defineOperation({
    name: "getExport",
    summary: "Avancement d'un export (demandes écrites, pourcentage, fin estimée) et, une fois terminé, son fichier",
    tags: ["Échanges"],
    permission: "demand.export",
    params: z.object({ id: idOf("job", "d'export") }),
    output: ExportJob,
    rest: { method: "get", path: "/v1/exports/:id" },
    handler: ({ params }, caller) => uc.getExport(caller, params.id),
  }),
  downloadExport: defineOperation({
    name: "downloadExport",
    summary: "Télécharger le fichier d'un export terminé (409 tant qu'il ne l'est pas)",
    tags: ["Échanges"],
    permission: "demand.export",
    params: z.object({ id: idOf("job", "d'export") }),
    rest: { method: "get", path: "/v1/exports/:id/fichier" },
    produces: {
      "text/csv":
        "Les demandes du département en CSV pour un tableur français (UTF-8 avec BOM, séparateur ;, dates jj/mm/aaaa, libellés à côté des codes), pour un export format=csv",
      "application/xml": "Les demandes du département en SNE XML (interface v02.01), pour un export format=sne-xml",
    },
    attachment: true,
    trpc: false,
    raw: true,
    handler: async ({ params }, caller, http) => {
      const { fichier, parts } = await uc.downloadExport(caller, params.id);
      if (!http) return;
      const { res } = http;
      res.type(fichier.type);
      res.setHeader("content-disposition", `attachment; filename="${fichier.nom}"`);
      // The whole size is announced: a transfer cut short is seen as such by the client.
      res.setHeader("content-length", String(fichier.octets));
      for await (const part of parts) if (!res.write(part)) await new Promise((ok) => res.once("drain", ok));
      res.end();
    },
  }),
  exportDemands: defineOperation({
    name: "exportDemands",
    summary: "Exporter les demandes d'un département (SNE XML v02.01 ou CSV), en flux (remplacé par POST /v1/exports)",
    description:
      "Toujours servi pour les systèmes qui l'appellent, mais sans avancement : préférez POST /v1/exports (tâche d'export avec avancement), puis GET /v1/exports/{id}/fichier.",
    deprecated: true,
    tags: ["Échanges"],
    permission: "demand.export",
    query: ExchangeQuery,
    rest: { method: "get", path: "/v1/exports" },
    produces: {
      "text/csv":
        "Les demandes du département en CSV pour un tableur français (UTF-8 avec BOM, séparateur ;, dates jj/mm/aaaa, libellés à côté des codes), avec format=csv",
      "application/xml": "Les demandes du département en SNE XML (interface v02.01), avec format=sne-xml",
    },
    attachment: true,
    trpc: false,
    raw: true,
    handler: async ({ query }, caller, http) => {
      if (!http) return;
      const { res } = http;
      const chunks = uc.exportDemands(caller, query.format, query.departement);
      const first = await chunks.next(); // permission errors surface before any byte is sent
      res.type(query.format === "csv" ? "text/csv; charset=utf-8" : "application/xml; charset=utf-8");
      res.setHeader(
        "content-disposition",
        `attachment; filename="demandes-${query.departement}.${query.format === "csv" ? "csv" : "xml"}"`,
      );
      if (!first.done) res.write(first.value);
      for await (const chunk of chunks) res.write(chunk);
      res.end();
    },
  }),
});
export type Operations = ReturnType<typeof operations>;

/** The REST routes (outside systems). */
export const restRoutes = (uc: UseCases, options: { importMaxBytes?: number } = {}): RestRoute[] =>
  restRoutesOf(Object.values(operations(uc, options)));

/** The console's tRPC router; the console imports its type only. */
export const registrationRouter = (uc: UseCases) => trpcRouterOf(operations(uc));
export type RegistrationRouter = ReturnType<typeof registrationRouter>;

export const openApiFor = (routes: RestRoute[]) =>
  openApiDocument(
    {
      title: "Logis — enregistrement des demandes de logement social",
      version: "1.0.0",
      description: "Numéro unique, cycle de vie de la demande, doublons, gestion partagée entre guichets.",
    },
    routes,
    { labels: registrationLabels, schemas: sharedSchemas },
  );

import { createWriteStream } from "node:fs";
import { rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pipeline } from "node:stream/promises";
import { assertInDepartement } from "@logis/auth";
import { Departement, NumeroUnique } from "@logis/contracts";
import { AppError, newId } from "@logis/domain";
import { defineRoute, openApiDocument, type RestRoute } from "@logis/http";
import { z } from "zod";
import { RadiateInput, UpdateInput } from "../app/change-demand.js";
import { SearchInput } from "../app/read-demand.js";
import { RegisterInput } from "../app/register-demand.js";
import type { UseCases } from "../app/use-cases.js";
import { DEFAULT_IMPORT_MAX_BYTES } from "../config.js";
import { attestationHtml } from "./attestation-html.js";
import { callerOf } from "./caller.js";

const byNumero = z.object({ numeroUnique: NumeroUnique });
const tags = ["Demandes"];

type HandlerInput = Parameters<RestRoute["handler"]>[0];

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

/** The REST API for landlords' and partners' systems (documented at /openapi.json). */
export function restRoutes(
  uc: UseCases,
  { importMaxBytes = DEFAULT_IMPORT_MAX_BYTES }: { importMaxBytes?: number } = {},
): RestRoute[] {
  return [
    defineRoute({
      method: "post",
      path: "/v1/demandes",
      summary:
        "Enregistrer une demande (409 POSSIBLE_DUPLICATE tant que les doublons possibles n'ont pas été examinés)",
      tags,
      permission: "demand.register",
      body: RegisterInput,
      status: 201,
      handler: ({ ctx, body, req }) => uc.registerDemand(callerOf(ctx, req.header("x-correlation-id")), body),
    }),
    defineRoute({
      method: "get",
      path: "/v1/demandes",
      summary: "Rechercher des demandes (numéro, nom, commune souhaitée, statut), paginé",
      tags,
      permission: "demand.read",
      query: SearchInput,
      handler: ({ ctx, query }) => uc.searchDemands(callerOf(ctx), query),
    }),
    defineRoute({
      method: "get",
      path: "/v1/demandes/:numeroUnique",
      summary: "Lire le dossier complet (lecture tracée)",
      tags,
      permission: "demand.read",
      params: byNumero,
      handler: ({ ctx, params }) => uc.getDemand(callerOf(ctx), params.numeroUnique),
    }),
    defineRoute({
      method: "put",
      path: "/v1/demandes/:numeroUnique",
      summary: "Modifier la demande (version attendue, motif de la modification)",
      tags,
      permission: "demand.update",
      params: byNumero,
      body: UpdateInput,
      handler: ({ ctx, params, body, req }) =>
        uc.updateDemand(callerOf(ctx, req.header("x-correlation-id")), params.numeroUnique, body),
    }),
    defineRoute({
      method: "post",
      path: "/v1/demandes/:numeroUnique/renouvellement",
      summary: "Renouveler la demande pour une année (ancienneté et numéro conservés)",
      tags,
      permission: "demand.update",
      params: byNumero,
      handler: ({ ctx, params }) => uc.renewDemand(callerOf(ctx), params.numeroUnique),
    }),
    defineRoute({
      method: "post",
      path: "/v1/demandes/:numeroUnique/reactivation",
      summary: "Réactiver une demande annulée pour non-renouvellement, dans le délai légal",
      tags,
      permission: "demand.update",
      params: byNumero,
      handler: ({ ctx, params }) => uc.reactivateDemand(callerOf(ctx), params.numeroUnique),
    }),
    defineRoute({
      method: "post",
      path: "/v1/demandes/:numeroUnique/radiation",
      summary: "Radier la demande (motifs nationaux RADATT, RADABA, RADIRR, RADCON)",
      tags,
      permission: "demand.radiate",
      params: byNumero,
      body: RadiateInput,
      handler: ({ ctx, params, body }) => uc.radiateDemand(callerOf(ctx), params.numeroUnique, body),
    }),
    defineRoute({
      method: "get",
      path: "/v1/demandes/:numeroUnique/attestation",
      summary: "Attestation d'enregistrement (JSON ; HTML imprimable avec Accept: text/html)",
      tags,
      permission: "demand.read",
      params: byNumero,
      raw: true,
      handler: async ({ ctx, params, req, res }) => {
        const attestation = await uc.getAttestation(callerOf(ctx), params.numeroUnique);
        if (req.accepts(["application/json", "text/html"]) === "text/html")
          res.type("html").send(attestationHtml(attestation));
        else res.json(attestation);
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/demandes/:numeroUnique/historique",
      summary: "Historique des modifications, avis de renouvellement et lectures du dossier",
      tags,
      permission: "demand.read",
      params: byNumero,
      handler: ({ ctx, params }) => uc.getHistory(callerOf(ctx), params.numeroUnique),
    }),
    defineRoute({
      method: "post",
      path: "/v1/doublons/recherche",
      summary: "Chercher les doublons possibles d'une demande (même ménage dans le département)",
      tags: ["Doublons"],
      permission: "demand.duplicates",
      body: RegisterInput.shape.demande,
      handler: ({ ctx, body }) => uc.checkDuplicates(callerOf(ctx), body),
    }),
    defineRoute({
      method: "post",
      path: "/v1/doublons/analyses",
      summary: "Lancer l'analyse des doublons sur tout le stock d'un département (suivre l'avancement par GET)",
      tags: ["Doublons"],
      permission: "demand.duplicates",
      body: z.object({ departement: Departement }),
      status: 202,
      handler: ({ ctx, body }) => uc.startDuplicateScan(callerOf(ctx), body.departement),
    }),
    defineRoute({
      method: "get",
      path: "/v1/doublons/analyses/:id",
      summary: "Avancement et résultat d'une analyse des doublons (paires suspectées avec score et raisons)",
      tags: ["Doublons"],
      permission: "demand.duplicates",
      params: z.object({ id: z.string().regex(/^job_[a-z0-9]+$/, "identifiant d'analyse attendu") }),
      handler: ({ ctx, params }) => uc.getDuplicateScan(callerOf(ctx), params.id),
    }),
    defineRoute({
      method: "post",
      path: "/v1/imports",
      summary:
        "Importer un stock de demandes (corps : fichier SNE XML v02.01 ou CSV, taille limitée : 413 au-delà ; suivre l'avancement par GET)",
      tags: ["Échanges"],
      permission: "demand.import",
      query: ExchangeQuery,
      status: 202,
      handler: async ({ ctx, query, req, res }) => {
        const caller = callerOf(ctx);
        // Checked before the upload is stored, so that a refused caller uploads nothing.
        assertInDepartement(caller.principal, query.departement);
        const file = join(tmpdir(), `${newId("import")}.${query.format === "csv" ? "csv" : "xml"}`);
        await receiveUpload(req, res, file, importMaxBytes);
        return uc.startImport(caller, { format: query.format, departement: query.departement, file });
      },
    }),
    defineRoute({
      method: "get",
      path: "/v1/imports/:id",
      summary: "Avancement d'un import et rapport d'erreurs par enregistrement",
      tags: ["Échanges"],
      permission: "demand.import",
      params: z.object({ id: z.string().regex(/^imp_[a-z0-9]+$/, "identifiant d'import attendu") }),
      handler: ({ ctx, params }) => uc.getImport(callerOf(ctx), params.id),
    }),
    defineRoute({
      method: "get",
      path: "/v1/exports",
      summary: "Exporter les demandes d'un département (SNE XML v02.01 ou CSV), en flux",
      tags: ["Échanges"],
      permission: "demand.export",
      query: ExchangeQuery,
      raw: true,
      handler: async ({ ctx, query, res }) => {
        const chunks = uc.exportDemands(callerOf(ctx), query.format, query.departement);
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
  ];
}

const ExchangeQuery = z.object({
  format: z.enum(["sne-xml", "csv"]),
  departement: Departement,
});

export const openApiFor = (routes: RestRoute[]) =>
  openApiDocument(
    {
      title: "Logis — enregistrement des demandes de logement social",
      version: "1.0.0",
      description: "Numéro unique, cycle de vie de la demande, doublons, gestion partagée entre guichets.",
    },
    routes,
  );

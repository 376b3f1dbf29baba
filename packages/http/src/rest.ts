import { assertCan, type Permission } from "@logis/auth";
import { AppError, validationError } from "@logis/domain";
import type { Express, NextFunction, Request, Response } from "express";
import { z } from "zod";
import { type RequestContext, requestContext } from "./context.js";
import { ErrorBody, errorTable } from "./errors.js";

type Method = "get" | "post" | "put" | "patch" | "delete";

/** One REST endpoint: validated input, a declared permission (deny by default), documented output. */
export interface RestRoute<
  P extends z.ZodType = z.ZodType,
  Q extends z.ZodType = z.ZodType,
  B extends z.ZodType = z.ZodType,
> {
  method: Method;
  /** Express syntax: `/demands/:numeroUnique`. */
  path: string;
  summary: string;
  description?: string;
  /** Names the operation in OpenAPI (clients generated from it use it as the function name). */
  operationId?: string;
  tags?: string[];
  /** `"public"` must be said explicitly; anything else needs the permission. */
  permission: Permission | "public";
  params?: P;
  query?: Q;
  body?: B;
  response?: z.ZodType;
  status?: number;
  /** Streams or custom bodies (CSV, HTML): the handler writes the response itself. */
  raw?: boolean;
  /** A 202's tracking address, from the answer (sent as the Location header). */
  location?: (result: never) => string;
  /** The answer's media types other than JSON (documented in OpenAPI): `{ "text/csv": "…" }`. */
  produces?: Record<string, string>;
  /** A file to save: its `Content-Disposition` header is declared in OpenAPI. */
  attachment?: boolean;
  /** A body that is not JSON (an uploaded file): its media types, documented in OpenAPI. */
  consumes?: Record<string, string>;
  /** Marked deprecated in OpenAPI (still served). */
  deprecated?: boolean;
  handler: (input: {
    params: z.infer<P>;
    query: z.infer<Q>;
    body: z.infer<B>;
    ctx: RequestContext;
    req: Request;
    res: Response;
  }) => Promise<unknown>;
}

export const defineRoute = <P extends z.ZodType, Q extends z.ZodType, B extends z.ZodType>(route: RestRoute<P, Q, B>) =>
  route as unknown as RestRoute;

/** Validates one part of the request; query and path fields are named with their place (`query.page`). */
const scoped = (schema: z.ZodType | undefined, value: unknown, scope: "params" | "query" | "body") => {
  if (!schema) return value;
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const error = validationError(parsed.error);
  if (scope === "body" || !error.field) throw error;
  throw new AppError("VALIDATION", error.message, { field: `${scope}.${error.field}`, context: error.context });
};

export function mountRoutes(app: Express, routes: readonly RestRoute[]): void {
  for (const route of routes) {
    app[route.method](route.path, async (req: Request, res: Response, next: NextFunction) => {
      try {
        const ctx = requestContext(res);
        if (route.permission !== "public") assertCan(ctx.principal, route.permission);
        const params = scoped(route.params, req.params, "params");
        const query = scoped(route.query, req.query, "query");
        const body = scoped(route.body, req.body ?? {}, "body");
        const result = await route.handler({ params, query, body, ctx, req, res } as never);
        if (route.raw) return;
        if (route.location && result !== undefined) res.setHeader("location", route.location(result as never));
        if (result === undefined) res.status(route.status ?? 204).end();
        else res.status(route.status ?? 200).json(result);
      } catch (error) {
        next(error);
      }
    });
  }
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

/**
 * The labels of a coded value (`{ "1": "Monsieur", … }`) for an enum found at `path` in a schema
 * (JSON Schema path: `["properties", "demandeur", "properties", "civilite"]`), or undefined.
 */
export type CodeLabels = (
  values: readonly string[],
  path: readonly (string | number)[],
) => Record<string, string> | undefined;

type JsonSchemaNode = Record<string, unknown>;

/**
 * A zod schema as JSON Schema, as the wire carries it: a Date leaves as an ISO 8601 string (res.json),
 * coded values carry their labels (description, `x-enumDescriptions` for Redoc, `x-enum-descriptions`
 * for generators).
 */
const jsonSchema = (schema: z.ZodType, io: "input" | "output", labels?: CodeLabels, base: string[] = []) =>
  z.toJSONSchema(schema, {
    io,
    unrepresentable: "any",
    override: ({ zodSchema, jsonSchema: node, path }) => {
      const out = node as JsonSchemaNode;
      // An answer may gain fields (within a version, only optional fields are added): clients must accept them.
      if (io === "output" && out.additionalProperties === false) delete out.additionalProperties;
      if (zodSchema._zod.def.type === "date") {
        out.type = "string";
        out.format = "date-time";
      }
      const values = out.enum;
      if (!labels || out["x-enum-descriptions"] || !Array.isArray(values)) return;
      if (!values.every((v) => typeof v === "string")) return;
      const found = labels(values, [...base, ...path]);
      if (!found) return;
      const list = values.map((v) => found[v] ?? v);
      out["x-enumDescriptions"] = Object.fromEntries(values.map((v, i) => [v, list[i]]));
      out["x-enum-descriptions"] = list;
      const legend = values.map((v, i) => `${v} : ${list[i]}`).join(" ; ");
      out.description = out.description ? `${out.description} (${legend})` : legend;
    },
  }) as JsonSchemaNode;

/** A schema embedded in the document (its dialect is the document's: no `$schema` of its own). */
const embedded = (...args: Parameters<typeof jsonSchema>) => {
  const { $schema: _dialect, ...schema } = jsonSchema(...args);
  return schema;
};

/**
 * Shared schemas, declared once in `components.schemas` and referred to by `$ref` wherever the same
 * schema appears whole (recognised by its JSON Schema, so a schema is named only where it is exact).
 * The input form of a schema that reads differently as input (defaults, optional fields) is `<name>Saisie`.
 */
function sharedSchemas(named: Record<string, z.ZodType>, labels?: CodeLabels) {
  const byJson = new Map<string, string>();
  const definitions: Record<string, JsonSchemaNode> = {};
  for (const [name, schema] of Object.entries(named)) {
    const output = embedded(schema, "output", labels);
    const input = embedded(schema, "input", labels);
    const same = JSON.stringify(output) === JSON.stringify(input);
    definitions[name] = output;
    byJson.set(JSON.stringify(output), name);
    if (!same) {
      definitions[`${name}Saisie`] = input;
      byJson.set(JSON.stringify(input), `${name}Saisie`);
    }
  }
  const used = new Set<string>();
  const refer = (node: unknown, self?: string): unknown => {
    if (Array.isArray(node)) return node.map((n) => refer(n));
    if (typeof node !== "object" || node === null) return node;
    const name = byJson.get(JSON.stringify(node));
    if (name && name !== self) {
      used.add(name);
      return { $ref: `#/components/schemas/${name}` };
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, refer(v)]));
  };
  return {
    /** `schema` with the shared schemas it contains replaced by references. */
    refer: (schema: JsonSchemaNode) => refer(schema) as JsonSchemaNode,
    /** The shared schemas referred to (themselves referring to the others), for components. */
    components: () => {
      const out: Record<string, unknown> = {};
      // A shared schema may refer to another one that nothing else uses: follow until nothing is added.
      for (let before = -1; before !== used.size; ) {
        before = used.size;
        for (const name of [...used]) out[name] ??= refer(definitions[name], name);
      }
      return out;
    },
  };
}

const errorStatuses = [...new Set([...Object.values(errorTable).map((e) => e.status), 413, 415])]
  .sort((a, b) => a - b)
  .map(String);
const errorDescriptions: Record<string, string> = {
  "400": "Requête invalide : le champ en cause est nommé (error.field)",
  "401": "Authentification requise ou jeton invalide",
  "403": "Droit manquant pour cette opération ou ce territoire",
  "404": "Introuvable (ou hors de votre périmètre)",
  "409": "Conflit avec l'état courant (version modifiée entre-temps, doublon possible…)",
  "413": "Corps ou fichier trop volumineux",
  "415": "Type de contenu ou encodage non pris en charge",
  "422": "Règle métier non respectée (la règle est nommée)",
  "429": "Trop de requêtes : réessayez après Retry-After secondes",
  "500": "Erreur interne",
  "503": "Service momentanément indisponible : réessayez",
};

/** An OpenAPI 3.1 document generated from the same zod schemas that validate the requests. */
export function openApiDocument(
  info: { title: string; version: string; description?: string },
  routes: readonly RestRoute[],
  options: {
    labels?: CodeLabels;
    /** Schemas to declare once in components and refer to (`{ Demande: DemandView }`). */
    schemas?: Record<string, z.ZodType>;
  } = {},
) {
  const { labels } = options;
  const shared = sharedSchemas(options.schemas ?? {}, labels);
  const paths: Record<string, Record<string, unknown>> = {};
  for (const r of routes) {
    const parameters: unknown[] = [];
    for (const [where, schema] of [
      ["path", r.params],
      ["query", r.query],
    ] as const) {
      if (!(schema instanceof z.ZodObject)) continue;
      for (const [name, field] of Object.entries(schema.shape as Record<string, z.ZodType>)) {
        parameters.push({
          name,
          in: where,
          required: where === "path" || !field.safeParse(undefined).success,
          schema: embedded(field, "input", labels, [name]),
        });
      }
    }
    const status = String(r.status ?? (r.response || r.raw ? 200 : 204));
    const content: Record<string, unknown> = {};
    if (r.response) content["application/json"] = { schema: shared.refer(embedded(r.response, "output", labels)) };
    for (const [type, description] of Object.entries(r.produces ?? {}))
      content[type] = { schema: type.startsWith("application/json") ? {} : { type: "string", description } };
    const success: Record<string, unknown> = {
      description: status === "202" ? "Accepté : suivre l'avancement à l'adresse donnée" : "OK",
      ...(Object.keys(content).length ? { content } : {}),
      ...(status === "202"
        ? { headers: { Location: { description: "Adresse du suivi de l'avancement", schema: { type: "string" } } } }
        : r.attachment
          ? {
              headers: {
                "Content-Disposition": {
                  description: 'Le fichier à enregistrer et son nom : attachment; filename="…"',
                  schema: { type: "string" },
                },
              },
            }
          : {}),
    };
    const requestBody = r.body
      ? { required: true, content: { "application/json": { schema: shared.refer(embedded(r.body, "input", labels)) } } }
      : r.consumes
        ? {
            required: true,
            content: Object.fromEntries(
              Object.entries(r.consumes).map(([type, description]) => [
                type,
                { schema: { type: "string", format: "binary", description } },
              ]),
            ),
          }
        : undefined;
    const item = paths[toOpenApiPath(r.path)] ?? {};
    item[r.method] = {
      ...(r.operationId ? { operationId: r.operationId } : {}),
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      ...(r.tags ? { tags: r.tags } : {}),
      ...(r.deprecated ? { deprecated: true } : {}),
      ...(r.permission === "public" ? { security: [] } : { "x-permission": r.permission }),
      ...(parameters.length ? { parameters } : {}),
      ...(requestBody ? { requestBody } : {}),
      responses: {
        [status]: success,
        // One error shape, declared once in components and referred to (it was copied per answer).
        ...Object.fromEntries(errorStatuses.map((s) => [s, { $ref: `#/components/responses/Error${s}` }])),
      },
    };
    paths[toOpenApiPath(r.path)] = item;
  }
  return {
    openapi: "3.1.0",
    info,
    // Relative to where the document is served: each service serves its own at /openapi.json.
    servers: [{ url: "/", description: "Ce service (le document est servi par lui, à /openapi.json)" }],
    components: {
      securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } },
      schemas: { Error: embedded(ErrorBody, "output"), ...shared.components() },
      responses: Object.fromEntries(
        errorStatuses.map((s) => [
          `Error${s}`,
          {
            description: errorDescriptions[s] ?? "Erreur",
            ...(s === "429"
              ? {
                  headers: {
                    "Retry-After": { description: "Secondes avant de réessayer", schema: { type: "integer" } },
                  },
                }
              : {}),
            content: { "application/json": { schema: { $ref: "#/components/schemas/Error" } } },
          },
        ]),
      ),
    },
    security: [{ bearer: [] }],
    paths,
  };
}

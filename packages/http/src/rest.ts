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
        if (result === undefined) res.status(route.status ?? 204).end();
        else res.status(route.status ?? 200).json(result);
      } catch (error) {
        next(error);
      }
    });
  }
}

const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");
const jsonSchema = (schema: z.ZodType, io: "input" | "output") =>
  z.toJSONSchema(schema, { io, unrepresentable: "any" });

/** An OpenAPI 3.1 document generated from the same zod schemas that validate the requests. */
export function openApiDocument(
  info: { title: string; version: string; description?: string },
  routes: readonly RestRoute[],
) {
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
          schema: jsonSchema(field, "input"),
        });
      }
    }
    const errors = Object.fromEntries(
      [...new Set(Object.values(errorTable).map((e) => e.status))].map((status) => [
        String(status),
        { description: "Erreur", content: { "application/json": { schema: jsonSchema(ErrorBody, "output") } } },
      ]),
    );
    const item = paths[toOpenApiPath(r.path)] ?? {};
    item[r.method] = {
      ...(r.operationId ? { operationId: r.operationId } : {}),
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      ...(r.tags ? { tags: r.tags } : {}),
      ...(r.permission === "public" ? { security: [] } : { "x-permission": r.permission }),
      ...(parameters.length ? { parameters } : {}),
      ...(r.body
        ? { requestBody: { required: true, content: { "application/json": { schema: jsonSchema(r.body, "input") } } } }
        : {}),
      responses: {
        [String(r.status ?? (r.response ? 200 : 204))]: r.response
          ? { description: "OK", content: { "application/json": { schema: jsonSchema(r.response, "output") } } }
          : { description: "OK" },
        ...errors,
      },
    };
    paths[toOpenApiPath(r.path)] = item;
  }
  return {
    openapi: "3.1.0",
    info,
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", bearerFormat: "JWT" } } },
    security: [{ bearer: [] }],
    paths,
  };
}

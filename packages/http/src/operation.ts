import type { Permission, Principal } from "@logis/auth";
import { AppError } from "@logis/domain";
import type { TRPCBuiltRouter, TRPCMutationProcedure, TRPCQueryProcedure, TRPCRouterRecord } from "@trpc/server";
import type { Request, Response } from "express";
import { z } from "zod";
import type { RequestContext } from "./context.js";
import { defineRoute, type RestRoute } from "./rest.js";
import { authorizedProcedure, publicProcedure, router } from "./trpc.js";

/** Who calls a use case, built once by the HTTP layer for REST and tRPC alike. */
export interface Caller {
  principal: Principal;
  /** Ties together the events this call causes; taken from `x-correlation-id` when well formed. */
  correlationId: string;
  requestId: string;
}

/** The caller of a public operation: maybe anonymous. */
export type PublicCaller = Omit<Caller, "principal"> & { principal: Principal | undefined };

type Method = "get" | "post" | "put" | "patch" | "delete";
type TrpcKind = "query" | "mutation" | false | undefined;
type Obj = z.ZodObject;

/** The parts of an operation's input, as REST sees them (path, query string, body). */
export interface Parts<P extends Obj | undefined, Q extends Obj | undefined, B extends z.ZodType | undefined> {
  params: P extends Obj ? z.infer<P> : Record<string, never>;
  query: Q extends Obj ? z.infer<Q> : Record<string, never>;
  body: B extends z.ZodType ? z.infer<B> : undefined;
}

/**
 * One operation of a service: its input, output, permission (declared once) and handler, from which
 * come the REST route, the tRPC procedure and the OpenAPI entry. tRPC takes the path, query and body
 * fields as one object (`{ numeroUnique, ...body }`); a body that is not an object goes under `body`.
 */
export interface Operation<
  P extends Obj | undefined = Obj | undefined,
  Q extends Obj | undefined = Obj | undefined,
  B extends z.ZodType | undefined = z.ZodType | undefined,
  O = unknown,
  Perm extends Permission | "public" = Permission | "public",
  M extends Method = Method,
  T extends TrpcKind = TrpcKind,
> {
  /** The tRPC procedure name and the OpenAPI operationId. */
  name: string;
  summary: string;
  description?: string;
  tags?: string[];
  permission: Perm;
  params?: P;
  query?: Q;
  body?: B;
  /** Documents the answer (OpenAPI); the handler's type is checked against it. */
  output?: z.ZodType<O>;
  /** The REST route; absent for a console-only operation. `location`: a 202's tracking address. */
  rest?: { method: M; path: string; status?: number; location?: (output: O) => string };
  /** Media types of an answer that is not JSON (REST, documented in OpenAPI): `{ "text/csv": "…" }`. */
  produces?: Record<string, string>;
  /** The answer is a file to save (`Content-Disposition: attachment; filename=…`), declared in OpenAPI. */
  attachment?: boolean;
  /** Media types of a body that is not JSON (an uploaded file), documented in OpenAPI. */
  consumes?: Record<string, string>;
  /** `false`: REST only (uploads, streams, HTML); otherwise from the method (GET → query). */
  trpc?: T;
  handler: (
    input: Parts<P, Q, B>,
    caller: Perm extends "public" ? PublicCaller : Caller,
    http?: { req: Request; res: Response },
  ) => Promise<O>;
  /** REST only: the handler wrote the response itself (a stream, a page, a file). */
  raw?: boolean;
  /** Still served, but marked deprecated in OpenAPI (say what replaces it in the description). */
  deprecated?: boolean;
}

// biome-ignore lint/suspicious/noExplicitAny: a list of operations of any input and output
export type AnyOperation = Operation<any, any, any, any, any, any, any>;

export const defineOperation = <
  P extends Obj | undefined = undefined,
  Q extends Obj | undefined = undefined,
  B extends z.ZodType | undefined = undefined,
  O = unknown,
  Perm extends Permission | "public" = Permission,
  // The method and the tRPC kind are kept as literals: the console's router type needs them.
  M extends Method = Method,
  T extends TrpcKind = undefined,
>(
  op: Operation<P, Q, B, O, Perm, M, T>,
) => op;

/** The caller of a request: its principal, its correlation id and its request id (set by createHttpApp). */
export const callerOf = (ctx: RequestContext): PublicCaller => ({
  principal: ctx.principal,
  correlationId: ctx.correlationId,
  requestId: ctx.requestId,
});

const authenticated = (caller: PublicCaller): Caller => {
  if (!caller.principal) throw new AppError("UNAUTHENTICATED", "Authentification requise");
  return caller as Caller;
};

/** The REST routes of a set of operations (those that have one). */
export function restRoutesOf(operations: readonly AnyOperation[]): RestRoute[] {
  return operations
    .filter((op) => op.rest !== undefined)
    .map((op) => {
      const rest = op.rest as NonNullable<AnyOperation["rest"]>;
      return defineRoute({
        method: rest.method,
        path: rest.path,
        summary: op.summary,
        operationId: op.name,
        ...(op.description ? { description: op.description } : {}),
        ...(op.tags ? { tags: op.tags } : {}),
        permission: op.permission,
        ...(op.params ? { params: op.params } : {}),
        ...(op.query ? { query: op.query } : {}),
        ...(op.body ? { body: op.body } : {}),
        ...(op.output ? { response: op.output } : {}),
        ...(rest.status ? { status: rest.status } : {}),
        ...(rest.location ? { location: rest.location } : {}),
        ...(op.produces ? { produces: op.produces } : {}),
        ...(op.attachment ? { attachment: true } : {}),
        ...(op.consumes ? { consumes: op.consumes } : {}),
        ...(op.raw ? { raw: true } : {}),
        ...(op.deprecated ? { deprecated: true } : {}),
        handler: ({ params, query, body, ctx, req, res }) => {
          const caller = callerOf(ctx);
          return op.handler({ params, query, body }, op.permission === "public" ? caller : authenticated(caller), {
            req,
            res,
          });
        },
      } as RestRoute);
    });
}

/** tRPC's single input object: path and query fields, then the body's fields (or `body`). */
function flatInput(op: AnyOperation): {
  schema: z.ZodType;
  split(input: Record<string, unknown> | undefined): Parts<Obj, Obj, z.ZodType>;
} {
  const shape: Record<string, z.ZodType> = { ...(op.params?.shape ?? {}), ...(op.query?.shape ?? {}) };
  const bodyIsObject = op.body instanceof z.ZodObject;
  if (bodyIsObject) {
    for (const key of Object.keys((op.body as Obj).shape))
      if (key in shape) throw new Error(`operation ${op.name}: field ${key} is both in the path or query and the body`);
    Object.assign(shape, (op.body as Obj).shape);
  } else if (op.body) shape.body = op.body;
  const pick = (schema: Obj | undefined, input: Record<string, unknown>) =>
    Object.fromEntries(Object.keys(schema?.shape ?? {}).map((k) => [k, input[k]]));
  return {
    // Without any field the procedure takes no input at all (a tRPC GET without `?input=`).
    schema: Object.keys(shape).length === 0 ? z.object({}).optional() : z.object(shape),
    split: (input = {}) =>
      ({
        params: pick(op.params, input),
        query: pick(op.query, input),
        body: bodyIsObject ? pick(op.body as Obj, input) : input.body,
      }) as Parts<Obj, Obj, z.ZodType>,
  };
}

type Flat<Op> =
  Op extends Operation<infer P, infer Q, infer B, infer _O, infer _Perm, infer _M, infer _T>
    ? (P extends Obj ? z.input<P> : unknown) &
        (Q extends Obj ? z.input<Q> : unknown) &
        (B extends Obj ? z.input<B> : B extends z.ZodType ? { body: z.input<B> } : unknown)
    : never;
type OutputOf<Op> =
  Op extends Operation<infer _P, infer _Q, infer _B, infer O, infer _Perm, infer _M, infer _T> ? O : never;
type KindOf<Op> =
  // biome-ignore lint/suspicious/noExplicitAny: only the method and the tRPC kind matter here
  Op extends Operation<any, any, any, any, any, infer M, infer T>
    ? [T] extends ["mutation"]
      ? "mutation"
      : [T] extends ["query"]
        ? "query"
        : [M] extends ["get"]
          ? "query"
          : "mutation"
    : "mutation";
type ProcedureOf<Op> =
  KindOf<Op> extends "query"
    ? TRPCQueryProcedure<{ input: Flat<Op>; output: OutputOf<Op>; meta: object }>
    : TRPCMutationProcedure<{ input: Flat<Op>; output: OutputOf<Op>; meta: object }>;
type TrpcOps<Ops extends Record<string, AnyOperation>> = {
  // biome-ignore lint/suspicious/noExplicitAny: only the tRPC kind matters here
  [K in keyof Ops as Ops[K] extends Operation<any, any, any, any, any, any, false> ? never : K]: ProcedureOf<Ops[K]>;
};
type Root = ReturnType<typeof router>["_def"]["_config"]["$types"];

/** The tRPC router of a set of operations, typed for the console's client. */
export function trpcRouterOf<Ops extends Record<string, AnyOperation>>(
  operations: Ops,
): TRPCBuiltRouter<Root, TrpcOps<Ops>> {
  const procedures: TRPCRouterRecord = {};
  for (const [key, op] of Object.entries(operations)) {
    if (op.trpc === false) continue;
    const { schema, split } = flatInput(op);
    const kind = op.trpc ?? (op.rest?.method === "get" ? "query" : "mutation");
    const base = op.permission === "public" ? publicProcedure : authorizedProcedure(op.permission);
    const resolve = ({ ctx, input }: { ctx: RequestContext; input: unknown }) => {
      const caller = callerOf(ctx);
      return op.handler(
        split(input as Record<string, unknown> | undefined),
        op.permission === "public" ? caller : authenticated(caller),
      );
    };
    procedures[key] = kind === "query" ? base.input(schema).query(resolve) : base.input(schema).mutation(resolve);
  }
  return router(procedures) as unknown as TRPCBuiltRouter<Root, TrpcOps<Ops>>;
}

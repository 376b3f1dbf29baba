import type { CalRouter } from "@logis/cal/router";
import type { CotationRouter } from "@logis/cotation/router";
import type { FluxRouter } from "@logis/flux/router";
import type { ReportingRouter } from "@logis/reporting/router";
import { createTRPCClient, httpBatchLink, TRPCClientError } from "@trpc/client";
// The registration package's "./router" export names a file that does not exist: its type comes from the built operations.
import type { RegistrationRouter } from "../../../../registration/dist/http/operations.js";
import { frDatesIn } from "./format";
import { getSession, setSession } from "./session";

const headers = () => {
  const token = getSession()?.token;
  return token ? { authorization: `Bearer ${token}` } : {};
};

/** The services' tRPC routers, typed from their own operations; every call carries the user's token. */
export const registration = createTRPCClient<RegistrationRouter>({
  links: [httpBatchLink({ url: "/svc/registration/trpc", headers })],
});
export const cotation = createTRPCClient<CotationRouter>({
  links: [httpBatchLink({ url: "/svc/cotation/trpc", headers })],
});

/** The error data the services put on a refusal (packages/http errorFormatter). */
export interface ServiceErrorData {
  httpStatus?: number;
  appCode?: string;
  reason?: string;
  field?: string;
  issues?: { path: (string | number)[]; message: string }[];
  details?: unknown;
}

export class RestError extends Error {
  constructor(
    message: string,
    readonly status: number,
    readonly data: ServiceErrorData,
  ) {
    super(message);
  }
}

export function errorData(error: unknown): ServiceErrorData {
  if (error instanceof TRPCClientError) return (error.data ?? {}) as ServiceErrorData;
  if (error instanceof RestError) return error.data;
  return {};
}

/** The HTTP status of a refusal: from the services' error data, or from the response itself. */
export function statusOf(error: unknown): number | undefined {
  const data = errorData(error);
  if (data.httpStatus !== undefined) return data.httpStatus;
  if (error instanceof RestError) return error.status;
  if (error instanceof TRPCClientError) {
    const response = (error.meta as { response?: { status?: unknown } } | undefined)?.response;
    if (typeof response?.status === "number") return response.status;
  }
  return undefined;
}

const unavailable =
  "Le service ne répond pas : réessayez dans un instant, ou prévenez l'équipe d'exploitation si cela dure.";

/** A French sentence that says what happened and what to do; never a message meant for developers. */
export function messageOf(error: unknown): string {
  const status = statusOf(error);
  if (status === 401) {
    setSession(undefined);
    return "Votre session a expiré : reconnectez-vous.";
  }
  if (status === 403)
    return `Accès refusé : ${error instanceof Error ? error.message : "droit manquant"}. Demandez l'habilitation à votre administrateur.`;
  if (status === 502 || status === 503 || status === 504) return unavailable;
  if (status !== undefined && status >= 500)
    return "Le service a rencontré une erreur inattendue : réessayez ; si elle se reproduit, prévenez l'équipe d'exploitation en indiquant l'heure.";
  if (error instanceof TypeError || (error instanceof Error && error.cause instanceof TypeError))
    return "Le réseau ne répond pas : vérifiez votre connexion puis réessayez.";
  // A service's refusal carries its French message; an answer without the services' error shape does not.
  if (error instanceof TRPCClientError && error.data === undefined && status === undefined) return unavailable;
  if (error instanceof Error && error.message) return frDatesIn(error.message);
  return "Erreur inattendue : réessayez, puis prévenez l'équipe d'exploitation si elle se reproduit.";
}

/** A REST call through the console's server (files, HTML, uploads: what tRPC does not carry). */
export async function rest(
  service: "registration" | "cotation" | "flux" | "cal" | "reporting",
  path: string,
  init: RequestInit = {},
) {
  const res = await fetch(`/svc/${service}${path}`, {
    ...init,
    headers: { ...headers(), ...((init.headers as Record<string, string> | undefined) ?? {}) } as Record<
      string,
      string
    >,
  });
  if (!res.ok) {
    let body: { error?: { message?: string } & ServiceErrorData } = {};
    try {
      body = await res.json();
    } catch {
      // not JSON
    }
    throw new RestError(body.error?.message ?? `Erreur ${res.status}`, res.status, {
      ...body.error,
      httpStatus: res.status,
    });
  }
  return res;
}

/**
 * A GET operation's procedure, called as the tRPC query it is (typed as such by @logis/http). Pages
 * written when every procedure was typed as a mutation call it through here; both kinds work.
 */
export function query<P extends { query: (...args: never[]) => Promise<unknown> }>(procedure: P): P["query"];
export function query<P extends { mutate: (...args: never[]) => Promise<unknown> }>(procedure: P): P["mutate"];
export function query(procedure: { query?: unknown; mutate?: unknown }) {
  return (procedure.query ?? procedure.mutate) as unknown;
}

export const flux = createTRPCClient<FluxRouter>({
  links: [httpBatchLink({ url: "/svc/flux/trpc", headers })],
});

export const cal = createTRPCClient<CalRouter>({
  links: [httpBatchLink({ url: "/svc/cal/trpc", headers })],
});
export const reporting = createTRPCClient<ReportingRouter>({
  links: [httpBatchLink({ url: "/svc/reporting/trpc", headers })],
});

/**
 * Downloads a file a service answers over REST (CSV…) with the user's token, under the name the
 * service gives (content-disposition) or `fallback`; resolves to its size in bytes.
 */
export async function download(
  service: Parameters<typeof rest>[0],
  path: string,
  fallback: string,
): Promise<{ size: number; name: string }> {
  const res = await rest(service, path);
  const name = res.headers.get("content-disposition")?.match(/filename="([^"]+)"/)?.[1] ?? fallback;
  const blob = await res.blob();
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
  return { size: blob.size, name };
}

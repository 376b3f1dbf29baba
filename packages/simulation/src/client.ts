import { AsyncLocalStorage } from "node:async_hooks";
import { createLocalIssuer, type KeyPairJwk, type Principal } from "@logis/auth";

/** The services the simulation drives (cotation: the EPCIs' grids; it scores on its own from the demand events). */
export const SERVICES = ["registration", "cotation", "flux", "cal", "reporting"] as const;
export type Service = (typeof SERVICES)[number];
export type Urls = Record<Service, string>;

export const defaultUrls = (host = "127.0.0.1"): Urls => ({
  registration: `http://${host}:3001`,
  cotation: `http://${host}:3002`,
  flux: `http://${host}:3003`,
  cal: `http://${host}:3004`,
  reporting: `http://${host}:3005`,
});

export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: other services' JSON answers, read field by field where used
  body: any;
}

/** Counts the calls of the phase in progress (for the throughput and the raw-HTTP baseline). */
export interface Meter {
  calls: number;
  byService: Partial<Record<Service, number>>;
}

/**
 * The calls of the phase in progress, whatever the service: phases that run side by side on one
 * service count their own calls only (each phase runs its work inside `phaseCalls.run`).
 */
export const phaseCalls = new AsyncLocalStorage<{ calls: number }>();

export class ServiceError extends Error {
  constructor(
    readonly service: Service,
    readonly status: number,
    readonly body: unknown,
    what: string,
  ) {
    super(`${service} ${what} : ${status} ${JSON.stringify(body).slice(0, 600)}`);
  }
}

const wait = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Calls the services as given principals (tokens signed with the local issuer's keys, as the demo
 * seeds do). Retries what a restarting or busy service answers (connection refused, 502/503, 429
 * after its Retry-After, 409 STALE_VERSION: nothing of ours was stale) a few times; any other answer
 * is returned to the caller.
 */
export function serviceClient(urls: Urls, keys: KeyPairJwk) {
  const issuer = createLocalIssuer({ privateJwk: keys.privateJwk, issuer: "logis-local", audience: "logis" });
  const tokens = new Map<string, Promise<string>>();
  const meter: Meter = { calls: 0, byService: {} };

  const tokenOf = (who: Principal) => {
    let t = tokens.get(who.userId);
    if (!t) {
      t = issuer.issue(who, 12 * 3600);
      tokens.set(who.userId, t);
    }
    return t;
  };

  async function call(who: Principal, service: Service, method: string, path: string, body?: unknown): Promise<Answer> {
    // A string is an upload (the CSV files of the imports); anything else goes as JSON.
    const contentType = typeof body === "string" ? "text/csv; charset=utf-8" : "application/json";
    const headers = { authorization: `Bearer ${await tokenOf(who)}`, "content-type": contentType };
    const payload = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      meter.calls++;
      meter.byService[service] = (meter.byService[service] ?? 0) + 1;
      const own = phaseCalls.getStore();
      if (own) own.calls++;
      try {
        const res = await fetch(`${urls[service]}${path}`, {
          method,
          headers,
          ...(payload === undefined ? {} : { body: payload }),
        });
        const text = await res.text();
        if ((res.status === 429 || res.status === 502 || res.status === 503) && attempt < 8) {
          const after = Number(res.headers.get("retry-after"));
          await wait(Number.isFinite(after) && after > 0 ? Math.min(after, 30) * 1000 : 250 * 2 ** attempt);
          continue;
        }
        let json: unknown = text;
        try {
          json = JSON.parse(text);
        } catch {}
        // Two changes of one demand at once (a household answering two offers): the service reloads it.
        if (
          res.status === 409 &&
          (json as { error?: { reason?: string } })?.error?.reason === "STALE_VERSION" &&
          attempt < 8
        ) {
          await wait(50 * 2 ** attempt);
          continue;
        }
        return { status: res.status, body: json };
      } catch (error) {
        if (attempt >= 8) throw error;
        await wait(250 * 2 ** Math.min(attempt, 5));
      }
    }
  }

  /** Like `call`, but anything outside `ok` (2xx by default) throws with the service's answer. */
  async function must(
    who: Principal,
    service: Service,
    method: string,
    path: string,
    body?: unknown,
    ok: number[] = [],
  ) {
    const a = await call(who, service, method, path, body);
    if ((a.status < 200 || a.status >= 300) && !ok.includes(a.status))
      throw new ServiceError(service, a.status, a.body, `${method} ${path}`);
    return a;
  }

  /** Whether the service answers its readiness probe. */
  async function ready(service: Service): Promise<boolean> {
    try {
      const res = await fetch(`${urls[service]}/readyz`, { signal: AbortSignal.timeout(3000) });
      await res.arrayBuffer();
      return res.ok;
    } catch {
      return false;
    }
  }

  /** One raw round trip to the trivial /healthz endpoint: the baseline of the services' own work. */
  async function healthz(service: Service): Promise<void> {
    const res = await fetch(`${urls[service]}/healthz`);
    await res.arrayBuffer();
  }

  return { call, must, ready, healthz, meter, urls };
}
export type ServiceClient = ReturnType<typeof serviceClient>;

/** Runs `fn` over `items` with at most `concurrency` at a time, in order of start. */
export async function pool<T>(items: readonly T[], concurrency: number, fn: (item: T, i: number) => Promise<void>) {
  let next = 0;
  const workers = Array.from({ length: Math.min(concurrency, items.length) }, async () => {
    for (;;) {
      const i = next++;
      if (i >= items.length) return;
      await fn(items[i] as T, i);
    }
  });
  await Promise.all(workers);
}

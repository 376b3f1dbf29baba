import { request } from "node:http";
import { gzipSync } from "node:zlib";
import type { RestRoute } from "@logis/http";

// Hostile requests generated from a service's route tables (REST routes and tRPC procedures), so
// that a new route is covered without writing anything. Each case says what it sends; `check`
// says what is wrong with the answer (never a 5xx; a 400 from a schema names the field sent wrong).

type Schema = { safeParse(v: unknown): { success: boolean }; shape?: Record<string, Schema>; options?: unknown[] };

export interface HostileCase {
  name: string;
  method: string;
  path: string;
  headers?: Record<string, string>;
  body?: string | Buffer;
  /** A field the answer must name when it is a 400 refusing the input (the value sent is invalid for it). */
  field?: string;
  /** The status the answer must have, when only one is right. */
  status?: number;
}

const CANDIDATES: unknown[] = [
  "0690326000000001AA",
  "69",
  "200046977",
  "job_abc123",
  "imp_abc123",
  "grd_200046977_unique.v1",
  "2026-11-22",
  "csv",
  "Dupont",
  "1",
  1,
  true,
];

/** A value the schema accepts, when one of a few plausible ones does (undefined otherwise). */
function sample(schema: Schema | undefined): unknown {
  if (!schema) return undefined;
  for (const v of [...(schema.options ?? []), ...CANDIDATES]) if (schema.safeParse(v).success) return v;
  return undefined;
}

/** An object of the schema's fields with accepted values where one was found (query strings). */
function sampleObject(schema: Schema | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, field] of Object.entries(schema?.shape ?? {})) {
    const v = sample(field);
    if (v !== undefined && field.safeParse(undefined).success === false) out[k] = String(v);
  }
  return out;
}

const deep = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;

/** Values no well-made schema should choke on. */
const HOSTILE_VALUES: { label: string; json: string }[] = [
  { label: "null", json: "null" },
  { label: "operator object", json: '{"$gt":""}' },
  { label: "array", json: '["a",{"$where":"1"}]' },
  { label: "NUL string", json: '"\\u0000"' },
  { label: "bidi override", json: '"\\u202e\\u202e"' },
  { label: "huge number", json: "1e999" },
  { label: "long string", json: JSON.stringify("x".repeat(200_000)) },
  { label: "nested 5000", json: deep(5_000) },
];

const PATH_VALUES = [
  "%ZZ",
  "%",
  "%C0%AF",
  "%E0%A4%A",
  "..%2F..%2Fetc",
  "%00",
  "x".repeat(5_000),
  "%F0%9F%99%82",
  "'%20OR%201=1",
];

const json = { "content-type": "application/json" };

/** Transport-level hostility, the same for every route. */
function transportCases(method: string, path: string): HostileCase[] {
  const m = method.toUpperCase();
  return [
    { name: "body nested 20000 levels", method: m, path, headers: json, body: deep(20_000) },
    {
      name: "array nested 100000 levels",
      method: m,
      path,
      headers: json,
      body: `${"[".repeat(100_000)}${"]".repeat(100_000)}`,
    },
    { name: "malformed JSON", method: m, path, headers: json, body: '{"a":' },
    {
      name: "unknown charset",
      method: m,
      path,
      headers: { "content-type": "application/json; charset=klingon" },
      body: "{}",
    },
    {
      name: "unknown Content-Encoding",
      method: m,
      path,
      headers: { ...json, "content-encoding": "klingon" },
      body: "{}",
    },
    { name: "lying Content-Encoding", method: m, path, headers: { ...json, "content-encoding": "gzip" }, body: "{}" },
    {
      name: "truncated gzip",
      method: m,
      path,
      headers: { ...json, "content-encoding": "gzip" },
      body: gzipSync("{}").subarray(0, 8),
    },
    {
      name: "prototype pollution",
      method: m,
      path,
      headers: json,
      body: '{"__proto__":{"roles":["platform-admin"]},"constructor":{"prototype":{"x":1}}}',
    },
    { name: "text body", method: m, path, headers: { "content-type": "text/plain" }, body: "bonjour" },
  ];
}

/** Cases for every REST route: path parameters, query fields and body fields, one at a time. */
export function restCases(routes: readonly RestRoute[]): HostileCase[] {
  const cases: HostileCase[] = [];
  for (const r of routes) {
    const params = (r.params as Schema | undefined)?.shape ?? {};
    const validParams = Object.fromEntries(Object.entries(params).map(([k, s]) => [k, String(sample(s) ?? "abc")]));
    const pathWith = (values: Record<string, string>) =>
      r.path.replace(/:([A-Za-z0-9_]+)/g, (_, k: string) => values[k] ?? encodeURIComponent(validParams[k] ?? "abc"));
    const query = sampleObject(r.query as Schema | undefined);
    /** The query string, with one field sent raw (already encoded, or deliberately not). */
    const qs = (q: Record<string, string>, raw?: [string, string]) => {
      const parts = Object.entries(q)
        .filter(([k]) => k !== raw?.[0])
        .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`);
      if (raw) parts.push(`${raw[0]}=${raw[1]}`);
      return parts.length ? `?${parts.join("&")}` : "";
    };
    const base = `${pathWith({})}${qs(query)}`;
    const m = r.method.toUpperCase();
    const tag = `${m} ${r.path}`;
    for (const name of Object.keys(params))
      for (const v of PATH_VALUES)
        cases.push({
          name: `${tag}: path ${name}=${v.slice(0, 20)}`,
          method: m,
          path: `${pathWith({ [name]: v })}${qs(query)}`,
        });
    for (const [name, field] of Object.entries((r.query as Schema | undefined)?.shape ?? {})) {
      for (const v of ["%ZZ", "x".repeat(5_000), "\u0000", "-1", "1e999"]) {
        const wrong = v !== "%ZZ" && !field.safeParse(v).success;
        cases.push({
          name: `${tag}: query ${name}=${v.slice(0, 10)}`,
          method: m,
          path: `${pathWith({})}${qs(query, [name, v === "%ZZ" ? v : encodeURIComponent(v)])}`,
          ...(wrong ? { field: `query.${name}` } : {}),
        });
      }
      cases.push({
        name: `${tag}: query ${name} twice`,
        method: m,
        path: `${base}${base.includes("?") ? "&" : "?"}${name}=a&${name}=b`,
      });
    }
    for (const c of transportCases(r.method, base)) cases.push({ ...c, name: `${tag}: ${c.name}` });
    const body = r.body as Schema | undefined;
    if (body) {
      for (const root of ["null", "[]", '"x"', "42", "{}"])
        cases.push({ name: `${tag}: body ${root}`, method: m, path: base, headers: json, body: root });
      for (const [name, field] of Object.entries(body.shape ?? {}))
        for (const v of HOSTILE_VALUES) {
          const wrong = !field.safeParse(JSON.parse(v.json)).success && !v.label.startsWith("nested");
          cases.push({
            name: `${tag}: body ${name}=${v.label}`,
            method: m,
            path: base,
            headers: json,
            body: `{"${name}":${v.json}}`,
            ...(wrong ? { field: name } : {}),
          });
        }
    }
  }
  return cases;
}

/** Cases for every tRPC procedure: input as a whole and field by field, batches, paths. */
export function trpcCases(appRouter: { _def: object }, mount = "/trpc", maxBatch = 20): HostileCase[] {
  const cases: HostileCase[] = [];
  const procedures = (appRouter._def as { procedures: Record<string, { _def: { type: string; inputs: Schema[] } }> })
    .procedures;
  for (const [name, proc] of Object.entries(procedures)) {
    const query = proc._def.type === "query";
    const send = (input: string, field?: string): HostileCase =>
      query
        ? {
            name: "",
            method: "GET",
            path: `${mount}/${name}?input=${encodeURIComponent(input)}`,
            ...(field ? { field } : {}),
          }
        : {
            name: "",
            method: "POST",
            path: `${mount}/${name}`,
            headers: json,
            body: input,
            ...(field ? { field } : {}),
          };
    for (const root of ["null", "[]", '"x"', "42", "{}", deep(3_000)])
      cases.push({ ...send(root), name: `trpc ${name}: input ${root.slice(0, 10)}` });
    const input = proc._def.inputs[0];
    for (const [field, schema] of Object.entries(input?.shape ?? {}))
      for (const v of HOSTILE_VALUES) {
        if (query && v.json.length > 2_000) continue; // a URL that long is refused before it reaches anything
        const wrong = !schema.safeParse(JSON.parse(v.json)).success && !v.label.startsWith("nested");
        cases.push({
          ...send(`{"${field}":${v.json}}`, wrong ? field : undefined),
          name: `trpc ${name}: ${field}=${v.label}`,
        });
      }
    if (!query)
      for (const c of transportCases("post", `${mount}/${name}`)) cases.push({ ...c, name: `trpc ${name}: ${c.name}` });
    cases.push({
      name: `trpc ${name}: malformed input param`,
      method: "GET",
      path: `${mount}/${name}?input=%7B%22a%22%3A`,
    });
    cases.push({ name: `trpc ${name}: input twice`, method: "GET", path: `${mount}/${name}?input=1&input=2` });
    const batch = Array.from({ length: maxBatch + 5 }, () => name).join(",");
    cases.push({
      name: `trpc ${name}: batch of ${maxBatch + 5}`,
      method: query ? "GET" : "POST",
      path: `${mount}/${batch}?batch=1${query ? "&input=%7B%7D" : ""}`,
      status: 400,
      ...(query ? {} : { headers: json, body: "{}" }),
    });
  }
  cases.push({ name: "trpc: bad percent-encoding in the procedure", method: "GET", path: `${mount}/%ZZ` });
  cases.push({ name: "trpc: unknown procedure", method: "GET", path: `${mount}/nope.nope` });
  return cases;
}

export interface Answer {
  status: number;
  body: any;
}

/** Sends one case as it is (no normalisation of the path or headers), with `auth` as Authorization. */
export function send(base: string, c: HostileCase, auth: string): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request(
      `${base}${c.path}`,
      {
        method: c.method,
        headers: {
          authorization: auth,
          // A body is framed as a client frames it: Node sends a GET's body without any length,
          // which the server can only read as a malformed next request.
          ...(typeof c.body === "string" || Buffer.isBuffer(c.body)
            ? { "content-length": String(Buffer.byteLength(c.body)) }
            : {}),
          ...c.headers,
        },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (chunk: Buffer) => chunks.push(chunk));
        res.on("end", () => {
          const text = Buffer.concat(chunks).toString();
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {}
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on("error", reject);
    if (c.body !== undefined) req.write(c.body);
    req.end();
  });
}

/** What is wrong with an answer to a hostile case (undefined: nothing). */
export function check(c: HostileCase, a: Answer): string | undefined {
  if (a.status >= 500 || a.status < 200) return `${c.name}: ${a.status} ${JSON.stringify(a.body).slice(0, 300)}`;
  if (c.status !== undefined && a.status !== c.status) return `${c.name}: ${a.status} instead of ${c.status}`;
  if (c.field && a.status === 400) {
    const error = a.body?.error;
    const named = [
      error?.field,
      error?.data?.field,
      ...(error?.issues ?? error?.data?.issues ?? []).map((i: { path: string }) => i.path),
    ]
      .filter((f): f is string => typeof f === "string")
      .map((f) => f.replace(/^(params|query|body)\./, ""));
    const want = c.field.replace(/^(params|query|body)\./, "");
    const reason = error?.reason ?? error?.data?.reason;
    if (
      !["TOO_DEEP", "MALFORMED_JSON", "PAYLOAD_TOO_LARGE"].includes(reason) &&
      !named.some((f) => f === want || f.startsWith(`${want}.`) || f.startsWith(`${want}[`))
    )
      return `${c.name}: 400 without naming ${c.field}: ${JSON.stringify(error).slice(0, 300)}`;
  }
  return undefined;
}

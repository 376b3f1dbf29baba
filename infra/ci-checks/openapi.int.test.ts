import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { createConfig, lintFromString } from "@redocly/openapi-core";
import openapiTS, { astToString } from "openapi-typescript";
import ts from "typescript";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { referencePage } from "../../packages/http/dist/index.js";
import { demandFormInput } from "../../packages/testing/dist/index.js";
import { type RegistrationHarness, registrationHarness } from "../../services/registration/src/testing/harness.js";
import { openApiDocuments, services } from "./openapi-documents.js";

// The documents cannot drift from the code: each service's OpenAPI document, built from its
// operations, passes Redocly's recommended rules without an error, and a client generated from
// registration's (openapi-typescript + openapi-fetch) compiles with tsc and reads real answers of
// the service on the real engines.

const here = dirname(fileURLToPath(import.meta.url));
const cache = join(here, ".cache");
let docs: Awaited<ReturnType<typeof openApiDocuments>>;
let h: RegistrationHarness;

beforeAll(async () => {
  [docs, h] = await Promise.all([openApiDocuments(), registrationHarness("2026-10-01T09:00:00.000Z")]);
});
afterAll(async () => {
  await h?.close();
});

/** tsc's diagnostics for `files` (strict, as the services compile), one line each. */
function compile(files: string[]): string[] {
  const program = ts.createProgram(files, {
    strict: true,
    noEmit: true,
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    skipLibCheck: true,
    types: ["node"],
  });
  return ts
    .getPreEmitDiagnostics(program)
    .map((d) => `${d.file?.fileName ?? ""}: TS${d.code} ${ts.flattenDiagnosticMessageText(d.messageText, " ")}`);
}

describe("OpenAPI documents", () => {
  it.each(services)("%s: Redocly's recommended rules find no error", async (service) => {
    const config = await createConfig({ extends: ["recommended"] });
    const problems = await lintFromString({
      source: JSON.stringify(docs[service]),
      absoluteRef: `/${service}/openapi.json`,
      config,
    });
    const errors = problems
      .filter((p) => p.severity === "error")
      .map((p) => `${p.ruleId} ${p.location[0]?.pointer ?? ""}: ${p.message}`);
    expect(errors).toEqual([]);
  });

  it.each(services)("%s: the reference page shows every operation", (service) => {
    const page = referencePage(docs[service]);
    const paths = (docs[service] as { paths: Record<string, Record<string, Op>> }).paths;
    for (const item of Object.values(paths))
      for (const op of Object.values(item)) expect(page).toContain(`id="${op.operationId}"`);
  });

  // Every answer has its body described: a JSON schema, or the media types of a file or a page.
  it.each([
    ["registration", 22],
    ["flux", 21],
    ["cotation", 11],
  ] as const)("%s: every operation named, and every answer described", (service, count) => {
    const operations = Object.values((docs[service] as { paths: Record<string, Record<string, Op>> }).paths).flatMap(
      (item) => Object.values(item),
    );
    expect(operations.length).toBeGreaterThanOrEqual(count);
    for (const op of operations) {
      expect(op.operationId).toBeTruthy();
      const success = Object.entries(op.responses).find(([code]) => code.startsWith("2"))?.[1];
      expect(success?.content, op.operationId).toBeDefined();
    }
  });
});

type Op = { operationId?: string; responses: Record<string, { content?: Record<string, unknown> }> };

describe("a client generated from registration's document", () => {
  beforeAll(async () => {
    mkdirSync(cache, { recursive: true });
    writeFileSync(join(cache, "registration-api.ts"), astToString(await openapiTS(docs.registration as never)));
  });

  it("compiles, and a field the answers do not have is a compile error", () => {
    const client = join(here, "registration-client.ts");
    const wrong = join(cache, "wrong-field.ts");
    writeFileSync(
      wrong,
      `import type { paths } from "./registration-api.js";
type File = paths["/v1/demandes/{numeroUnique}"]["get"]["responses"][200]["content"]["application/json"];
export const numero = (f: File): string => f.numeroUnique;
export const wrong = (f: File) => f.pasUnChamp;
export const wrongStatus = (f: File): "archived" => f.status;\n`,
    );
    // One program for both files: the generated types and Node's are read once.
    const errors = compile([client, wrong]);
    expect(errors.filter((e) => e.startsWith(client))).toEqual([]);
    expect(errors).toHaveLength(2);
    expect(errors[0]).toContain("TS2339"); // pasUnChamp does not exist on the file
    expect(errors[1]).toContain("TS2322"); // a status the document does not list
  });

  it("reads real answers of the service on the engines", async () => {
    const form = demandFormInput();
    const registered = await h.call("guichet", "POST", "/v1/demandes", { demande: form });
    expect(registered.status).toBe(201);
    const numero: string = registered.body.demand.numeroUnique;

    const { registrationClient, readDemand, startScan } = await import("./registration-client.js");
    const client = registrationClient(h.base, await h.authHeader("guichet"));
    const read = await readDemand(client, numero);
    expect(read).toMatchObject({
      numeroUnique: numero,
      statut: "active",
      validUntil: "2027-10-01T09:00:00.000Z",
      civilite: form.demandeur.civilite,
      typologies: form.souhaits.typologies,
      trouves: [numero],
    });
    expect(read.lectures).toContain("file");
    const scan = await startScan(client, "69");
    expect(scan).toMatchObject({ status: 202, location: `/v1/doublons/analyses/${scan.id}` });
  });

  it("the service serves its reference page at /docs, every operation on it", async () => {
    const res = await fetch(`${h.base}/docs`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toContain("text/html");
    const page = await res.text();
    const served = (await (await fetch(`${h.base}/openapi.json`)).json()) as {
      paths: Record<string, Record<string, Op>>;
    };
    for (const item of Object.values(served.paths))
      for (const op of Object.values(item)) expect(page).toContain(`id="${op.operationId}"`);
    expect(page).toContain("<li><code>2</code> : Madame</li>"); // a civilité, labelled
  });
});

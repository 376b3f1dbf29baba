// Every service's OpenAPI document, built from its operations (http/operations.ts) as its compose.ts
// builds it, without starting the engines: the operations are declared with use cases that are never
// called here (a stand-in answers any property or call). Run alone, it writes the documents:
//   pnpm exec tsx infra/ci-checks/openapi-documents.ts [dir]     (default: infra/ci-checks/.cache)
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { type AnyOperation, openApiDocument, restRoutesOf } from "../../packages/http/dist/index.js";

/** Stands for any use case, clock or setting: operations only keep them in their handlers' closures. */
const standIn: unknown = new Proxy(() => undefined, {
  get: (_target, key) => (key === Symbol.toPrimitive ? () => 1 : key === "then" ? undefined : standIn),
  apply: () => standIn,
});

type Operations = (...args: unknown[]) => Record<string, AnyOperation>;
const root = join(dirname(fileURLToPath(import.meta.url)), "../..");
const operationsOf = async (service: string) =>
  ((await import(join(root, "services", service, "src/http/operations.ts"))) as { operations: Operations }).operations;
const routesOf = async (service: string) =>
  restRoutesOf(Object.values((await operationsOf(service))(standIn, standIn, standIn, standIn, standIn, standIn)));

/** The services that serve REST with an OpenAPI document, and how each titles it (as in its compose.ts). */
export const services = ["registration", "cotation", "flux", "cal", "reporting"] as const;
const titles: Record<(typeof services)[number], string> = {
  registration: "Logis — enregistrement des demandes de logement social",
  cotation: "Logis — cotation",
  flux: "Logis — gestion en flux",
  cal: "Logis — cal",
  reporting: "Logis — reporting",
};

export async function openApiDocuments(): Promise<Record<(typeof services)[number], object>> {
  const docs: Record<string, object> = {};
  for (const service of services) {
    const routes = await routesOf(service);
    // Registration titles its document and labels its codes itself (openApiFor).
    const own = (await import(join(root, "services", service, "src/http/operations.ts"))) as {
      openApiFor?: (r: typeof routes) => object;
    };
    docs[service] = own.openApiFor
      ? own.openApiFor(routes)
      : openApiDocument({ title: titles[service], version: "1.0.0" }, routes);
  }
  return docs as Record<(typeof services)[number], object>;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2] ?? join(root, "infra/ci-checks/.cache");
  mkdirSync(dir, { recursive: true });
  for (const [service, doc] of Object.entries(await openApiDocuments())) {
    writeFileSync(join(dir, `${service}.openapi.json`), `${JSON.stringify(doc, null, 2)}\n`);
    console.log(`${service}: ${join(dir, `${service}.openapi.json`)}`);
  }
}

#!/usr/bin/env node
// Creates a new service in the one shape, from infra/templates/service:
//   pnpm new:service <name> <port>        e.g. pnpm new:service cal 3004
// Copies the template (its example aggregate included: replace it with the service's own), renames
// the package, the service, its database, its topic and its harness, then says what to do next.
import { cpSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../..", import.meta.url));
const template = fileURLToPath(new URL("service", import.meta.url));
const [name, port, ...rest] = process.argv.slice(2);
const into = rest[0] === "--into" ? rest[1] : undefined;

function fail(message) {
  console.error(`new-service: ${message}`);
  process.exit(2);
}
if (!name || !/^[a-z][a-z0-9-]{1,30}$/.test(name))
  fail("a name in lower-case letters, digits and '-' is needed (e.g. cal)");
if (!port || !/^\d{2,5}$/.test(port) || Number(port) > 65535) fail("a port is needed (e.g. 3004)");
const target = into ?? join(root, "services", name);
if (existsSync(target) && readdirSync(target).length > 0) fail(`${relative(root, target)} exists already`);

const camel = name.replace(/-([a-z0-9])/g, (_, c) => c.toUpperCase());
const pascal = camel[0].toUpperCase() + camel.slice(1);
// The template's own tests of the start-up kit (configuration errors, readiness, SIGTERM) stay with
// the template: they test the kit, which every service shares; a service tests its compose.ts
// through its harness.
const skip = new Set(["node_modules", "dist", ".cache", ".turbo", "main.int.test.ts", "config.test.ts"]);
cpSync(template, target, { recursive: true, filter: (src) => !skip.has(src.split("/").at(-1)) });

const replacements = [
  ["@logis/service-template", `@logis/${name}`],
  ['SERVICE = "template"', `SERVICE = "${name}"`],
  ["logis-template", `logis-${name}`],
  ["port: 3000,", `port: ${port},`],
  ["template.note.v1", `${name}.note.v1`],
  ["composeTemplate", `compose${pascal}`],
  ["TemplateRouter", `${pascal}Router`],
  ["templateHarness", `${camel}Harness`],
  ["Logis — service template", `Logis — ${name}`],
  // The template sits one folder deeper (infra/templates/service) than a service (services/<name>).
  ['"extends": "../../../tsconfig.base.json"', '"extends": "../../tsconfig.base.json"'],
];
const files = [];
const walk = (dir) => {
  for (const entry of readdirSync(dir)) {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) walk(path);
    else files.push(path);
  }
};
walk(target);
for (const file of files) {
  const before = readFileSync(file, "utf8");
  const after = replacements.reduce((text, [from, to]) => text.split(from).join(to), before);
  if (after !== before) writeFileSync(file, after);
}

console.log(`services/${name} created (port ${port}) from the template.
Next:
  1. pnpm install                      (links the new package)
  2. replace the example aggregate (domain/note.ts, app/notes.ts, adapters/mongo/notes.ts,
     http/operations.ts) with the service's own; its events go to packages/contracts/src/${name}/
  3. add "${name}:${port}" to infra/local/services.sh if it is not there, and a k8s/base/${name}/
  4. write the service's rows in docs/architecture.md (store, topics, producers and consumers)`);

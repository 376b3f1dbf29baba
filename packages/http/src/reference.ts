// The API reference page a service serves at /docs: its OpenAPI document rendered on the server as
// plain French HTML (no script, no CDN: the machines may be offline).

type Node = Record<string, unknown>;
const methods = ["get", "post", "put", "patch", "delete"] as const;

const esc = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
const isNode = (v: unknown): v is Node => typeof v === "object" && v !== null && !Array.isArray(v);
const nodes = (v: unknown): Node[] => (Array.isArray(v) ? v.filter(isNode) : []);

const typeNames: Record<string, string> = {
  string: "texte",
  integer: "entier",
  number: "nombre",
  boolean: "booléen",
  object: "objet",
  array: "liste",
  null: "null",
};
const formatNames: Record<string, string> = {
  "date-time": "date et heure ISO 8601",
  date: "date AAAA-MM-JJ",
  email: "adresse électronique",
  binary: "fichier",
};

/** `#/components/schemas/Error` → the schema it names. */
function resolve(doc: Node, schema: Node): Node {
  const ref = schema.$ref;
  if (typeof ref !== "string" || !ref.startsWith("#/")) return schema;
  let at: unknown = doc;
  for (const part of ref.slice(2).split("/")) at = isNode(at) ? at[part] : undefined;
  return isNode(at) ? at : schema;
}

function typeOf(schema: Node): string {
  if (schema.const !== undefined) return `constante ${JSON.stringify(schema.const)}`;
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const named = types.map((t) => typeNames[String(t)] ?? String(t)).join(" ou ");
  const format = typeof schema.format === "string" ? (formatNames[schema.format] ?? schema.format) : undefined;
  if (types.includes("array") && isNode(schema.items)) return `liste de ${typeOf(schema.items) || "valeurs"}`;
  if (schema.anyOf || schema.oneOf) return "l'une des formes ci-dessous";
  return [named, format && `(${format})`].filter(Boolean).join(" ");
}

const unbounded = (n: unknown) => typeof n !== "number" || Math.abs(n) >= Number.MAX_SAFE_INTEGER;

function constraints(schema: Node): string[] {
  const out: string[] = [];
  const formatted = typeof schema.format === "string";
  if (typeof schema.minLength === "number") out.push(`au moins ${schema.minLength} caractère(s)`);
  if (typeof schema.maxLength === "number") out.push(`au plus ${schema.maxLength} caractères`);
  if (!unbounded(schema.minimum)) out.push(`minimum ${schema.minimum}`);
  if (!unbounded(schema.maximum)) out.push(`maximum ${schema.maximum}`);
  if (typeof schema.minItems === "number" && schema.minItems > 0) out.push(`au moins ${schema.minItems} élément(s)`);
  if (typeof schema.maxItems === "number") out.push(`au plus ${schema.maxItems} éléments`);
  if (typeof schema.pattern === "string" && !formatted) out.push(`forme <code>${esc(schema.pattern)}</code>`);
  if (schema.default !== undefined) out.push(`par défaut <code>${esc(JSON.stringify(schema.default))}</code>`);
  return out;
}

/** The coded values of an enum, with their labels when the document gives them. */
function codes(schema: Node): string {
  if (isNode(schema.items)) return codes(schema.items);
  const values = Array.isArray(schema.enum) ? schema.enum : undefined;
  if (!values) return "";
  const labels = isNode(schema["x-enumDescriptions"]) ? schema["x-enumDescriptions"] : {};
  const items = values.map((v) => {
    const label = labels[String(v)];
    return `<li><code>${esc(v)}</code>${label ? ` : ${esc(label)}` : ""}</li>`;
  });
  return `<ul class="codes">${items.join("")}</ul>`;
}

function describe(schema: Node): string {
  const parts: string[] = [];
  // An enum's description repeats its codes and labels, which are listed below it.
  if (typeof schema.description === "string" && !schema["x-enumDescriptions"]) parts.push(esc(schema.description));
  parts.push(...constraints(schema));
  const examples = Array.isArray(schema.examples) ? schema.examples : [];
  if (examples.length) parts.push(`exemple : <code>${esc(JSON.stringify(examples[0]))}</code>`);
  return parts.join(" ; ");
}

/** Named schemas (a `title`) shown once, in their own section, and linked to where they are used. */
const shared = new WeakMap<Node, Map<string, Node>>();
const anchor = (title: string) => `objet-${title.replace(/[^A-Za-z0-9_-]/g, "-")}`;

/** The fields of a schema, as nested lists (objects, lists of objects, alternatives). */
function fields(doc: Node, raw: Node, depth = 0, own = false): string {
  const schema = resolve(doc, raw);
  if (depth > 8) return "";
  const named = shared.get(doc);
  if (!own && named && typeof schema.title === "string" && isNode(schema.properties)) {
    named.set(schema.title, schema);
    return `<p class="ref">Voir l'objet <a href="#${anchor(schema.title)}">${esc(schema.title)}</a>.</p>`;
  }
  if (isNode(schema.items)) return fields(doc, schema.items, depth);
  const alternatives = nodes(schema.anyOf ?? schema.oneOf);
  if (alternatives.length) {
    const shown = alternatives.map((alt, i) => {
      const a = resolve(doc, alt);
      const title = typeof a.title === "string" ? a.title : `forme ${i + 1}`;
      return `<li><span class="alt">${esc(title)}</span> <span class="type">${esc(typeOf(a))}</span>${codes(a)}${fields(doc, a, depth + 1)}</li>`;
    });
    return `<ul class="fields">${shown.join("")}</ul>`;
  }
  if (!isNode(schema.properties)) return "";
  const required = new Set(Array.isArray(schema.required) ? schema.required.map(String) : []);
  const rows = Object.entries(schema.properties).map(([name, value]) => {
    const field = resolve(doc, isNode(value) ? value : {});
    const text = describe(field);
    return `<li><code class="name">${esc(name)}</code> <span class="type">${esc(typeOf(field))}</span>${
      required.has(name) ? ' <span class="req">obligatoire</span>' : ""
    }${text ? ` — ${text}` : ""}${codes(field)}${fields(doc, field, depth + 1)}</li>`;
  });
  return `<ul class="fields">${rows.join("")}</ul>`;
}

function content(doc: Node, body: Node): string {
  const media = isNode(body.content) ? body.content : {};
  return Object.entries(media)
    .map(([type, value]) => {
      const schema = isNode(value) && isNode(value.schema) ? resolve(doc, value.schema) : {};
      const text = describe(schema);
      const tree = fields(doc, schema);
      return `<p class="media"><code>${esc(type)}</code> <span class="type">${esc(typeOf(schema))}</span>${
        text ? ` — ${text}` : ""
      }</p>${codes(schema)}${tree}`;
    })
    .join("");
}

const placeNames: Record<string, string> = { path: "chemin", query: "requête", header: "en-tête" };

function operation(doc: Node, path: string, method: string, op: Node): string {
  const id = typeof op.operationId === "string" ? op.operationId : `${method}-${path}`;
  const params = nodes(op.parameters).map((p) => {
    const schema = isNode(p.schema) ? resolve(doc, p.schema) : {};
    const text = [typeof p.description === "string" ? esc(p.description) : "", describe(schema)].filter(Boolean);
    return `<tr><td><code>${esc(p.name)}</code></td><td>${esc(placeNames[String(p.in)] ?? p.in)}</td><td>${
      p.required ? "oui" : "non"
    }</td><td>${esc(typeOf(schema))}</td><td>${text.join(" ; ")}${codes(schema)}</td></tr>`;
  });
  const responses = isNode(op.responses) ? op.responses : {};
  const success = Object.entries(responses).filter(([code]) => code.startsWith("2"));
  const errors = Object.keys(responses).filter((code) => !code.startsWith("2"));
  const answer = success.map(([code, raw]) => {
    const r = resolve(doc, isNode(raw) ? raw : {});
    const headers = isNode(r.headers)
      ? Object.entries(r.headers).map(
          ([name, h]) => `<p>En-tête <code>${esc(name)}</code> : ${esc(isNode(h) ? h.description : "")}</p>`,
        )
      : [];
    const body = isNode(r.content) ? content(doc, r) : "<p>Pas de corps.</p>";
    return `<h4>Réponse ${esc(code)} — ${esc(r.description)}</h4>${headers.join("")}${body}`;
  });
  const permission = op["x-permission"];
  const access =
    Array.isArray(op.security) && op.security.length === 0
      ? "public (sans jeton)"
      : `jeton porteur ; droit requis <code>${esc(permission ?? "—")}</code>`;
  return `<article id="${esc(id)}">
<h3><span class="method ${esc(method)}">${esc(method.toUpperCase())}</span> <code>${esc(path)}</code></h3>
<p class="summary">${esc(op.summary)}</p>${typeof op.description === "string" ? `<p>${esc(op.description)}</p>` : ""}
<p class="meta">Accès : ${access} · identifiant d'opération <code>${esc(id)}</code></p>
${params.length ? `<h4>Paramètres</h4><table><thead><tr><th>Nom</th><th>Où</th><th>Obligatoire</th><th>Type</th><th>Description</th></tr></thead><tbody>${params.join("")}</tbody></table>` : ""}
${isNode(op.requestBody) ? `<h4>Corps de la requête</h4>${content(doc, op.requestBody)}` : ""}
${answer.join("")}
${errors.length ? `<p class="errors">Erreurs possibles : ${errors.map((c) => `<a href="#erreur-${esc(c)}">${esc(c)}</a>`).join(", ")}</p>` : ""}
</article>`;
}

const style = `body{font-family:system-ui,"Marianne",Arial,sans-serif;margin:0;color:#161616;line-height:1.5}
header,main,nav{max-width:72rem;margin:0 auto;padding:0 1.5rem}header{border-bottom:4px solid #000091;padding-bottom:1rem}
h1{color:#000091}h2{border-bottom:1px solid #ddd;margin-top:2.5rem}article{border-left:3px solid #e3e3fd;padding-left:1rem;margin:2rem 0}
code{background:#f6f6f6;padding:0 .2em;border-radius:3px}.method{font-weight:bold;color:#fff;padding:.1em .5em;border-radius:3px;font-size:.85em}
.get{background:#18753c}.post{background:#000091}.put,.patch{background:#b34000}.delete{background:#ce0500}
table{border-collapse:collapse;width:100%}th,td{border:1px solid #ddd;padding:.3em .5em;text-align:left;vertical-align:top}
.type{color:#3a3a3a;font-style:italic}.req{color:#ce0500;font-size:.85em}.meta,.errors{color:#555;font-size:.9em}
ul.fields{list-style:none;padding-left:1.2rem;border-left:1px dotted #bbb}ul.codes{font-size:.9em;columns:2}
nav ul{columns:2}@media print{nav{display:none}}`;

/** The whole page, grouped by tag, with the shared error answers once at the end. */
export function referencePage(document: object): string {
  const doc = document as Node;
  const info = isNode(doc.info) ? doc.info : {};
  const paths = isNode(doc.paths) ? doc.paths : {};
  shared.set(doc, new Map());
  const byTag = new Map<string, string[]>();
  const toc = new Map<string, string[]>();
  for (const [path, item] of Object.entries(paths)) {
    if (!isNode(item)) continue;
    for (const method of methods) {
      const op = item[method];
      if (!isNode(op)) continue;
      const tag = Array.isArray(op.tags) && op.tags.length ? String(op.tags[0]) : "Autres";
      const id = typeof op.operationId === "string" ? op.operationId : `${method}-${path}`;
      byTag.set(tag, [...(byTag.get(tag) ?? []), operation(doc, path, method, op)]);
      toc.set(tag, [
        ...(toc.get(tag) ?? []),
        `<li><a href="#${esc(id)}"><span class="method ${method}">${method.toUpperCase()}</span> <code>${esc(path)}</code></a> ${esc(op.summary)}</li>`,
      ]);
    }
  }
  const components = isNode(doc.components) ? doc.components : {};
  const errorAnswers = isNode(components.responses) ? components.responses : {};
  const errorRows = Object.entries(errorAnswers).map(([name, r]) => {
    const code = name.replace(/^Error/, "");
    return `<tr id="erreur-${esc(code)}"><td>${esc(code)}</td><td>${esc(isNode(r) ? r.description : "")}</td></tr>`;
  });
  const errorSchema = isNode(components.schemas) && isNode(components.schemas.Error) ? components.schemas.Error : {};
  const named = shared.get(doc) ?? new Map<string, Node>();
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${esc(info.title)} — référence de l'API</title><style>${style}</style></head>
<body><header><h1>${esc(info.title)}</h1>${typeof info.description === "string" ? `<p>${esc(info.description)}</p>` : ""}
<p>Version ${esc(info.version)} · le document OpenAPI 3.1 : <a href="openapi.json">openapi.json</a> (pour générer un client) ·
les appels portent un jeton : <code>Authorization: Bearer &lt;jeton&gt;</code>, sauf ceux marqués publics.</p></header>
<nav><h2>Sommaire</h2>${[...toc].map(([tag, items]) => `<h3>${esc(tag)}</h3><ul>${items.join("")}</ul>`).join("")}
<p><a href="#erreurs">Erreurs</a></p></nav>
<main>${[...byTag].map(([tag, ops]) => `<section><h2>${esc(tag)}</h2>${ops.join("")}</section>`).join("")}
<section id="erreurs"><h2>Erreurs</h2><p>Toutes les erreurs ont la même forme ; le champ en cause et la règle sont nommés.</p>
<table><thead><tr><th>Code</th><th>Signification</th></tr></thead><tbody>${errorRows.join("")}</tbody></table>
<h4>Corps d'une erreur</h4>${fields(doc, errorSchema)}</section>
${named.size ? `<section><h2>Objets</h2>${[...named].map(([title, schema]) => `<h3 id="${anchor(title)}">${esc(title)}</h3>${typeof schema.description === "string" ? `<p>${esc(schema.description)}</p>` : ""}${fields(doc, schema, 0, true)}`).join("")}</section>` : ""}</main></body></html>`;
}

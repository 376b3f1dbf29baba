import { describe, expect, it } from "vitest";
import { z } from "zod";
import { defineOperation, restRoutesOf } from "./operation.js";
import { referencePage } from "./reference.js";
import { openApiDocument } from "./rest.js";

// The document as the wire carries answers (Dates as strings, answers open to added fields), coded
// values with their labels, and the French reference page rendered from it.

const civilite = z.enum(["1", "2"]);
const nationalite = z.enum(["1", "2"]);
const ops = [
  defineOperation({
    name: "readPerson",
    summary: "Lire une personne <b>",
    tags: ["Personnes"],
    permission: "demand.read",
    params: z.object({ id: z.string().min(3) }),
    query: z.object({ nationalite: nationalite.optional() }),
    output: z.object({ id: z.string(), civilite, creeLe: z.coerce.date() }),
    rest: { method: "get", path: "/v1/personnes/:id" },
    handler: async ({ params }) => ({ id: params.id, civilite: "1" as const, creeLe: new Date(0) }),
  }),
];
const labels = { civilite: { "1": "Monsieur", "2": "Madame" }, nationalite: { "1": "Française", "2": "UE" } };
const doc = openApiDocument({ title: "Essai", version: "1" }, restRoutesOf(ops), {
  labels: (_values, path) => labels[path.filter((p) => typeof p === "string").at(-1) as keyof typeof labels],
});
const op = doc.paths["/v1/personnes/{id}"]?.get as {
  parameters: { name: string; schema: Record<string, unknown> }[];
  responses: Record<string, { content: { "application/json": { schema: Record<string, unknown> } } }>;
};
const answer = op.responses["200"]?.content["application/json"].schema as {
  properties: Record<string, Record<string, unknown>>;
  additionalProperties?: unknown;
  $schema?: unknown;
};

describe("OpenAPI document", () => {
  it("documents a Date as the ISO string JSON carries, and answers open to added fields", () => {
    expect(answer.properties.creeLe).toMatchObject({ type: "string", format: "date-time" });
    expect(answer.additionalProperties).toBeUndefined();
    expect(answer.$schema).toBeUndefined();
  });

  it("labels coded values, in the body and in the parameters (chosen by the field's name)", () => {
    expect(answer.properties.civilite).toMatchObject({
      enum: ["1", "2"],
      "x-enumDescriptions": { "1": "Monsieur", "2": "Madame" },
      "x-enum-descriptions": ["Monsieur", "Madame"],
      description: "1 : Monsieur ; 2 : Madame",
    });
    expect(op.parameters.find((p) => p.name === "nationalite")?.schema["x-enumDescriptions"]).toEqual(
      labels.nationalite,
    );
  });

  it("declares a shared schema once in components, referred to where it appears whole", () => {
    const Personne = z.object({ nom: z.string(), age: z.number().int().default(0) });
    const shared = openApiDocument(
      { title: "Essai", version: "1" },
      restRoutesOf([
        defineOperation({
          name: "create",
          summary: "Créer",
          permission: "demand.register",
          body: z.object({ personne: Personne }),
          output: z.object({ personnes: z.array(Personne) }),
          rest: { method: "post", path: "/v1/personnes" },
          handler: async ({ body }) => ({ personnes: [body.personne] }),
        }),
      ]),
      { schemas: { Personne } },
    );
    const post = shared.paths["/v1/personnes"]?.post as {
      requestBody: { content: { "application/json": { schema: { properties: Record<string, unknown> } } } };
      responses: Record<
        string,
        { content: { "application/json": { schema: { properties: Record<string, unknown> } } } }
      >;
    };
    // As input the default makes `age` optional: the input form has its own name.
    expect(post.requestBody.content["application/json"].schema.properties.personne).toEqual({
      $ref: "#/components/schemas/PersonneSaisie",
    });
    expect(post.responses["200"]?.content["application/json"].schema.properties.personnes).toMatchObject({
      items: { $ref: "#/components/schemas/Personne" },
    });
    expect(shared.components.schemas).toMatchObject({
      Personne: { required: ["nom", "age"] },
      PersonneSaisie: { required: ["nom"] },
    });
  });
});

describe("reference page", () => {
  const page = referencePage(doc);

  it("is French HTML with each operation, its parameters, its answer's fields and the codes' labels", () => {
    expect(page).toContain('<html lang="fr">');
    expect(page).toContain('id="readPerson"');
    expect(page).toContain("<code>/v1/personnes/{id}</code>");
    expect(page).toContain("droit requis <code>demand.read</code>");
    expect(page).toContain("<td><code>id</code></td><td>chemin</td><td>oui</td><td>texte</td>");
    expect(page).toContain('<code class="name">creeLe</code> <span class="type">texte (date et heure ISO 8601)</span>');
    expect(page).toContain("<li><code>2</code> : Madame</li>");
    expect(page).toContain('<tr id="erreur-429"><td>429</td>');
  });

  it("escapes what the document says, and loads nothing from elsewhere", () => {
    expect(page).toContain("Lire une personne &lt;b&gt;");
    expect(page).not.toContain("<b>");
    expect(page).not.toMatch(/<script|https?:\/\/(?!json-schema)/);
  });
});

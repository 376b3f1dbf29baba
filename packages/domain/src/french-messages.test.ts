import { describe, expect, it } from "vitest";
import { z } from "zod";
import { describeZodIssues } from "./errors.js";
import { fieldLabel } from "./french-messages.js";

const Form = z.strictObject({
  demandeur: z.object({ nom: z.string().min(1), dateNaissance: z.iso.date(), civilite: z.enum(["M", "MME"]) }),
  personnes: z.array(z.object({ prenom: z.string() })),
  revenu: z.number(),
});

const messageOf = (input: unknown) => {
  const parsed = Form.safeParse(input);
  if (parsed.success) throw new Error("expected a failure");
  return describeZodIssues(parsed.error);
};

describe("validation messages in French, naming the field in words (issue 15)", () => {
  it("names the field in words and gives its path, with what to do", () => {
    const { field, message } = messageOf({
      demandeur: { nom: "", dateNaissance: "31/12/1980", civilite: "X" },
      personnes: [{ prenom: 3 }],
      revenu: "mille",
    });
    expect(field).toBe("demandeur.nom");
    expect(message).toContain("nom (demandeur) [demandeur.nom] : champ obligatoire : renseignez-le");
    expect(message).toContain(
      "date de naissance (demandeur) [demandeur.dateNaissance] : date attendue au format aaaa-mm-jj",
    );
    expect(message).toContain("civilité (demandeur) [demandeur.civilite] : valeur inconnue : choisissez parmi M, MME");
    expect(message).toContain("prénom (personne à charge n° 1) [personnes.0.prenom] : texte attendu");
    expect(message).toContain("[revenu] : nombre attendu");
  });

  it("says which fields are unknown, and zod's other messages are French", () => {
    expect(messageOf({ demandeur: {}, personnes: [], revenu: 1, couleur: "bleu" }).message).toContain(
      "champ inconnu : couleur (retirez-le)",
    );
    const big = z.object({ n: z.number().max(3) }).safeParse({ n: 5 });
    expect(big.success ? "" : describeZodIssues(big.error).message).toMatch(/Trop grand/i);
  });

  it("spaces out the names it does not know", () => {
    expect(fieldLabel(["logementActuel", "nombrePieces"])).toBe("nombre pieces (logement actuel)");
    expect(fieldLabel([])).toBe("la requête");
  });
});

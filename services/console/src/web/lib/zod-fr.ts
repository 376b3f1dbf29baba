import { z } from "zod";

// The form checks with the API's own schemas (@logis/contracts): their messages are French; zod's
// generic ones are made French here, and say what to do.
z.config(z.locales.fr());
z.config({
  customError: (issue) => {
    const input = issue.input;
    if (issue.code === "invalid_type" && (input === undefined || input === "")) return "champ obligatoire";
    if (issue.code === "invalid_type" && issue.expected === "number") return "nombre attendu";
    if (issue.code === "too_small" && issue.origin === "string" && Number(issue.minimum) === 1)
      return "champ obligatoire";
    if (issue.code === "invalid_value") return "choisissez une valeur de la liste";
    if (issue.code === "invalid_format" && issue.format === "date") return "date attendue (jj/mm/aaaa)";
    return undefined;
  },
});

/** Issues as `path → message`, the path joined with dots (`demandeur.nom`, `souhaits.communes.0`). */
export function issuesByPath(error: z.ZodError): Map<string, string> {
  const out = new Map<string, string>();
  for (const issue of error.issues) {
    const path = issue.path.map(String).join(".");
    if (!out.has(path)) out.set(path, issue.message);
  }
  return out;
}

import { z } from "zod";

// Issue 15: "messages in French everywhere, validation included, naming the field in words a desk
// agent understands". zod's French locale gives the sentences; the few generic cases a desk meets
// most are said as what to do; the dotted path of a field becomes words.

let configured = false;

/** Makes zod's messages French for the whole process (idempotent). Loaded with `@logis/domain`. */
export function useFrenchValidationMessages(): void {
  if (configured) return;
  configured = true;
  z.config(z.locales.fr());
  z.config({
    customError: (issue) => {
      const input = issue.input;
      if (issue.code === "invalid_type" && (input === undefined || input === null || input === ""))
        return "champ obligatoire : renseignez-le";
      if (issue.code === "invalid_type" && issue.expected === "number") return "nombre attendu";
      if (issue.code === "invalid_type" && issue.expected === "string") return "texte attendu";
      if (issue.code === "too_small" && issue.origin === "string" && Number(issue.minimum) === 1)
        return "champ obligatoire : renseignez-le";
      if (issue.code === "invalid_value" && issue.values.length <= 12)
        return `valeur inconnue : choisissez parmi ${issue.values.map((v) => String(v)).join(", ")}`;
      if (issue.code === "invalid_value") return "valeur inconnue : choisissez une valeur de la liste";
      if (issue.code === "invalid_format" && issue.format === "date") return "date attendue au format aaaa-mm-jj";
      if (issue.code === "invalid_format" && issue.format === "datetime")
        return "date et heure attendues au format ISO 8601 (aaaa-mm-jjThh:mm:ssZ)";
      if (issue.code === "unrecognized_keys")
        return `champ${issue.keys.length > 1 ? "s" : ""} inconnu${issue.keys.length > 1 ? "s" : ""} : ${issue.keys.join(", ")} (retirez-le${issue.keys.length > 1 ? "s" : ""})`;
      return undefined;
    },
  });
}

/** Words for the field names of the platform's forms and APIs (the last segment of a path). */
const LABELS: Record<string, string> = {
  civilite: "civilité",
  nom: "nom",
  nomNaissance: "nom de naissance",
  prenom: "prénom",
  dateNaissance: "date de naissance",
  sexe: "sexe",
  nationalite: "nationalité",
  nir: "numéro de sécurité sociale",
  situationFamiliale: "situation familiale",
  situationProfessionnelle: "situation professionnelle",
  demandeur: "demandeur",
  coDemandeur: "co-demandeur",
  personnes: "personne à charge",
  adresse: "adresse",
  telephone: "téléphone",
  email: "courriel",
  courriel: "courriel",
  communes: "communes souhaitées",
  commune: "commune",
  communeInsee: "code commune INSEE",
  departement: "département",
  typologies: "typologies souhaitées",
  typologie: "typologie",
  souhaits: "souhaits de logement",
  logementActuel: "logement actuel",
  motifs: "motifs de la demande",
  motif: "motif",
  ressources: "ressources",
  mensuelles: "ressources mensuelles",
  montant: "montant",
  revenuFiscal: "revenu fiscal de référence",
  numero: "numéro unique",
  version: "version attendue",
  expectedVersion: "version attendue",
  origine: "origine de la modification",
  guichet: "guichet",
  dateDepot: "date de dépôt",
  date: "date",
  bailleur: "bailleur",
  reservataire: "réservataire",
  rplsId: "identifiant RPLS",
  financement: "financement",
  surface: "surface",
  loyer: "loyer",
  part: "part du flux",
  annee: "année",
  epci: "EPCI",
  points: "points",
  plafond: "plafond",
  criteres: "critères",
  rubriques: "rubriques",
  page: "page",
  taille: "taille de page",
  limit: "nombre de résultats",
};

const spaced = (name: string) =>
  name
    .replace(/([a-zà-ÿ])([A-Z])/g, "$1 $2")
    .replace(/_/g, " ")
    .toLowerCase();

/**
 * A field's path in words: `demandeur.dateNaissance` → "date de naissance (demandeur)",
 * `personnes.2.prenom` → "prénom (personne à charge n° 3)". Unknown names are spaced out.
 */
export function fieldLabel(path: readonly PropertyKey[]): string {
  const words: string[] = [];
  for (let i = 0; i < path.length; i++) {
    const key = path[i];
    if (typeof key === "number") continue;
    const name = String(key);
    const next = path[i + 1];
    const label = LABELS[name] ?? spaced(name);
    words.push(typeof next === "number" ? `${label} n° ${next + 1}` : label);
  }
  if (words.length === 0) return "la requête";
  const [last, ...parents] = words.reverse();
  return parents.length ? `${last} (${parents.join(", ")})` : (last as string);
}

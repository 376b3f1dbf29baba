import { LogementDeclare } from "@logis/contracts";
import { err, ok, type Result } from "@logis/domain";
import { plaiAdapteRefuse } from "./logement.js";

/**
 * The housing-stock CSV: one unit per line, `;`-separated as French spreadsheets write it, with a
 * header line naming the columns (any order). Decimals take a comma or a dot; yes/no columns take
 * oui/non (or 1/0); a commune or postcode that lost its leading zero in a spreadsheet gets it back.
 */
export const colonnesRpls = [
  "rplsId",
  "idBailleur",
  "commune",
  "adresse",
  "codePostal",
  "qpv",
  "nbPieces",
  "surface",
  "etage",
  "ascenseur",
  "accessibilite",
  "anneeConstruction",
  "financement",
  "loyer",
  "exceptionStock",
  "plaiAdapte",
] as const;
type Colonne = (typeof colonnesRpls)[number];
const optional = new Set<Colonne>(["exceptionStock", "plaiAdapte"]);

/** One error, named by line and column (the field), with the value as read. */
export interface ErreurChamp {
  readonly ligne: number;
  readonly champ: string;
  readonly valeur?: string | undefined;
  readonly message: string;
}

export interface EnTete {
  readonly colonnes: readonly (Colonne | undefined)[];
}

/** Splits one line on `;`, honouring double quotes (`"a;b"`, `""` for a quote). */
export function splitLine(line: string): Result<string[], string> {
  const cells: string[] = [];
  let cell = "";
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === '"' && line[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"' && cell.trim() === "") {
      quoted = true;
      cell = "";
    } else if (ch === ";") {
      cells.push(cell.trim());
      cell = "";
    } else cell += ch;
  }
  if (quoted) return err("guillemet non fermé : fermez le guillemet ou retirez-le");
  cells.push(cell.replace(/\r$/, "").trim());
  return ok(cells);
}

/** Reads the header line: every required column present, no unknown or repeated column. */
export function parseEnTete(line: string): Result<EnTete, ErreurChamp[]> {
  const split = splitLine(line.replace(/^\uFEFF/, ""));
  if (!split.ok) return err([{ ligne: 1, champ: "en-tête", message: split.error }]);
  const errors: ErreurChamp[] = [];
  const known = new Set<string>(colonnesRpls);
  const seen = new Set<string>();
  const colonnes = split.value.map((name) => {
    if (!known.has(name)) {
      errors.push({
        ligne: 1,
        champ: name,
        message: `colonne inconnue « ${name} » : colonnes attendues ${colonnesRpls.join(";")}`,
      });
      return undefined;
    }
    if (seen.has(name))
      errors.push({ ligne: 1, champ: name, message: `colonne « ${name} » en double : gardez-en une seule` });
    seen.add(name);
    return name as Colonne;
  });
  for (const c of colonnesRpls) {
    if (!seen.has(c) && !optional.has(c))
      errors.push({ ligne: 1, champ: c, message: `colonne « ${c} » manquante : ajoutez-la à l'en-tête` });
  }
  return errors.length ? err(errors) : ok({ colonnes });
}

const number = (s: string): number | string => {
  const cleaned = s.replace(/[\s\u00a0\u202f]/g, "").replace(",", ".");
  return /^-?\d+(\.\d+)?$/.test(cleaned) ? Number(cleaned) : s;
};
const yesNo = (s: string): boolean | string => {
  const v = s.toLowerCase();
  if (["oui", "o", "1", "vrai", "true"].includes(v)) return true;
  if (["non", "n", "0", "faux", "false"].includes(v)) return false;
  return s;
};
const padded = (s: string) => (/^\d{4}$/.test(s) ? `0${s}` : s);

const convert: Record<Colonne, (s: string) => unknown> = {
  rplsId: (s) => s.toUpperCase(),
  idBailleur: (s) => s,
  commune: (s) => padded(s.toUpperCase()),
  adresse: (s) => s,
  codePostal: padded,
  qpv: yesNo,
  nbPieces: number,
  surface: number,
  etage: (s) => (/^rdc$/i.test(s) ? 0 : number(s)),
  ascenseur: yesNo,
  accessibilite: (s) => s.toLowerCase(),
  anneeConstruction: number,
  financement: (s) => s.toUpperCase(),
  loyer: number,
  exceptionStock: (s) => s.toLowerCase(),
  plaiAdapte: yesNo,
};

/** One data line (numbered as in the file, header = 1): the unit, or every field's error. */
export function parseLigneRpls(enTete: EnTete, line: string, ligne: number): Result<LogementDeclare, ErreurChamp[]> {
  const split = splitLine(line);
  if (!split.ok) return err([{ ligne, champ: "ligne", message: split.error }]);
  if (split.value.length > enTete.colonnes.length) {
    return err([
      {
        ligne,
        champ: "ligne",
        message: `${split.value.length} valeurs pour ${enTete.colonnes.length} colonnes : vérifiez les « ; » dans les adresses (mettez-les entre guillemets)`,
      },
    ]);
  }
  const raw: Partial<Record<Colonne, string>> = {};
  const input: Record<string, unknown> = {};
  enTete.colonnes.forEach((colonne, i) => {
    const value = split.value[i] ?? "";
    if (colonne === undefined || value === "") return;
    raw[colonne] = value;
    input[colonne] = convert[colonne](value);
  });
  const parsed = LogementDeclare.safeParse(input);
  if (parsed.success) {
    const refus = plaiAdapteRefuse(parsed.data);
    if (refus) return err([{ ligne, champ: "plaiAdapte", valeur: raw.plaiAdapte ?? "", message: refus }]);
    return ok(parsed.data);
  }
  const errors = new Map<string, ErreurChamp>();
  for (const issue of parsed.error.issues) {
    const champ = String(issue.path[0] ?? "ligne");
    if (errors.has(champ)) continue;
    const valeur = raw[champ as Colonne];
    errors.set(champ, {
      ligne,
      champ,
      ...(valeur === undefined ? {} : { valeur }),
      message: valeur === undefined ? `${champ} manquant : ${issue.message}` : issue.message,
    });
  }
  return err([...errors.values()]);
}

import type { Readable } from "node:stream";
import { labelOf } from "@logis/contracts";
import { BOM, type Cell, frenchDay, isoDay, spreadsheetRows, unneutralise } from "@logis/documents";
import { civilDay } from "@logis/domain";
import { parse } from "csv-parse";
import type { Demand } from "../domain/demand.js";
import type { ImportedRecord } from "./sne-xml.js";

/**
 * The CSV exchange format: one row per demand, `;`-separated (as French spreadsheets write it),
 * lists joined with `|`, resources as `CODE:montant`, motifs as `CODE` or `CODE:précision`, children
 * as `prénom/date/sexe`.
 */
export const csvColumns = [
  "numUnique",
  "dateCreationDemande",
  "dateDernierRenouvellement",
  "civilite",
  "nom",
  "nomNaissance",
  "prenom",
  "dateNaissance",
  "sexe",
  "nationalite",
  "situationFamiliale",
  "typeContrat",
  "profession",
  "ressources",
  "revenuFiscalN2",
  "cotitulaireNom",
  "cotitulairePrenom",
  "cotitulaireDateNaissance",
  "cotitulaireLien",
  "cotitulaireTypeContrat",
  "cotitulaireRessources",
  "enfants",
  "adresseNumero",
  "adresseVoie",
  "codePostal",
  "commune",
  "telephone",
  "email",
  "logementModele",
  "loyer",
  "surface",
  "occupants",
  "motifs",
  "typologies",
  "communesSouhaitees",
  "demandeElargie",
] as const;
type Row = Partial<Record<(typeof csvColumns)[number], string>>;

const items = (s: string | undefined) =>
  s
    ? s
        .split("|")
        .map((x) => x.trim())
        .filter(Boolean)
    : [];
const num = (s: string | undefined) => (s ? Number(s.replace(",", ".")) : undefined);
/** A cell as written: the apostrophe that kept a spreadsheet from running it as a formula removed. */
const opt = (s: string | undefined) => (s ? unneutralise(s) : undefined);
/** A date cell: dd/mm/yyyy as spreadsheets write it, or ISO. */
const day = (s: string | undefined) => isoDay(opt(s));
const compact = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
const ressources = (s: string | undefined) =>
  items(s).map((r) => {
    const [type, montant] = r.split(":");
    return { type, montant: num(montant) };
  });

export async function* readCsv(input: Readable): AsyncGenerator<Row> {
  const parser = input.pipe(
    parse({ columns: true, delimiter: ";", bom: true, trim: true, skip_empty_lines: true, relax_column_count: true }),
  );
  for await (const row of parser) yield row as Row;
}

export function recordFromCsv(
  row: Row,
  index: number,
  departement: string,
): ImportedRecord & { dateDernierRenouvellement?: string | undefined } {
  const form = compact({
    departement,
    demandeur: compact({
      civilite: opt(row.civilite),
      nom: opt(row.nom),
      nomNaissance: opt(row.nomNaissance),
      prenom: opt(row.prenom),
      dateNaissance: day(row.dateNaissance),
      sexe: opt(row.sexe),
      nationalite: opt(row.nationalite),
      situationFamiliale: opt(row.situationFamiliale),
      situationProfessionnelle: compact({ typeContrat: opt(row.typeContrat), profession: opt(row.profession) }),
      ressources: {
        mensuelles: ressources(row.ressources),
        revenuFiscal: compact({ montantN2: num(row.revenuFiscalN2) }),
      },
    }),
    cotitulaire: row.cotitulaireNom
      ? compact({
          nom: row.cotitulaireNom,
          prenom: opt(row.cotitulairePrenom),
          dateNaissance: day(row.cotitulaireDateNaissance),
          lienDemandeur: opt(row.cotitulaireLien),
          situationFamiliale: opt(row.situationFamiliale),
          situationProfessionnelle: compact({ typeContrat: opt(row.cotitulaireTypeContrat) }),
          ressources: { mensuelles: ressources(row.cotitulaireRessources), revenuFiscal: {} },
        })
      : undefined,
    personnesACharge: items(row.enfants).map((e) => {
      // "prénom / date / sexe"; files written before used "/" alone and ISO dates.
      // A child without a sex ends with "/" (the cell is trimmed); a date typed dd/mm/yyyy splits in three.
      const parts = e.split("/").map((p) => p.trim());
      const [prenom, dateNaissance, sexe] =
        parts.length > 3 ? [parts[0], parts.slice(1, 4).join("/"), parts[4]] : parts;
      return compact({
        nom: opt(row.nom),
        prenom,
        dateNaissance: isoDay(dateNaissance),
        sexe: opt(sexe),
        lienParente: "E",
      });
    }),
    contact: compact({
      adresse: compact({
        numero: opt(row.adresseNumero),
        voie: opt(row.adresseVoie),
        codePostal: opt(row.codePostal),
        commune: opt(row.commune),
      }),
      telephone: opt(row.telephone),
      email: opt(row.email),
    }),
    logementActuel: compact({
      modele: opt(row.logementModele),
      loyerMensuel: num(row.loyer),
      surface: num(row.surface),
      nombreOccupants: num(row.occupants),
    }),
    motifs: items(row.motifs).map((m) => {
      const [code, ...precision] = m.split(":");
      return compact({ code, precision: precision.length ? precision.join(":") : undefined });
    }),
    souhaits: compact({
      typologies: items(row.typologies),
      communes: items(row.communesSouhaitees),
      demandeElargie: row.demandeElargie ? ["oui", "true", "1"].includes(row.demandeElargie.toLowerCase()) : undefined,
    }),
  });
  return {
    index,
    numUnique: opt(row.numUnique),
    dateCreationDemande: day(row.dateCreationDemande),
    dateDernierRenouvellement: day(row.dateDernierRenouvellement),
    form,
  };
}

/**
 * Columns of labels beside the codes, for people reading the file in a spreadsheet; an import
 * ignores them (the codes are what it reads).
 */
const labelColumns = [
  ["civiliteLibelle", "civilite", "civilite"],
  ["situationFamilialeLibelle", "situationFamiliale", "situationFamiliale"],
  ["typeContratLibelle", "typeContrat", "typeContratTravail"],
  ["logementModeleLibelle", "logementModele", "modeleLogement"],
  ["typologiesLibelles", "typologies", "typeLogement"],
] as const;

/** The header row, after the byte-order mark that makes spreadsheets read UTF-8. */
export const csvHeader = () => BOM + spreadsheetRows([[...csvColumns, ...labelColumns.map(([name]) => name)]]);

/** One demand as a CSV row (no NIR, no sensitive details). */
export function demandToCsv(d: Demand): string {
  const f = d.form;
  if (!f) return "";
  const res = (r: { type: string; montant: number }[]) =>
    r.map((m) => `${m.type}:${String(m.montant).replace(".", ",")}`).join("|");
  const row: Record<(typeof csvColumns)[number], unknown> = {
    numUnique: d.numeroUnique,
    dateCreationDemande: frenchDay(civilDay(new Date(d.dateDepot))),
    dateDernierRenouvellement:
      d.dateDernierRenouvellement && frenchDay(civilDay(new Date(d.dateDernierRenouvellement))),
    civilite: f.demandeur.civilite,
    nom: f.demandeur.nom,
    nomNaissance: f.demandeur.nomNaissance,
    prenom: f.demandeur.prenom,
    dateNaissance: frenchDay(f.demandeur.dateNaissance),
    sexe: f.demandeur.sexe,
    nationalite: f.demandeur.nationalite,
    situationFamiliale: f.demandeur.situationFamiliale,
    typeContrat: f.demandeur.situationProfessionnelle.typeContrat,
    profession: f.demandeur.situationProfessionnelle.profession,
    ressources: res(f.demandeur.ressources.mensuelles),
    revenuFiscalN2: f.demandeur.ressources.revenuFiscal.montantN2,
    cotitulaireNom: f.cotitulaire?.nom,
    cotitulairePrenom: f.cotitulaire?.prenom,
    cotitulaireDateNaissance: frenchDay(f.cotitulaire?.dateNaissance),
    cotitulaireLien: f.cotitulaire?.lienDemandeur,
    cotitulaireTypeContrat: f.cotitulaire?.situationProfessionnelle.typeContrat,
    cotitulaireRessources: f.cotitulaire ? res(f.cotitulaire.ressources.mensuelles) : undefined,
    enfants: f.personnesACharge.map((p) => [p.prenom, p.dateNaissance, p.sexe ?? ""].join(" / ")).join("|"),
    adresseNumero: f.contact.adresse.numero,
    adresseVoie: f.contact.adresse.voie,
    codePostal: f.contact.adresse.codePostal,
    commune: f.contact.adresse.commune,
    telephone: f.contact.telephone,
    email: f.contact.email,
    logementModele: f.logementActuel.modele,
    loyer: f.logementActuel.loyerMensuel,
    surface: f.logementActuel.surface,
    occupants: f.logementActuel.nombreOccupants,
    motifs: f.motifs.map((m) => (m.precision ? `${m.code}:${m.precision.replace(/\|/g, "/")}` : m.code)).join("|"),
    typologies: f.souhaits.typologies.join("|"),
    communesSouhaitees: f.souhaits.communes.join("|"),
    demandeElargie: f.souhaits.demandeElargie ? "oui" : "non",
  };
  const labels = labelColumns.map(([, column, list]) => {
    const value = row[column];
    if (typeof value !== "string" || value === "") return "";
    return value
      .split("|")
      .map((code) => labelOf(list, code))
      .join(" | ");
  });
  return spreadsheetRows([[...csvColumns.map((c) => row[c] as Cell), ...labels]]);
}

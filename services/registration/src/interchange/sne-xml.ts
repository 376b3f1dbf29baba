import type { Readable } from "node:stream";
import type { DemandForm } from "@logis/contracts";
import { civilDay } from "@logis/domain";
import { SaxesParser } from "saxes";
import type { Demand } from "../domain/demand.js";

// The national SNE interface, v02.00/02.01 (namespace http://nuu.application.i2/, domain §2.3).
// Elements were checked against a real sample and the libsne validator; the motif list
// (`listeMotif/motif@code`) is not in those sources and is our assumption until the interface
// specification can be read.

export interface XmlNode {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
}

/** A demand as read from a file, before validation: what the import maps and checks. */
export interface ImportedRecord {
  index: number;
  numUnique?: string | undefined;
  dateCreationDemande?: string | undefined;
  form: unknown;
}

const local = (name: string) => name.slice(name.indexOf(":") + 1);

/** Streams the `demandeLogement` elements of an SNE file, one tree each, without loading the file. */
export async function* readSneXml(input: Readable): AsyncGenerator<XmlNode> {
  const parser = new SaxesParser({ xmlns: false });
  const ready: XmlNode[] = [];
  const stack: XmlNode[] = [];
  let inside = false;
  let failure: Error | undefined;
  parser.on("opentag", (tag) => {
    const name = local(tag.name);
    if (name === "demandeLogement") inside = true;
    if (!inside) return;
    const attrs: Record<string, string> = {};
    for (const [k, v] of Object.entries(tag.attributes)) attrs[local(k)] = String(v);
    const node: XmlNode = { name, attrs, children: [], text: "" };
    stack.at(-1)?.children.push(node);
    stack.push(node);
  });
  parser.on("text", (t) => {
    const top = stack.at(-1);
    if (top) top.text += t;
  });
  parser.on("closetag", (tag) => {
    if (!inside) return;
    const node = stack.pop();
    if (node) node.text = node.text.trim();
    if (local(tag.name) === "demandeLogement" && node) {
      inside = false;
      ready.push(node);
    }
  });
  parser.on("error", (e) => {
    failure = e;
  });
  for await (const chunk of input) {
    parser.write(typeof chunk === "string" ? chunk : (chunk as Buffer).toString("utf8"));
    if (failure) throw failure;
    while (ready.length) yield ready.shift() as XmlNode;
  }
  parser.close();
  if (failure) throw failure;
  while (ready.length) yield ready.shift() as XmlNode;
}

const child = (n: XmlNode | undefined, name: string) => n?.children.find((c) => c.name === name);
const text = (n: XmlNode | undefined, name: string) => {
  const t = child(n, name)?.text;
  return t === undefined || t === "" ? undefined : t;
};
const code = (n: XmlNode | undefined, name: string) => child(n, name)?.attrs.code || undefined;
const list = (n: XmlNode | undefined, listName: string, item: string) =>
  child(n, listName)?.children.filter((c) => c.name === item) ?? [];
const num = (s: string | undefined) => (s === undefined ? undefined : Number(s.replace(",", ".")));
const bool = (s: string | undefined) => (s === undefined ? undefined : s === "true" || s === "1");
const compact = <T extends Record<string, unknown>>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function personne(n: XmlNode) {
  return compact({
    civilite: code(n, "civilite"),
    nom: text(n, "nom"),
    nomNaissance: text(n, "nomPatronymique"),
    prenom: text(n, "prenom"),
    dateNaissance: text(n, "dateNaissance"),
    sexe: code(n, "sexe"),
    nationalite: code(n, "nationalite"),
  });
}

function adulte(n: XmlNode) {
  const sp = child(n, "situationProfessionnelle");
  const rf = child(n, "revenuFiscal");
  const versee = list(n, "listeRessourceVersee", "detailRessource").reduce(
    (sum, d) => sum + (num(text(d, "montant")) ?? 0),
    0,
  );
  return compact({
    ...personne(n),
    situationFamiliale: code(n, "situationFamiliale"),
    situationProfessionnelle: compact({
      typeContrat: code(sp, "typeContratTravail"),
      profession: text(sp, "profession"),
      employeur: text(sp, "nomEmployeurPrincipal"),
      communeTravail: code(sp, "commune"),
    }),
    ressources: compact({
      mensuelles: list(n, "listeRessourceRecue", "detailRessource").map((d) => ({
        type: code(d, "ressource"),
        montant: num(text(d, "montant")),
      })),
      pensionAlimentaireVersee: versee > 0 ? versee : undefined,
      revenuFiscal: compact({
        anneeN1: num(text(rf, "anneeMoins1")),
        montantN1: num(text(rf, "montantMoins1")),
        anneeN2: num(text(rf, "anneeMoins2")),
        montantN2: num(text(rf, "montantMoins2")),
      }),
    }),
  });
}

/** Maps one `demandeLogement` to the form's shape; validation happens afterwards, per record. */
export function recordFromXml(node: XmlNode, index: number, departement: string): ImportedRecord {
  const pp = child(node, "personnePhysique");
  const demandeur = child(pp, "demandeur");
  const cotitulaire = list(pp, "listeCotitulaire", "cotitulaire")[0];
  const adresse = child(demandeur, "adressePostale");
  const la = child(pp, "logementActuel");
  const lr = child(node, "logementRecherche") ?? child(pp, "logementRecherche");
  const naitre = child(pp, "personneANaitre");
  const email = text(demandeur, "mel");
  const form = compact({
    departement,
    demandeur: demandeur ? adulte(demandeur) : undefined,
    cotitulaire: cotitulaire
      ? { ...adulte(cotitulaire), lienDemandeur: code(cotitulaire, "lienDemandeur") }
      : undefined,
    personnesACharge: list(pp, "listePersonneACharge", "personneACharge").map((p) => ({
      ...personne(p),
      lienParente: code(p, "lienParente"),
    })),
    naissanceAttendue: naitre
      ? { nombre: num(text(naitre, "nombre")), dateNaissancePrevue: text(naitre, "dateNaissancePrevue") }
      : undefined,
    enfantsEnGarde: list(pp, "listePersonneEnGarde", "personneEnGarde").map((p) =>
      compact({
        dateNaissance: text(p, "dateNaissance"),
        sexe: code(p, "sexe"),
        coParentalite: code(p, "coParentalite"),
      }),
    ),
    contact: compact({
      adresse: adresse
        ? compact({
            numero: text(adresse, "numero"),
            voie: text(adresse, "voie"),
            complement: text(adresse, "complement"),
            codePostal: text(adresse, "codePostal"),
            commune: code(adresse, "commune"),
            etranger: bool(text(adresse, "etranger")),
          })
        : undefined,
      telephone: text(demandeur, "telPortable") ?? text(demandeur, "telFixe"),
      email,
    }),
    logementActuel: la
      ? compact({
          modele: code(child(la, "listeModeleLogement"), "modeleLogement"),
          categorie: code(la, "categorieLogement"),
          typeLogement: code(la, "typeLogementActuel"),
          loyerMensuel: num(text(la, "montantMensuelLoyer")),
          surface: num(text(la, "surface")),
          nombreOccupants: num(text(la, "nombreHabitant")),
        })
      : undefined,
    motifs: list(node, "listeMotif", "motif").map((m) =>
      compact({ code: m.attrs.code, precision: text(m, "precision") }),
    ),
    souhaits: lr
      ? compact({
          typologies: list(lr, "listeTypeLogement", "typeLogement").map((t) => t.attrs.code),
          communes: list(lr, "listeLocalisationSouhaite", "localisationSouhaite").map((l) => code(l, "commune")),
          demandeElargie: bool(text(lr, "demandeElargie")),
          categorie: code(lr, "categorieLogement"),
        })
      : undefined,
  });
  return { index, numUnique: text(node, "numUnique"), dateCreationDemande: text(node, "dateCreationDemande"), form };
}

/**
 * Characters XML 1.0 forbids even as references (C0 controls but tab, line feed and carriage
 * return; U+FFFE, U+FFFF; a surrogate without its pair): a file holding one is refused whole by
 * every parser, so they are left out. They show nothing (names refuse them at the API already).
 */
const ch = (code: number) => String.fromCharCode(code);
const XML_FORBIDDEN = new RegExp(
  `[${ch(0)}-${ch(8)}${ch(0xb)}${ch(0xc)}${ch(0xe)}-${ch(0x1f)}${ch(0xfffe)}${ch(0xffff)}]|[\\uD800-\\uDBFF](?![\\uDC00-\\uDFFF])|(?<![\\uD800-\\uDBFF])[\\uDC00-\\uDFFF]`,
  "g",
);
export const xmlText = (s: unknown) =>
  String(s)
    .replace(XML_FORBIDDEN, "")
    .replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[c] ?? c);
const esc = xmlText;
const el = (name: string, value: unknown) =>
  value === undefined || value === null || value === "" ? "" : `<ns1:${name}>${esc(value)}</ns1:${name}>`;
const coded = (name: string, value: unknown) => (value === undefined ? "" : `<ns1:${name} code="${esc(value)}"/>`);

function adulteXml(a: DemandForm["demandeur"], extra = "") {
  const r = a.ressources;
  return [
    coded("civilite", a.civilite),
    el("nom", a.nom),
    el("nomPatronymique", a.nomNaissance),
    el("prenom", a.prenom),
    el("dateNaissance", a.dateNaissance),
    coded("sexe", a.sexe),
    coded("nationalite", a.nationalite),
    coded("situationFamiliale", a.situationFamiliale),
    extra,
    `<ns1:situationProfessionnelle>${el("profession", a.situationProfessionnelle.profession)}${coded("typeContratTravail", a.situationProfessionnelle.typeContrat)}${el("nomEmployeurPrincipal", a.situationProfessionnelle.employeur)}${a.situationProfessionnelle.communeTravail ? coded("commune", a.situationProfessionnelle.communeTravail) : ""}</ns1:situationProfessionnelle>`,
    `<ns1:revenuFiscal>${el("anneeMoins1", r.revenuFiscal.anneeN1)}${el("montantMoins1", r.revenuFiscal.montantN1)}${el("anneeMoins2", r.revenuFiscal.anneeN2)}${el("montantMoins2", r.revenuFiscal.montantN2)}</ns1:revenuFiscal>`,
    `<ns1:listeRessourceRecue>${r.mensuelles.map((m) => `<ns1:detailRessource>${coded("ressource", m.type)}${el("montant", m.montant)}</ns1:detailRessource>`).join("")}</ns1:listeRessourceRecue>`,
    r.pensionAlimentaireVersee
      ? `<ns1:listeRessourceVersee><ns1:detailRessource>${coded("ressource", "PAV")}${el("montant", r.pensionAlimentaireVersee)}</ns1:detailRessource></ns1:listeRessourceVersee>`
      : "",
  ].join("");
}

/** One demand as a `demandeLogement` element (no sensitive details, no NIR). */
export function demandToXml(d: Demand, numGuichet: string): string {
  const f = d.form;
  if (!f) return "";
  const a = f.contact.adresse;
  const adresse = `<ns1:adressePostale>${el("etranger", a.etranger)}${el("numero", a.numero)}${el("voie", a.voie)}${el("complement", a.complement)}${el("codePostal", a.codePostal)}${coded("commune", a.commune)}</ns1:adressePostale>`;
  const contact = `${el("telPortable", f.contact.telephone)}${el("mel", f.contact.email)}${adresse}`;
  const la = f.logementActuel;
  return [
    "<ns1:demandeLogement>",
    el("numUnique", d.numeroUnique),
    el("numGuichet", numGuichet),
    el("dateCreationDemande", civilDay(new Date(d.dateDepot))),
    "<ns1:personnePhysique>",
    `<ns1:demandeur>${adulteXml(f.demandeur, contact)}</ns1:demandeur>`,
    f.personnesACharge.length
      ? `<ns1:listePersonneACharge>${f.personnesACharge.map((p) => `<ns1:personneACharge>${el("nom", p.nom)}${el("prenom", p.prenom)}${el("dateNaissance", p.dateNaissance)}${coded("sexe", p.sexe)}${coded("lienParente", p.lienParente)}</ns1:personneACharge>`).join("")}</ns1:listePersonneACharge>`
      : "",
    f.naissanceAttendue
      ? `<ns1:personneANaitre>${el("nombre", f.naissanceAttendue.nombre)}${el("dateNaissancePrevue", f.naissanceAttendue.dateNaissancePrevue)}</ns1:personneANaitre>`
      : "",
    f.enfantsEnGarde.length
      ? `<ns1:listePersonneEnGarde>${f.enfantsEnGarde.map((p) => `<ns1:personneEnGarde>${el("dateNaissance", p.dateNaissance)}${coded("sexe", p.sexe)}${coded("coParentalite", p.coParentalite)}</ns1:personneEnGarde>`).join("")}</ns1:listePersonneEnGarde>`
      : "",
    f.cotitulaire
      ? `<ns1:listeCotitulaire><ns1:cotitulaire>${adulteXml(f.cotitulaire, coded("lienDemandeur", f.cotitulaire.lienDemandeur))}</ns1:cotitulaire></ns1:listeCotitulaire>`
      : "",
    `<ns1:logementActuel><ns1:listeModeleLogement>${coded("modeleLogement", la.modele)}</ns1:listeModeleLogement>${el("montantMensuelLoyer", la.loyerMensuel)}${el("nombreHabitant", la.nombreOccupants)}${coded("categorieLogement", la.categorie)}${coded("typeLogementActuel", la.typeLogement)}${el("surface", la.surface)}</ns1:logementActuel>`,
    "</ns1:personnePhysique>",
    `<ns1:listeMotif>${f.motifs.map((m) => (m.precision ? `<ns1:motif code="${esc(m.code)}">${el("precision", m.precision)}</ns1:motif>` : coded("motif", m.code))).join("")}</ns1:listeMotif>`,
    `<ns1:logementRecherche>${el("demandeElargie", f.souhaits.demandeElargie)}${coded("categorieLogement", f.souhaits.categorie)}<ns1:listeTypeLogement>${f.souhaits.typologies.map((t) => coded("typeLogement", t)).join("")}</ns1:listeTypeLogement><ns1:listeLocalisationSouhaite>${f.souhaits.communes.map((c) => `<ns1:localisationSouhaite>${coded("commune", c)}</ns1:localisationSouhaite>`).join("")}</ns1:listeLocalisationSouhaite></ns1:logementRecherche>`,
    "</ns1:demandeLogement>",
  ].join("");
}

export const xmlHeader = (typeFichier: string, at: Date) =>
  `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<ns1:interfaceNuu versionInterface="02.01" xmlns:ns1="http://nuu.application.i2/"><ns1:entete>${coded("typeFichier", typeFichier)}${el("dateFichier", at.toISOString())}</ns1:entete><ns1:demande>\n`;
export const xmlFooter = "</ns1:demande></ns1:interfaceNuu>\n";

import type { DemandFormInput } from "@logis/contracts";
import type { Demande, Logement } from "./territory.js";

/**
 * The numéro unique of an imported stock demand, as the SNE gives it (registration's format:
 * département on 3, MMYY of the deposit, a sequence on 9, an ISO 7064 mod 97-10 key in two letters).
 * The simulation's sequences start at 800 000 000 so that they never meet the desks' own.
 */
export function numeroUniqueOf(departement: string, depotLe: string, sequence: number): string {
  const body = `${departement.padStart(3, "0")}${depotLe.slice(5, 7)}${depotLe.slice(2, 4)}${String(800_000_000 + sequence).padStart(9, "0")}`;
  let remainder = 0;
  for (const ch of body) {
    const value = /\d/.test(ch) ? Number(ch) : ch.charCodeAt(0) - 55;
    for (const digit of String(value)) remainder = (remainder * 10 + Number(digit)) % 97;
  }
  const key = 98 - ((remainder * 100) % 97);
  return `${body}${String.fromCharCode(65 + Math.floor(key / 26), 65 + (key % 26))}`;
}

const cell = (v: unknown) => {
  const s = v === undefined || v === null ? "" : String(v);
  return /[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};
const line = (cells: unknown[]) => `${cells.map(cell).join(";")}\n`;

const demandColumns = [
  "numUnique",
  "dateCreationDemande",
  "dateDernierRenouvellement",
  "civilite",
  "nom",
  "prenom",
  "dateNaissance",
  "sexe",
  "nationalite",
  "situationFamiliale",
  "typeContrat",
  "ressources",
  "revenuFiscalN2",
  "cotitulaireNom",
  "cotitulairePrenom",
  "cotitulaireDateNaissance",
  "cotitulaireLien",
  "cotitulaireTypeContrat",
  "enfants",
  "adresseNumero",
  "adresseVoie",
  "codePostal",
  "commune",
  "telephone",
  "logementModele",
  "loyer",
  "surface",
  "occupants",
  "motifs",
  "typologies",
  "communesSouhaitees",
  "demandeElargie",
] as const;

/** The stock demands in registration's CSV exchange format (`;`, lists joined with `|`), with their numéros. */
export function demandsCsv(demandes: readonly { demande: Demande; numero: string }[]): string {
  const rows = demandes.map(({ demande, numero }) => {
    const f: DemandFormInput = demande.form;
    const res = (r: readonly { type: string; montant: number }[] | undefined) =>
      (r ?? []).map((m) => `${m.type}:${m.montant}`).join("|");
    const row: Record<(typeof demandColumns)[number], unknown> = {
      numUnique: numero,
      dateCreationDemande: demande.depotLe,
      dateDernierRenouvellement: demande.renouveleLe,
      civilite: f.demandeur.civilite,
      nom: f.demandeur.nom,
      prenom: f.demandeur.prenom,
      dateNaissance: f.demandeur.dateNaissance,
      sexe: f.demandeur.sexe,
      nationalite: f.demandeur.nationalite,
      situationFamiliale: f.demandeur.situationFamiliale,
      typeContrat: f.demandeur.situationProfessionnelle?.typeContrat,
      ressources: res(f.demandeur.ressources?.mensuelles),
      revenuFiscalN2: f.demandeur.ressources?.revenuFiscal?.montantN2,
      cotitulaireNom: f.cotitulaire?.nom,
      cotitulairePrenom: f.cotitulaire?.prenom,
      cotitulaireDateNaissance: f.cotitulaire?.dateNaissance,
      cotitulaireLien: f.cotitulaire?.lienDemandeur,
      cotitulaireTypeContrat: f.cotitulaire?.situationProfessionnelle?.typeContrat,
      enfants: (f.personnesACharge ?? []).map((p) => [p.prenom, p.dateNaissance, p.sexe ?? ""].join("/")).join("|"),
      adresseNumero: f.contact.adresse.numero,
      adresseVoie: f.contact.adresse.voie,
      codePostal: f.contact.adresse.codePostal,
      commune: f.contact.adresse.commune,
      telephone: f.contact.telephone,
      logementModele: f.logementActuel.modele,
      loyer: f.logementActuel.loyerMensuel,
      surface: f.logementActuel.surface,
      occupants: f.logementActuel.nombreOccupants,
      motifs: f.motifs.map((m) => m.code).join("|"),
      typologies: f.souhaits.typologies.join("|"),
      communesSouhaitees: f.souhaits.communes.join("|"),
      demandeElargie: f.souhaits.demandeElargie ? "oui" : "non",
    };
    return line(demandColumns.map((c) => row[c]));
  });
  return `${demandColumns.join(";")}\n${rows.join("")}`;
}

const unitColumns = [
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
] as const;

/** The housing stock in flux's RPLS-shaped CSV (`;`, oui/non, decimal comma). */
export function unitsCsv(logements: readonly Logement[]): string {
  const yes = (b: boolean) => (b ? "oui" : "non");
  const dec = (n: number) => String(n).replace(".", ",");
  const rows = logements.map((l) =>
    line([
      l.rplsId,
      l.idBailleur,
      l.commune,
      l.adresse,
      l.codePostal,
      yes(l.qpv),
      l.nbPieces,
      dec(l.surface),
      l.etage,
      yes(l.ascenseur),
      l.accessibilite,
      l.anneeConstruction,
      l.financement,
      dec(l.loyer),
    ]),
  );
  return `${unitColumns.join(";")}\n${rows.join("")}`;
}

import type { DemandFormInput } from "@logis/contracts";

export { prng } from "@logis/testing";

import type { prng } from "@logis/testing";

const noms = [
  "Martin",
  "Bernard",
  "Thomas",
  "Petit",
  "Robert",
  "Richard",
  "Durand",
  "Dubois",
  "Moreau",
  "Laurent",
  "Simon",
  "Michel",
  "Lefèvre",
  "Leroy",
  "Roux",
  "David",
  "Bertrand",
  "Morel",
  "Fournier",
  "Girard",
  "Bonnet",
  "Dupont",
  "Lambert",
  "Fontaine",
  "Rousseau",
  "Vincent",
  "Muller",
  "Faure",
  "André",
  "Mercier",
  "Blanc",
  "Guérin",
  "Boyer",
  "Garnier",
  "Chevalier",
  "François",
  "Legrand",
  "Gauthier",
  "Garcia",
  "Perrin",
  "Robin",
  "Clément",
  "Morin",
  "Nicolas",
  "Henry",
  "Roussel",
  "Mathieu",
  "Gautier",
  "Masson",
  "Marchand",
  "Benali",
  "Haddad",
  "Nguyen",
  "Diallo",
  "Traoré",
  "Da Silva",
  "Ferreira",
  "Kaya",
  "Yilmaz",
  "Benoît",
];
const prenomsF = [
  "Camille",
  "Léa",
  "Manon",
  "Chloé",
  "Emma",
  "Inès",
  "Sarah",
  "Aïcha",
  "Fatou",
  "Nadia",
  "Sophie",
  "Julie",
  "Hélène",
  "Marie",
  "Anne",
  "Yasmine",
  "Lina",
  "Zoé",
  "Clara",
  "Amandine",
];
const prenomsM = [
  "Lucas",
  "Hugo",
  "Louis",
  "Nathan",
  "Yanis",
  "Karim",
  "Mamadou",
  "Thomas",
  "Julien",
  "Marc",
  "Paul",
  "Antoine",
  "Mehdi",
  "Omar",
  "Kevin",
  "Nicolas",
  "Pierre",
  "Jean",
  "Ali",
  "Théo",
];
const voies = [
  "rue de la République",
  "avenue Jean Jaurès",
  "rue Garibaldi",
  "cours Lafayette",
  "rue Paul Bert",
  "boulevard des États-Unis",
  "rue Marius Berliet",
  "avenue Berthelot",
  "rue du Dauphiné",
  "rue Anatole France",
];

/** Communes of the Métropole de Lyon (INSEE code, postal code). */
export const lyonCommunes = [
  ["69381", "69001"],
  ["69382", "69002"],
  ["69383", "69003"],
  ["69384", "69004"],
  ["69385", "69005"],
  ["69386", "69006"],
  ["69387", "69007"],
  ["69388", "69008"],
  ["69389", "69009"],
  ["69266", "69100"],
  ["69259", "69200"],
  ["69029", "69500"],
  ["69290", "69800"],
  ["69273", "69120"],
  ["69034", "69300"],
  ["69149", "69600"],
  ["69202", "69110"],
  ["69256", "69120"],
  ["69282", "69140"],
  ["69091", "69130"],
] as const;

const pad = (n: number) => String(n).padStart(2, "0");
const date = (r: ReturnType<typeof prng>, from: number, to: number) =>
  `${r.int(from, to)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`;
const situationsLogement = ["CPE", "LP", "HLM", "CP", "SH", "HOT", "SD", "RS", "LTG", "SLHT"] as const;

/** A plausible household of the Lyon metropolitan area (département 69). */
export function syntheticDemand(r: ReturnType<typeof prng>): DemandFormInput {
  const femme = r.chance(0.6);
  const nom = r.pick(noms);
  const couple = r.chance(0.35);
  const enfants = r.pick([0, 0, 1, 1, 2, 2, 3, 4]);
  const [commune, codePostal] = r.pick(lyonCommunes);
  const salaire = r.chance(0.7) ? Math.round(r.int(900, 2600)) : 0;
  const modele = r.pick(situationsLogement);
  const sansLogement = ["SH", "HOT", "SD", "CP"].includes(modele);
  const typologie = (["T1", "T2", "T3", "T4", "T5"] as const)[Math.min(4, enfants + (couple ? 1 : 0))] ?? "T2";
  const wished = new Set([commune, r.pick(lyonCommunes)[0], r.pick(lyonCommunes)[0]]);
  return {
    departement: "69",
    demandeur: {
      civilite: femme ? "2" : "1",
      nom,
      prenom: femme ? r.pick(prenomsF) : r.pick(prenomsM),
      dateNaissance: date(r, 1950, 2004),
      sexe: femme ? "F" : "M",
      nationalite: r.pick(["1", "1", "1", "2", "3"] as const),
      situationFamiliale: couple ? r.pick(["M", "P", "U"] as const) : r.pick(["C", "D", "S", "V"] as const),
      situationProfessionnelle: {
        typeContrat: salaire ? r.pick(["CDI", "CDD", "APP"] as const) : r.pick(["CHO", "RET", "AUT", "ETU"] as const),
      },
      ressources: {
        mensuelles: [
          ...(salaire ? [{ type: "SAL" as const, montant: salaire }] : [{ type: "RSA" as const, montant: 607.75 }]),
          ...(enfants > 1 ? [{ type: "AF" as const, montant: 148.52 * (enfants - 1) }] : []),
        ],
        revenuFiscal: { anneeN2: 2024, montantN2: salaire * 11 },
      },
    },
    ...(couple
      ? {
          cotitulaire: {
            civilite: femme ? "1" : "2",
            nom,
            prenom: femme ? r.pick(prenomsM) : r.pick(prenomsF),
            dateNaissance: date(r, 1950, 2004),
            situationFamiliale: "M",
            situationProfessionnelle: { typeContrat: r.pick(["CDI", "CDD", "CHO"] as const) },
            ressources: { mensuelles: [], revenuFiscal: {} },
            lienDemandeur: "M",
          },
        }
      : {}),
    personnesACharge: Array.from({ length: enfants }, () => ({
      nom,
      prenom: r.chance(0.5) ? r.pick(prenomsF) : r.pick(prenomsM),
      dateNaissance: date(r, 2008, 2025),
      lienParente: "E" as const,
    })),
    contact: {
      adresse: { numero: String(r.int(1, 180)), voie: r.pick(voies), codePostal, commune },
      ...(r.chance(0.8)
        ? { telephone: `06 ${pad(r.int(0, 99))} ${pad(r.int(0, 99))} ${pad(r.int(0, 99))} ${pad(r.int(0, 99))}` }
        : {}),
      ...(r.chance(0.6)
        ? {
            email: `${nom.toLowerCase().replace(/[^a-z]/g, "")}${r.int(1, 999)}@example.org`,
            canalPrefere: "email" as const,
          }
        : {}),
    },
    logementActuel: {
      modele,
      nombreOccupants: 1 + (couple ? 1 : 0) + enfants + (modele === "CPE" ? 2 : 0),
      ...(["LP", "HLM"].includes(modele) ? { loyerMensuel: r.int(350, 950), surface: r.int(18, 75) } : {}),
    },
    motifs: [{ code: sansLogement ? "01" : r.pick(["09", "13", "11", "12", "19", "07", "03"] as const) }],
    souhaits: { typologies: [typologie], communes: [...wished], demandeElargie: r.chance(0.3) },
    situations: {
      handicap: r.chance(0.06),
      violencesFamiliales: r.chance(0.03),
      dalo: { statut: r.chance(0.04) ? "ACTIF" : "NON" },
      prioritesL441: sansLogement ? ["PRIO_SANS_LOGEMENT"] : [],
    },
  };
}

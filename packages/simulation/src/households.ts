import type { DemandFormInput } from "@logis/contracts";
import type { Rng } from "@logis/testing";
import type { Commune, PlafondsPlus } from "./reference.js";

/** The préfet's four priority publics in Moselle (PDALHPD), in their order; none for most households. */
export const PRIORITES = ["dalo", "sortie_hebergement", "critere_dalo", "situation_particuliere"] as const;
export type Priorite = (typeof PRIORITES)[number];

export const TYPOLOGIES = ["T1", "T2", "T3", "T4", "T5"] as const;
export type Typologie = (typeof TYPOLOGIES)[number];

/** A synthetic household and what the simulation needs to know of it beyond its form. */
export interface Menage {
  form: DemandFormInput;
  personnes: number;
  typologie: Typologie;
  /** Already a social tenant: a transfer (mutation). */
  mutation: boolean;
  priorite?: Priorite;
  /** Reference tax income (N-2), euros a year, and its ratio to the PLUS ceiling of the household's category. */
  revenuFiscal: number;
  ratioPlafond: number;
  /** Income per consumption unit (OECD scale), euros a year: the first-quartile quota looks at it. */
  revenuParUc: number;
  salarie: boolean;
  agentEtat: boolean;
  /** Monthly resources as the form declares them, and the household's consumption units. */
  ressourcesMensuelles: number;
  uc: number;
}

const noms = [
  "Muller",
  "Schmitt",
  "Klein",
  "Weber",
  "Meyer",
  "Schneider",
  "Wagner",
  "Becker",
  "Hoffmann",
  "Koch",
  "Martin",
  "Bernard",
  "Thomas",
  "Petit",
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
  "Fontaine",
  "Lambert",
  "Rossi",
  "Ferrari",
  "Bianchi",
  "Colombo",
  "Kowalski",
  "Nowak",
  "Benali",
  "Haddad",
  "Yilmaz",
  "Kaya",
  "Demir",
  "Diallo",
  "Traoré",
  "Da Silva",
  "Ferreira",
  "Gomes",
  "Nguyen",
  "Boukhari",
  "Mansouri",
  "Hamidi",
  "Schwartz",
  "Zimmermann",
  "Gross",
  "Jung",
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
  "Nadia",
  "Sophie",
  "Julie",
  "Marie",
  "Yasmine",
  "Lina",
  "Clara",
  "Élif",
  "Anna",
  "Giulia",
];
const prenomsM = [
  "Lucas",
  "Hugo",
  "Louis",
  "Nathan",
  "Yanis",
  "Karim",
  "Thomas",
  "Julien",
  "Marc",
  "Paul",
  "Antoine",
  "Mehdi",
  "Kevin",
  "Nicolas",
  "Pierre",
  "Emre",
  "Luca",
  "Jan",
];
const voies = [
  "rue Serpenoise",
  "rue des Jardins",
  "avenue Foch",
  "rue de la Gare",
  "rue du Général de Gaulle",
  "rue des Mineurs",
  "rue de la Forge",
  "place de la République",
  "rue Nationale",
  "rue des Écoles",
];

const pad = (n: number) => String(n).padStart(2, "0");
const birth = (r: Rng, fromYear: number, toYear: number) =>
  `${r.int(fromYear, toYear)}-${pad(r.int(1, 12))}-${pad(r.int(1, 28))}`;

/** Picks by weight (weights need not sum to 1). */
export function weighted<T>(r: Rng, items: readonly (readonly [T, number])[]): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let x = r.next() * total;
  for (const [item, w] of items) {
    x -= w;
    if (x < 0) return item;
  }
  return (items.at(-1) as readonly [T, number])[0];
}

/** The PLUS ceiling of a household of `personnes` persons (category 1–6, then per extra person). */
export function plafondPlus(plafonds: PlafondsPlus, personnes: number): number {
  const i = Math.min(personnes, 6) - 1;
  return (plafonds.categories[i] as number) + Math.max(0, personnes - 6) * plafonds.parPersonneSupplementaire;
}

/** The typology a household of that size asks for first. */
export const typologieFor = (personnes: number): Typologie =>
  TYPOLOGIES[Math.min(4, Math.max(0, personnes - 1 - (personnes >= 3 ? 1 : 0)))] ?? "T2";

/**
 * One household of the synthetic Moselle demand: sizes, incomes against the PLUS ceilings, current
 * housing, the préfet's priority publics and transfers drawn from distributions close to the SNE's
 * published shares (about four in ten single persons, three in ten transfers, a few percent DALO).
 */
export function menage(r: Rng, communes: readonly Commune[], plafonds: PlafondsPlus, year: number): Menage {
  const composition = weighted(r, [
    ["seul", 42],
    ["monoparental", 24],
    ["couple", 11],
    ["famille", 20],
    ["autre", 3],
  ] as const);
  const couple = composition === "couple" || composition === "famille";
  const enfants =
    composition === "monoparental"
      ? weighted(r, [
          [1, 45],
          [2, 35],
          [3, 15],
          [4, 5],
        ] as const)
      : composition === "famille"
        ? weighted(r, [
            [1, 35],
            [2, 40],
            [3, 18],
            [4, 7],
          ] as const)
        : composition === "autre"
          ? 1
          : 0;
  const personnes = 1 + (couple ? 1 : 0) + enfants;
  const femme = composition === "monoparental" ? r.chance(0.88) : r.chance(0.55);
  const nom = r.pick(noms);

  const mutation = r.chance(0.3);
  const priorite = mutation
    ? r.chance(0.03)
      ? ("dalo" as const)
      : undefined
    : weighted<Priorite | undefined>(r, [
        ["dalo", 3],
        ["sortie_hebergement", 8],
        ["critere_dalo", 9],
        ["situation_particuliere", 3],
        [undefined, 77],
      ]);
  const modele = mutation
    ? "HLM"
    : priorite === "sortie_hebergement"
      ? weighted(r, [
          ["SH", 5],
          ["RS", 3],
          ["HOT", 2],
        ] as const)
      : priorite === "critere_dalo"
        ? weighted(r, [
            ["CP", 4],
            ["LP", 4],
            ["SD", 1],
          ] as const)
        : weighted(r, [
            ["LP", 50],
            ["CPE", 30],
            ["CP", 8],
            ["LTG", 5],
            ["POCC", 2],
            ["SLHT", 5],
          ] as const);

  // Incomes: most households far below the ceiling (about half under the PLAI level), a few above.
  const ratioPlafond = Math.round(Math.min(1.4, 0.08 + 1.05 * r.next() ** 1.6) * 1000) / 1000;
  const plafond = plafondPlus(plafonds, personnes);
  const revenuFiscal = Math.round(plafond * ratioPlafond);
  const uc = 1 + (couple ? 0.5 : 0) + enfants * 0.3 + (composition === "autre" ? 0.2 : 0);
  const salarie = ratioPlafond > 0.35 && r.chance(0.75);
  const agentEtat = salarie && r.chance(0.06);
  const mensuel = Math.round((revenuFiscal / 12) * 100) / 100;
  const rsa = Math.min(mensuel, 646.52) || 646.52;

  const [first, ...rest] = wishedCommunes(r, communes);
  const typologie = typologieFor(personnes);
  const typologies =
    r.chance(0.4) && personnes > 1
      ? [typologie, TYPOLOGIES[TYPOLOGIES.indexOf(typologie) + 1] ?? typologie]
      : [typologie];
  const domicile = r.chance(0.7) ? (first as Commune) : r.pick(communes);
  const motif =
    priorite === "sortie_hebergement"
      ? "01"
      : priorite === "critere_dalo"
        ? r.pick(["03", "05", "01"] as const)
        : priorite === "situation_particuliere"
          ? "06"
          : mutation
            ? r.pick(["13", "10", "09", "07", "17"] as const)
            : r.pick(["09", "12", "13", "11", "19", "21", "04"] as const);

  const form: DemandFormInput = {
    departement: "57",
    demandeur: {
      civilite: femme ? "2" : "1",
      nom,
      prenom: femme ? r.pick(prenomsF) : r.pick(prenomsM),
      dateNaissance: birth(r, year - 78, year - 19),
      sexe: femme ? "F" : "M",
      nationalite: weighted(r, [
        ["1", 86],
        ["2", 7],
        ["3", 7],
      ] as const),
      situationFamiliale: couple ? r.pick(["M", "P", "U"] as const) : r.pick(["C", "D", "S", "V"] as const),
      situationProfessionnelle: {
        typeContrat: salarie
          ? r.pick(["CDI", "CDI", "CDD", "APP"] as const)
          : r.pick(["CHO", "RET", "AUT", "ETU"] as const),
      },
      ressources: {
        mensuelles: [salarie ? { type: "SAL" as const, montant: mensuel } : { type: "RSA" as const, montant: rsa }],
        revenuFiscal: { anneeN2: year - 2, montantN2: revenuFiscal },
      },
    },
    ...(couple
      ? {
          cotitulaire: {
            civilite: femme ? "1" : "2",
            nom,
            prenom: femme ? r.pick(prenomsM) : r.pick(prenomsF),
            dateNaissance: birth(r, year - 75, year - 19),
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
      dateNaissance: birth(r, year - 17, year - 1),
      lienParente: "E" as const,
    })),
    contact: {
      adresse: {
        numero: String(r.int(1, 120)),
        voie: r.pick(voies),
        codePostal: domicile.codePostal,
        commune: domicile.insee,
      },
      ...(r.chance(0.85)
        ? { telephone: `06 ${pad(r.int(0, 99))} ${pad(r.int(0, 99))} ${pad(r.int(0, 99))} ${pad(r.int(0, 99))}` }
        : {}),
    },
    logementActuel: {
      modele,
      nombreOccupants: personnes + (modele === "CPE" ? 2 : 0),
      ...(["LP", "HLM"].includes(modele) ? { loyerMensuel: r.int(320, 780), surface: r.int(22, 85) } : {}),
    },
    motifs: [{ code: motif }],
    souhaits: {
      typologies,
      communes: [first?.insee ?? "57463", ...rest.map((c) => c.insee)],
      demandeElargie: r.chance(0.3),
    },
    situations: {
      handicap: r.chance(0.05),
      violencesFamiliales: priorite === "situation_particuliere",
      dalo: { statut: priorite === "dalo" ? "ACTIF" : "NON" },
      prioritesL441:
        priorite === "sortie_hebergement"
          ? ["PRIO_C_HEBERGE"]
          : priorite === "critere_dalo"
            ? [motif === "05" ? "PRIO_EXPULSION" : motif === "03" ? "PRIO_E_INDIGNE" : "PRIO_SANS_LOGEMENT"]
            : priorite === "situation_particuliere"
              ? ["PRIO_F_VIOLENCES"]
              : [],
    },
  };
  return {
    form,
    personnes,
    typologie,
    mutation,
    ...(priorite ? { priorite } : {}),
    revenuFiscal,
    ratioPlafond,
    revenuParUc: Math.round(revenuFiscal / uc),
    salarie,
    agentEtat,
    ressourcesMensuelles: salarie ? mensuel : rsa,
    uc,
  };
}

/** One to three wished communes: the first drawn by population (tense communes drawn more), the others in its EPCI. */
function wishedCommunes(r: Rng, communes: readonly Commune[]): Commune[] {
  const first = weighted(
    r,
    communes.map((c) => [c, c.population * (c.tendu ? 1.6 : 1)] as const),
  );
  const sameEpci = communes.filter((c) => c.epci === first.epci && c.insee !== first.insee);
  const more = r.int(0, Math.min(2, sameEpci.length));
  const chosen = [first];
  for (let i = 0; i < more; i++) {
    const c = r.pick(sameEpci);
    if (!chosen.includes(c)) chosen.push(c);
  }
  return chosen;
}

import { z } from "zod";
import { codesOf } from "./code-lists.js";

// The demand for social housing: every rubric of the national form (cerfa 14069, R441-2-2 a–i).
// Field names follow the SNE interface (v02.01) where one exists. Dates are ISO `YYYY-MM-DD`.

const code = <L extends Parameters<typeof codesOf>[0]>(list: L) => z.enum(codesOf(list));
const isoDate = z.iso.date();
/** Characters that show nothing: controls, format characters (zero-width, bidi overrides), separators. */
const INVISIBLE = /[\p{Cc}\p{Cf}\p{Z}\s]/gu;
const text = (max = 120) =>
  z
    .string()
    .trim()
    .min(1)
    .max(max)
    .refine((s) => s.replace(INVISIBLE, "").length > 0, "texte vide : aucun caractère visible");
/**
 * A person's name: letters, with the spaces, hyphens and apostrophes names have, and never an
 * invisible character (NUL, right-to-left override, zero-width): those would display one name
 * and store another, and hide a household from the duplicate check.
 */
const personName = (max = 120) =>
  text(max)
    .refine((s) => !/[\p{Cc}\p{Cf}]/u.test(s), "caractères invisibles ou de contrôle interdits dans un nom")
    .refine((s) => /\p{L}/u.test(s), "un nom contient au moins une lettre");
/** Euros with at most 2 decimals, tolerant of binary floating point (148.52 × 2), rounded to the cent. */
const euros = z
  .number()
  .min(0)
  .max(1_000_000)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, "au plus deux décimales (centimes)")
  .transform((v) => Math.round(v * 100) / 100);

export const Departement = z
  .string()
  .regex(/^(0[1-9]|[1-8]\d|9[0-5]|2A|2B|97[1-6])$/, "code département attendu (01…95, 2A, 2B, 971…976)");
export const CommuneInsee = z.string().regex(/^(\d{5}|2[AB]\d{3})$/, "code commune INSEE attendu (5 caractères)");

/** NIR (numéro de sécurité sociale): 13 characters + a 2-digit key = 97 − (number mod 97). */
export const Nir = z
  .string()
  .transform((s) => s.replace(/\s/g, "").toUpperCase())
  .refine((s) => /^[12]\d{4}(\d{2}|2A|2B)\d{6}\d{2}$/.test(s), "NIR attendu : 15 caractères")
  .refine((s) => {
    const body = s.slice(0, 13).replace("2A", "19").replace("2B", "18");
    return 97 - Number(BigInt(body) % 97n) === Number(s.slice(13));
  }, "clé du NIR incorrecte");

export const Ressources = z.object({
  mensuelles: z
    .array(z.object({ type: code("ressource"), montant: euros }))
    .max(20)
    .default([]),
  pensionAlimentaireVersee: euros.optional(),
  revenuFiscal: z
    .object({
      anneeN1: z.number().int().min(2000).max(2100).optional(),
      montantN1: euros.optional(),
      anneeN2: z.number().int().min(2000).max(2100).optional(),
      montantN2: euros.optional(),
    })
    .default({}),
});

const identite = {
  civilite: code("civilite").optional(),
  nom: personName(),
  nomNaissance: personName().optional(),
  prenom: personName(),
  dateNaissance: isoDate,
  sexe: code("sexe").optional(),
  nationalite: code("nationalite").optional(),
  nir: Nir.optional(),
};

export const Demandeur = z.object({
  ...identite,
  situationFamiliale: code("situationFamiliale"),
  situationProfessionnelle: z.object({
    typeContrat: code("typeContratTravail"),
    profession: text().optional(),
    employeur: text().optional(),
    communeTravail: CommuneInsee.optional(),
  }),
  ressources: Ressources.default({ mensuelles: [], revenuFiscal: {} }),
});
export type Demandeur = z.infer<typeof Demandeur>;

export const Cotitulaire = Demandeur.extend({ lienDemandeur: code("lienDemandeur") });

export const PersonneACharge = z.object({
  nom: personName(),
  prenom: personName(),
  dateNaissance: isoDate,
  sexe: code("sexe").optional(),
  lienParente: code("lienParente"),
  nir: Nir.optional(),
});

export const EnfantEnGarde = z.object({
  dateNaissance: isoDate,
  sexe: code("sexe").optional(),
  coParentalite: code("coParentalite"),
});

export const Adresse = z.object({
  numero: z.string().trim().max(10).optional(),
  voie: text(200),
  complement: text(200).optional(),
  codePostal: z.string().regex(/^\d{5}$/, "code postal attendu (5 chiffres)"),
  commune: CommuneInsee,
  etranger: z.boolean().default(false),
});

export const Contact = z.object({
  adresse: Adresse,
  telephone: z
    .string()
    .regex(/^\+?[0-9 .-]{6,20}$/, "numéro de téléphone attendu")
    .optional(),
  email: z.email("adresse électronique attendue").optional(),
  /** R441-2-7: post, or e-mail when the applicant registered online or asked for it. */
  canalPrefere: z.enum(["courrier", "email"]).default("courrier"),
  /**
   * Every channel the applicant accepted for notices (renewal notice on each). Absent: the preferred
   * channel only (e-mail when known and preferred, post otherwise).
   */
  canauxAcceptes: z
    .array(z.enum(["courrier", "email", "sms"]))
    .min(1)
    .max(3)
    .optional(),
});

export const LogementActuel = z.object({
  modele: code("modeleLogement"),
  categorie: code("categorieLogement").optional(),
  typeLogement: code("typeLogement").optional(),
  loyerMensuel: euros.optional(),
  surface: z.number().positive().max(1000).optional(),
  nombreOccupants: z.number().int().min(1).max(30),
  proprietaire: text(200).optional(),
});

export const Motif = z
  .object({ code: code("motifDemande"), precision: text(500).optional() })
  .refine((m) => m.code !== "23" || m.precision !== undefined, {
    message: "précision obligatoire pour le motif 23 (autre motif)",
    path: ["precision"],
  });

export const Souhaits = z.object({
  typologies: z.array(code("typeLogement")).min(1, "au moins une typologie").max(7),
  communes: z.array(CommuneInsee).min(1, "au moins une commune souhaitée").max(30),
  demandeElargie: z.boolean().default(false),
  categorie: code("categorieRecherche").default("I"),
  logementAdapte: z.boolean().default(false),
  ascenseurNecessaire: z.boolean().default(false),
  loyerMaximum: euros.optional(),
});

/** Facts that downstream services (cotation, CAL) may know, without the sensitive details. */
export const Situations = z.object({
  handicap: z.boolean().default(false),
  violencesFamiliales: z.boolean().default(false),
  dalo: z.object({ statut: code("statutDalo"), dateDecision: isoDate.optional() }).default({ statut: "NON" }),
  /** L441-1 priority categories recognised for the household (codes from versioned configuration). */
  prioritesL441: z
    .array(z.string().regex(/^PRIO_[A-Z0-9_]+$/))
    .max(20)
    .default([]),
  accordCollectif: z.enum(["ACD", "ACI", "AUCUN"]).default("AUCUN"),
});

/** Details only roles that need them may read (SNE profile consultant_sensible). */
export const Sensible = z.object({
  violences: z.object({ description: text(2000), ordonnanceProtection: z.boolean().default(false) }).optional(),
  sante: z.object({ description: text(2000) }).optional(),
  handicap: z
    .object({
      etat: code("etatHandicap"),
      capaciteMarche: code("capaciteMarche").optional(),
      fauteuilRoulant: z.boolean().default(false),
      description: text(2000).optional(),
    })
    .optional(),
});
export type Sensible = z.infer<typeof Sensible>;

/** What a desk submits to register (or to update) a demand. */
export const DemandForm = z.object({
  departement: Departement,
  demandeur: Demandeur,
  cotitulaire: Cotitulaire.optional(),
  personnesACharge: z.array(PersonneACharge).max(20).default([]),
  naissanceAttendue: z.object({ nombre: z.number().int().min(1).max(5), dateNaissancePrevue: isoDate }).optional(),
  enfantsEnGarde: z.array(EnfantEnGarde).max(10).default([]),
  contact: Contact,
  logementActuel: LogementActuel,
  motifs: z.array(Motif).min(1, "au moins un motif").max(23),
  souhaits: Souhaits,
  situations: Situations.default({
    handicap: false,
    violencesFamiliales: false,
    dalo: { statut: "NON" },
    prioritesL441: [],
    accordCollectif: "AUCUN",
  }),
  sensible: Sensible.default({}),
});
export type DemandForm = z.infer<typeof DemandForm>;
export type DemandFormInput = z.input<typeof DemandForm>;

/**
 * The demand as events carry it: everything the chain needs to score, shortlist and examine it,
 * without contact details, NIRs or sensitive descriptions (those stay in registration).
 */
export const DemandFacts = z.object({
  demandeur: Demandeur.omit({ nir: true }),
  cotitulaire: Cotitulaire.omit({ nir: true }).optional(),
  personnesACharge: z.array(PersonneACharge.omit({ nir: true })),
  naissanceAttendue: z.object({ nombre: z.number().int(), dateNaissancePrevue: isoDate }).optional(),
  enfantsEnGarde: z.array(EnfantEnGarde),
  communeResidence: CommuneInsee.optional(),
  logementActuel: LogementActuel,
  motifs: z.array(z.object({ code: code("motifDemande"), precision: z.string().optional() })),
  souhaits: Souhaits,
  situations: Situations,
});
export type DemandFacts = z.infer<typeof DemandFacts>;

export const Guichet = z.object({
  numGuichet: z.string().min(1),
  organisationId: z.string().min(1),
  nom: z.string().min(1),
});
export type Guichet = z.infer<typeof Guichet>;

export const DemandStatus = z.enum(["active", "cancelled", "radiated", "purged"]);
export type DemandStatus = z.infer<typeof DemandStatus>;

export const NumeroUnique = z.string().regex(/^[0-9A-Z]{18}$/, "numéro unique attendu (18 caractères)");

export const Radiation = z.object({
  motif: code("motifRadiation"),
  sousMotif: code("sousMotifIrrecevabilite").optional(),
  date: z.iso.datetime({ offset: true }),
  commentaire: z.string().max(1000).optional(),
  /** R441-2-9 data, for an attribution. */
  attribution: z
    .object({
      rplsId: z.string().regex(/^[0-9A-Z]{10}$/, "identifiant RPLS attendu (10 caractères)"),
      contingent: code("typeReservataire"),
      dalo: z.boolean(),
      accordCollectif: z.enum(["ACD", "ACI", "AUCUN"]),
      bailleur: z.string().min(1),
    })
    .optional(),
});
export type Radiation = z.infer<typeof Radiation>;

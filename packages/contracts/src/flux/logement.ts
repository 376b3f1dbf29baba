import { z } from "zod";
import { CommuneInsee, Departement } from "../registration/demand.js";

// A social housing unit in the shape of the RPLS register (arrêté du 5 janvier 2010, domain reference
// §7): what a landlord declares, and the facts that travel in the flux events for the CAL service.

/** RPLS id: 10 positions (domain reference §1, §7); the join key of attributions (R441-2-9). */
export const RplsId = z
  .string({ error: "identifiant RPLS requis" })
  .regex(/^[0-9A-Z]{10}$/, "identifiant RPLS attendu : 10 caractères, chiffres ou lettres majuscules (ex. 5700012345)");
export type RplsId = z.infer<typeof RplsId>;

/** Typology from the number of main rooms (pièces principales): T1…T5, then T6 and more. */
export const Typologie = z.enum(["T1", "T2", "T3", "T4", "T5", "T6P"], {
  error: "typologie attendue : T1, T2, T3, T4, T5 ou T6P (6 pièces et plus)",
});
export type Typologie = z.infer<typeof Typologie>;
export const typologies = Typologie.options;

export const typologieOf = (nbPieces: number): Typologie =>
  nbPieces >= 6 ? "T6P" : (`T${Math.max(1, Math.trunc(nbPieces))}` as Typologie);

/** Initial financing of the unit (RPLS "financement initial"). */
export const Financement = z.enum(["PLAI", "PLUS", "PLS", "PLI"], {
  error: "financement attendu : PLAI, PLUS, PLS ou PLI",
});
export type Financement = z.infer<typeof Financement>;

/** Accessibility for people with reduced mobility: none, reachable without steps, or adapted (wheelchair). */
export const Accessibilite = z.enum(["non_accessible", "accessible", "adapte"], {
  error: "accessibilité attendue : non_accessible, accessible ou adapte",
});
export type Accessibilite = z.infer<typeof Accessibilite>;

/** Units that stay managed in stock, outside the flux (domain reference §5.1). */
export const ExceptionStock = z.enum(["defense_securite", "etablissement_sante"], {
  error: "exception au flux attendue : defense_securite ou etablissement_sante (laisser vide sinon)",
});
export type ExceptionStock = z.infer<typeof ExceptionStock>;

const int = (label: string, min: number, max: number) =>
  z
    .number({ error: `${label} : nombre entier attendu` })
    .int(`${label} : nombre entier attendu`)
    .min(min, `${label} : au moins ${min}`)
    .max(max, `${label} : au plus ${max}`);

const decimal = (label: string, unit: string, min: number, max: number) =>
  z
    .number({ error: `${label} : nombre attendu (en ${unit})` })
    .gt(min, `${label} : doit être supérieur à ${min} ${unit}`)
    .max(max, `${label} : au plus ${max} ${unit}, vérifiez l'unité`)
    .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, `${label} : au plus deux décimales`);

const text = (label: string, max: number) =>
  z
    .string({ error: `${label} requis` })
    .trim()
    .min(1, `${label} requis`)
    .max(max, `${label} : au plus ${max} caractères`);

/** What a landlord declares for one unit (API body or one CSV line). */
export const LogementDeclare = z.object({
  rplsId: RplsId,
  /** The landlord's own reference of the unit. */
  idBailleur: text("référence du logement chez le bailleur", 30),
  commune: CommuneInsee,
  adresse: text("adresse", 200),
  codePostal: z.string({ error: "code postal requis" }).regex(/^\d{5}$/, "code postal attendu : 5 chiffres"),
  qpv: z.boolean({
    error: "QPV : indiquez oui ou non (logement situé en quartier prioritaire de la politique de la ville)",
  }),
  nbPieces: int("nombre de pièces principales", 1, 20),
  surface: decimal("surface habitable", "m²", 0, 500),
  /** 0 = ground floor; negative for a garden level. */
  etage: int("étage", -2, 60),
  ascenseur: z.boolean({ error: "ascenseur : indiquez oui ou non" }),
  accessibilite: Accessibilite,
  anneeConstruction: int("année de construction", 1700, 2100),
  financement: Financement,
  /**
   * PLAI adapté: a PLAI unit built with the extra State subsidy of D331-25-1 (very low rent, tenant
   * support). The CAL may examine fewer than three candidates for it (domain reference §8). Optional
   * (absent from units declared before it existed): absent means no. Flux accepts it on PLAI units only.
   */
  plaiAdapte: z.boolean({ error: "PLAI adapté : indiquez oui ou non" }).optional(),
  /** Monthly main rent in euros (loyer principal, charges excluded). */
  loyer: decimal("loyer mensuel", "€", 0, 10_000),
  exceptionStock: ExceptionStock.optional(),
});
export type LogementDeclare = z.infer<typeof LogementDeclare>;

/** The unit facts carried by the events: the declaration plus what is derived from it. */
export const Logement = LogementDeclare.extend({ typologie: Typologie, departement: Departement });
export type Logement = z.infer<typeof Logement>;

/** The département of a commune: 2 characters, or 3 overseas (971…976). */
export const departementOfCommune = (commune: string): string =>
  commune.startsWith("97") ? commune.slice(0, 3) : commune.slice(0, 2);

export const toLogement = (declared: LogementDeclare): Logement => ({
  ...declared,
  typologie: typologieOf(declared.nbPieces),
  departement: departementOfCommune(declared.commune),
});

/** Why a unit is free: a tenant left, or the unit is let for the first time (mise en service). */
export const MotifLiberation = z.enum(["depart", "premiere_mise_en_location"], {
  error: "motif de libération attendu : depart ou premiere_mise_en_location",
});
export type MotifLiberation = z.infer<typeof MotifLiberation>;

/** Freed units taken out of the flux before sharing (domain reference §5.2). */
export const MotifSoustraction = z.enum(
  ["mutation_interne", "renouvellement_urbain", "copropriete_degradee", "demolition"],
  {
    error:
      "motif de soustraction attendu : mutation_interne, renouvellement_urbain, copropriete_degradee ou demolition",
  },
);
export type MotifSoustraction = z.infer<typeof MotifSoustraction>;

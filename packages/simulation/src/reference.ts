import { readFileSync } from "node:fs";
import { z } from "zod";

const Commune = z.object({
  insee: z.string().regex(/^57\d{3}$/),
  nom: z.string(),
  codePostal: z.string().regex(/^\d{5}$/),
  population: z.number().int().positive(),
  epci: z.string().regex(/^\d{9}$/),
  qpv: z.boolean(),
  tendu: z.boolean(),
});
export type Commune = z.infer<typeof Commune>;

const Reservataire = z.object({
  id: z.string(),
  nom: z.string(),
  type: z.enum(["prefet_prioritaires", "prefet_agents", "action_logement", "commune", "epci"]),
  commune: z.string().optional(),
  /** For an EPCI: its SIREN (its convention's share applies to the units of its communes). */
  epci: z.string().optional(),
  fondement: z.enum(["contingent_legal", "garantie_emprunt", "financement"]),
  delaiDesignationJours: z.number().int(),
  logementRendu: z.enum(["compte", "ne_compte_pas"]),
});
export type Reservataire = z.infer<typeof Reservataire>;

/** The kinds of social landlords: office public de l'habitat, entreprise sociale pour l'habitat, société d'économie mixte. */
export const TYPES_BAILLEUR = ["OPH", "ESH", "SEM"] as const;
const Bailleur = z.object({
  id: z.string(),
  nom: z.string(),
  type: z.enum(TYPES_BAILLEUR),
  /** Relative weight of its stock in each EPCI (by SIREN); absent: none there. */
  parts: z.record(z.string().regex(/^\d{9}$/), z.number().positive()),
});
export type Bailleur = z.infer<typeof Bailleur>;

/** A landlord's reservation convention with one reserver: the share of its yearly flux. */
const Convention = z.object({
  bailleur: z.string(),
  reservataire: z.string(),
  pourcentage: z.number().min(0).max(100),
});

/** The demo territory's referential (config/moselle.json): real INSEE codes and SIREN, demo flags. */
export const Referentiel = z.object({
  version: z.string(),
  departement: z.object({ code: z.string(), nom: z.string() }),
  epcis: z.array(z.object({ siren: z.string(), nom: z.string(), bassin: z.string() })).min(1),
  communes: z.array(Commune).min(1),
  bailleurs: z.array(Bailleur).min(1),
  reservataires: z.array(Reservataire),
  conventions: z.array(Convention),
});
export type Referentiel = z.infer<typeof Referentiel>;

const Plafonds = z.object({
  versions: z.array(
    z.object({
      id: z.string(),
      validFrom: z.iso.date(),
      validTo: z.iso.date(),
      plus: z.object({ categories: z.array(z.number()).length(6), parPersonneSupplementaire: z.number() }),
      regles: z.object({
        tauxEffortMax: z.number(),
        chargesMensuellesParPiece: z.number(),
        resteAVivreMinParUCJour: z.number(),
      }),
    }),
  ),
});
/** PLUS income ceilings (annual, by household category) in force on a day. */
export type PlafondsPlus = Plafonds["versions"][number]["plus"];
/** The CAL's affordability rules (rent burden, remaining income) in force on a day. */
export type ReglesAttribution = Plafonds["versions"][number]["regles"];
type Plafonds = z.infer<typeof Plafonds>;

const configFile = (name: string) => new URL(`../config/${name}`, import.meta.url);

export const loadReferentiel = (): Referentiel => {
  const r = Referentiel.parse(JSON.parse(readFileSync(configFile("moselle.json"), "utf8")));
  const reservers = new Set(r.reservataires.map((x) => x.id));
  const landlords = new Set(r.bailleurs.map((x) => x.id));
  for (const c of r.conventions)
    if (!reservers.has(c.reservataire) || !landlords.has(c.bailleur))
      throw new Error(
        `config/moselle.json : convention ${c.bailleur} × ${c.reservataire} sans bailleur ou réservataire connu`,
      );
  for (const e of r.epcis)
    if (!r.bailleurs.some((b) => b.parts[e.siren]))
      throw new Error(`config/moselle.json : aucun bailleur n'a de patrimoine dans l'EPCI ${e.nom} (${e.siren})`);
  return r;
};

/** The version in force on `day`, or the latest one when the day is past every version. */
function inForceOn(day: string) {
  const { versions } = Plafonds.parse(JSON.parse(readFileSync(configFile("plafonds.json"), "utf8")));
  const sorted = [...versions].sort((a, b) => (a.validFrom < b.validFrom ? -1 : 1));
  const inForce = sorted.find((v) => v.validFrom <= day && day <= v.validTo) ?? sorted.at(-1);
  if (!inForce) throw new Error("config/plafonds.json: aucun plafond");
  return inForce;
}

export const loadPlafonds = (day: string): PlafondsPlus => inForceOn(day).plus;
export const loadRegles = (day: string): ReglesAttribution => inForceOn(day).regles;

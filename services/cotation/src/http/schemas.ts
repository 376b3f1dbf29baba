import { Epci, GridKind, GridRules, NumeroUnique } from "@logis/contracts";
import type { CodeLabels } from "@logis/http";
import { z } from "zod";

// The answers of cotation's operations, as the wire carries them (documented in /openapi.json,
// checked against real answers by answers.int.test.ts). They follow what the use cases return
// (app/use-cases.ts, app/scoring.ts, engine/*.ts).

/** A moment, ISO 8601 in UTC. */
const instant = z.iso.datetime({ offset: true }).meta({ examples: ["2026-11-22T09:00:00.000Z"] });
/** A civil day, ISO 8601. */
const day = z.iso.date().meta({ examples: ["2026-11-22"] });
const Numero = NumeroUnique.meta({ examples: ["069032600000012345"] });
const labels = z.record(z.string(), z.string());

export const Facts = z.object({
  /** The facts of a demand a grid may name, in catalogue order. */
  facts: z.array(
    z.object({
      name: z.string(),
      libelle: z.string(),
      type: z.enum(["bool", "number", "code", "codeSet", "commune"]),
      /** Allowed codes of a `code` or `codeSet` fact. */
      codes: z.array(z.string()).readonly().optional(),
      /** The possible values of a number fact. */
      min: z.number().optional(),
      max: z.number().optional(),
      /** Grows with time (seniority): computed on the day scored. */
      temporal: z.boolean().optional(),
    }),
  ),
  /** The proof pieces, by code. */
  justificatifs: labels,
  /** The priority publics of L441-1, by code. */
  prioritesL441: labels,
  /** The version of the reference data. */
  version: z.string(),
});

/** A grid version (draft or published) and its history. */
const GridView = z
  .object({
    id: z.string().meta({ examples: ["grd_200046977_unique.v1"] }),
    gridId: z.string().meta({ examples: ["grd_200046977_unique"] }),
    epci: Epci,
    kind: GridKind,
    version: z.number().int(),
    nom: z.string(),
    status: z.enum(["draft", "published"]),
    rules: GridRules,
    effectiveFrom: day.optional(),
    publishedAt: instant.optional(),
    publishedBy: z.string().optional(),
    /** The seed of the draw that orders equal scores (set at publication). */
    drawSeed: z.number().int().optional(),
    /** The draft was simulated after its last change (publication requires it). */
    simulatedAt: instant.optional(),
    history: z.array(
      z.object({
        at: instant,
        by: z.string(),
        byName: z.string(),
        action: z.enum(["créée", "modifiée", "simulée", "publiée"]),
        note: z.string().optional(),
      }),
    ),
  })
  .meta({ title: "Grille", description: "Une version de grille de cotation d'un EPCI et son historique" });

export const Grid = GridView;
export const GridList = z.array(GridView);

const Distribution = z.object({
  mean: z.number(),
  median: z.number(),
  p90: z.number(),
  max: z.number(),
  /** `[from, to)` bins of equal width. */
  histogram: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })),
});
const Mover = z.object({
  numeroUnique: z.string(),
  scoreBefore: z.number(),
  scoreAfter: z.number(),
  rankBefore: z.number().int(),
  rankAfter: z.number().int(),
});

/** A draft against the grid in force over the EPCI's live stock. */
export const Simulation = z.object({
  demandes: z.number().int(),
  asOf: day,
  /** Null: no grid in force to compare with. */
  before: Distribution.nullable(),
  after: Distribution,
  /** Rank shifts (positive = a better rank with the draft). */
  rankShift: z.array(z.object({ from: z.number(), to: z.number(), count: z.number().int() })).nullable(),
  movers: z.object({ up: z.array(Mover), down: z.array(Mover) }).nullable(),
  topN: z
    .object({
      n: z.number().int(),
      byTypology: z.array(
        z.object({
          typologie: z.string(),
          entering: z.number().int(),
          leaving: z.number().int(),
          /** Share of priority publics (DALO or an L441-1 category) in the top N, before and after. */
          priorityShareBefore: z.number(),
          priorityShareAfter: z.number(),
          sample: z.object({ entering: z.array(z.string()), leaving: z.array(z.string()) }),
        }),
      ),
    })
    .nullable(),
  durationMs: z.number(),
});

/** The explanation owed to the applicant (R441-2-17). */
const Explication = z.object({
  criteres: z.array(
    z.object({
      rubrique: z.string(),
      rubriqueLibelle: z.string(),
      code: z.string(),
      libelle: z.string(),
      /** The points the criterion brings (or would bring, when not retained). */
      points: z.number(),
      statut: z.enum(["retenu", "retenu_provisoire", "non_retenu_meilleur", "en_attente_justificatif"]),
      pourquoi: z.string(),
      /** The pieces awaited, by their names. */
      justificatifsAttendus: z.array(z.string()).optional(),
    }),
  ),
  rubriques: z.array(
    z.object({
      code: z.string(),
      libelle: z.string(),
      avantPlafond: z.number(),
      points: z.number(),
      plafond: z.number().optional(),
      plafonnement: z.string().optional(),
    }),
  ),
  total: z.object({
    avantBornes: z.number(),
    score: z.number(),
    plancher: z.number(),
    plafond: z.number().optional(),
    bornes: z.string().optional(),
  }),
  /** Sentences about what is provisional or not counted yet. */
  enAttente: z.array(z.string()),
  prioriteL441: z.object({
    prioritaire: z.boolean(),
    categories: z.array(z.object({ code: z.string(), libelle: z.string() })),
    dalo: z.string(),
    phrase: z.string(),
  }),
});

/** A demand's cotation in one EPCI where it is scored. */
const DemandCotation = z
  .object({
    epci: Epci,
    epciNom: z.string(),
    grille: z.object({
      id: z.string(),
      nom: z.string(),
      version: z.number().int(),
      kind: GridKind,
      effectiveFrom: day,
    }),
    asOf: day,
    score: z.number(),
    criteria: z.array(
      z.object({
        rubrique: z.string(),
        code: z.string(),
        libelle: z.string(),
        points: z.number(),
        /** Counted although its proof has not been checked yet. */
        provisional: z.boolean(),
      }),
    ),
    rank: z.number().int(),
    of: z.number().int(),
    decile: z.number().int(),
    similar: z.object({
      description: z.string(),
      demandes: z.number().int(),
      better: z.number().int(),
      percentile: z.number(),
    }),
    /** Null: no attribution observed for similar demands. */
    waitingTime: z.object({ meanDays: z.number(), attributions: z.number().int() }).nullable(),
    explication: Explication,
  })
  .meta({ title: "Cotation", description: "La cotation d'une demande dans un EPCI : note, rang, explication" });

export const Cotation = z.object({ numeroUnique: Numero, cotations: z.array(DemandCotation) });

export const Classement = z.object({
  epci: Epci,
  date: day,
  demandes: z.array(
    z.object({
      demandId: z.string(),
      numeroUnique: Numero,
      rank: z.number().int(),
      of: z.number().int(),
      score: z.number(),
      grid: z.object({ gridId: z.string(), version: z.number().int() }),
    }),
  ),
  /** Demands walked (passed or not) for this page. */
  parcourues: z.number().int(),
  /** The `after` of the next page (null: the end of every ranking). */
  suivant: z.number().int().nullable(),
  /** When the ranking walked was computed: past its time it is served while a newer one is rebuilt in the background. */
  classementCalculeLe: instant,
  ageSecondes: z.number().int().min(0),
});

export const ExplanationLink = z.object({
  token: z.string(),
  /** The path to give the applicant (on this service). */
  chemin: z.string().meta({ examples: ["/v1/explication/eyJudW1lcm9Vbmlxd….c2lnbmF0dXJl"] }),
  expireLe: instant,
});

export const ApplicantExplanation = z.object({
  numeroUnique: Numero,
  lienExpireLe: instant,
  cotations: z.array(DemandCotation),
});

/** Declared once in the document's components and referred to where they appear whole. */
export const sharedSchemas = { Grille: GridView, Cotation: DemandCotation };

const cotationLabels: Record<string, string>[] = [
  { unique: "Grille unique", primo: "Primo-demandeurs", mutation: "Demandes de mutation" },
  { draft: "Brouillon", published: "Publiée" },
  { créée: "Créée", modifiée: "Modifiée", simulée: "Simulée", publiée: "Publiée" },
  {
    retenu: "Retenu",
    retenu_provisoire: "Retenu à titre provisoire (justificatif non vérifié)",
    non_retenu_meilleur: "Non retenu : un critère de la même rubrique rapporte davantage",
    en_attente_justificatif: "En attente d'un justificatif",
  },
  { bool: "Oui ou non", number: "Nombre", code: "Code", codeSet: "Liste de codes", commune: "Commune" },
  { best: "Le meilleur critère de la rubrique compte", sum: "Les critères de la rubrique s'additionnent" },
  { in: "Parmi les valeurs", notIn: "Hors des valeurs" },
  { gt: "Supérieur à", gte: "Supérieur ou égal à", lt: "Inférieur à", lte: "Inférieur ou égal à" },
  {
    hasAny: "Contient l'une des valeurs",
    hasAll: "Contient toutes les valeurs",
    hasNone: "Ne contient aucune des valeurs",
  },
  { declaratif: "Déclaratif", justifie: "Justifié (pièce fournie)", valide: "Validé (pièce vérifiée)" },
  { provisoire: "Compte à titre provisoire", non_compte: "Ne compte pas" },
  { T1: "T1", T2: "T2", T3: "T3", T4: "T4", T5: "T5", T6P: "T6 et plus" },
  { true: "Oui", false: "Non" },
];
const sameSet = (values: readonly string[], keys: string[]) =>
  values.length === keys.length && values.every((v) => keys.includes(v));

/** The labels of cotation's coded values: the list whose codes are exactly the enum's. */
export const cotationCodeLabels: CodeLabels = (values) => cotationLabels.find((l) => sameSet(values, Object.keys(l)));

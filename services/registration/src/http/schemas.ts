import {
  Actor,
  Adresse,
  CommuneInsee,
  codesOf,
  DemandForm,
  DemandStatus,
  Departement,
  Guichet,
  NumeroUnique,
  Radiation,
  Sensible,
  sneCodeLists,
} from "@logis/contracts";
import { Avancement, type CodeLabels } from "@logis/http";
import { z } from "zod";

// The answers of the operations, as the wire carries them (documented in /openapi.json, checked
// against real answers by answers.int.test.ts). They follow what the use cases return (app/*.ts).

/** A moment, ISO 8601 in UTC (`2026-03-15T10:00:00.000Z`). */
const instant = z.iso.datetime({ offset: true }).meta({ examples: ["2026-03-15T10:00:00.000Z"] });
/** A Date of a job document: JSON carries it as an ISO 8601 string (documented so by @logis/http). */
const stamp = z.coerce.date();
const typologie = z.enum(codesOf("typeLogement"));

export const Numero = NumeroUnique.meta({ examples: ["069032600000012345"] });

const By = Actor.extend({ name: z.string().optional() });

const HistoryEntry = z.object({
  at: instant,
  by: By,
  action: z.enum([
    "register",
    "update",
    "renew",
    "cancel",
    "reactivate",
    "radiate",
    "purge",
    "notice",
    "present-again",
    "piece",
    "refusal",
    "attestation",
    "procedure",
  ]),
  /** The form's paths that changed (only "sensible" for sensitive details a caller may not read). */
  changes: z.array(z.string()),
  comment: z.string().optional(),
});

const Channel = z.enum(["courrier", "email", "sms"]);
const RenewalNotice = z.object({ at: instant, forValidUntil: instant, channel: Channel });

const AttestationIssue = z.object({
  issuedAt: instant,
  channel: z.enum(["guichet", "courrier", "email", "sms"]),
  contentVersion: z.string(),
  reason: z.enum(["registration", "renewal", "reactivation", "copy"]),
});

const Procedure = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("inadmissibility"),
    sousMotif: z.enum(["IRRSEJ", "IRRRES"]),
    notifiedAt: instant,
    dueAt: instant,
    decision: z.string(),
  }),
  z.object({ kind: z.literal("no-answer"), letterAt: instant, dueAt: instant, objet: z.string() }),
]);

/** The form as a caller reads it: `sensible` only for the roles that may (`sensibleMasque` otherwise). */
const FormView = DemandForm.extend({ sensible: Sensible.optional() });

/** A demand's file (registration's aggregate) as the caller may read it. */
export const DemandView = z
  .object({
    id: z.string().meta({ examples: ["dem_8f3a2c1b9d4e5f60"] }),
    numeroUnique: Numero,
    departement: Departement,
    status: DemandStatus,
    /** The document's revision: send it back as `expectedVersion` to change the demand. */
    version: z.number().int(),
    eventSeq: z.number().int(),
    dateDepot: instant,
    dateDernierRenouvellement: instant.optional(),
    validUntil: instant,
    guichet: Guichet,
    form: FormView.optional(),
    sensibleMasque: z.boolean().optional(),
    radiation: Radiation.optional(),
    reactivableUntil: instant.optional(),
    purgeAfter: instant.optional(),
    purgedAt: instant.optional(),
    notices: z.array(RenewalNotice),
    distinctFrom: z.array(z.string()),
    history: z.array(HistoryEntry),
    pieces: z
      .array(
        z.object({
          piece: z.string(),
          receivedAt: instant,
          by: By,
          checked: z.boolean(),
          criteres: z.array(z.string()),
          personne: z.enum(["demandeur", "cotitulaire"]).optional(),
        }),
      )
      .optional(),
    refusals: z
      .array(
        z.object({
          refusedOn: z.iso.date(),
          suitable: z.boolean(),
          rplsId: z.string().optional(),
          recordedAt: instant,
          by: By,
          comment: z.string(),
        }),
      )
      .optional(),
    attestations: z.array(AttestationIssue).optional(),
    procedure: Procedure.optional(),
    separation: z
      .object({ numeroUniqueOrigine: z.string(), demandIdOrigine: z.string(), dateDepotOrigine: instant })
      .optional(),
  })
  .meta({ title: "Demande", description: "Le dossier d'une demande, tel que l'appelant peut le lire" });

export const Registered = z.object({
  /** `linked`: the desk declared the household already registered; the existing demand is answered. */
  outcome: z.enum(["registered", "linked"]),
  demand: DemandView,
});

export const SearchResult = z.object({
  page: z.number().int(),
  pageSize: z.number().int(),
  total: z.number().int(),
  items: z.array(
    z.object({
      numeroUnique: Numero,
      departement: Departement,
      statut: DemandStatus,
      demandeur: z.object({ nom: z.string(), prenom: z.string() }).optional(),
      dateDepot: instant,
      validUntil: instant,
      typologies: z.array(typologie),
      communes: z.array(CommuneInsee),
    }),
  ),
});

export const History = z.object({
  numeroUnique: Numero,
  history: z.array(HistoryEntry),
  notices: z.array(RenewalNotice),
  /** Every read of the file: who, what, when. */
  lectures: z.array(
    z.object({
      at: stamp,
      userId: z.string(),
      organisationId: z.string(),
      demandId: z.string(),
      numeroUnique: z.string(),
      what: z.enum(["file", "attestation", "history", "sensitive"]),
      requestId: z.string().optional(),
    }),
  ),
});

const Personne = z.object({ civilite: z.string().optional(), nom: z.string(), prenom: z.string() });

/** The registration attestation (R441-2-4) as last issued, with every issue. */
export const AttestationRead = z.object({
  titre: z.string(),
  numeroUnique: Numero,
  departement: Departement,
  dateDepot: instant,
  dateDernierRenouvellement: instant.optional(),
  validiteJusquAu: instant,
  statut: DemandStatus,
  demandeur: Personne,
  cotitulaire: Personne.optional(),
  adresse: Adresse,
  organismeEnregistreur: z.object({ nom: z.string(), numeroGuichet: z.string() }),
  typologiesSouhaitees: z.array(typologie),
  communesSouhaitees: z.array(CommuneInsee),
  regles: z.object({
    validite: z.string(),
    renouvellement: z.string(),
    radiation: z.array(z.string()),
    conservation: z.string(),
    dalo: z.string(),
  }),
  /** The legal texts the rules come from. */
  sources: z.array(z.string()),
  delivreeLe: instant,
  /** The names of the places named by code: the département, the communes (wished and of the address). */
  lieux: z
    .object({ departement: z.string(), communes: z.record(z.string(), z.string()) })
    .optional()
    .meta({ examples: [{ departement: "Rhône", communes: { "69383": "Lyon 3e Arrondissement" } }] }),
  /** How to reach the registering desk today (config/guichets.json); absent for a desk not listed there. */
  coordonneesGuichet: z
    .object({
      nom: z.string(),
      adresse: z.object({ lignes: z.array(z.string()), codePostal: z.string(), commune: z.string() }),
      telephone: z.string(),
      courriel: z.string(),
      horaires: z.string().optional(),
    })
    .optional()
    .meta({
      examples: [
        {
          nom: "Guichet Lyon Métropole Habitat",
          adresse: {
            lignes: ["Accueil demande de logement", "194 rue Duguesclin"],
            codePostal: "69003",
            commune: "Lyon",
          },
          telephone: "04 65 71 01 23",
          courriel: "demande-logement@lmh-demo.example",
          horaires: "du lundi au vendredi, de 9 h à 12 h et de 13 h 30 à 17 h",
        },
      ],
    }),
  emissions: z.array(AttestationIssue),
  /** Rebuilt now: the demand was registered before attestations were recorded. */
  reconstituee: z.boolean(),
});

export const Emissions = z.object({ emissions: z.array(AttestationIssue) });

export const DuplicateCandidates = z.object({
  candidats: z.array(
    z.object({
      demandId: z.string(),
      numeroUnique: Numero,
      statut: DemandStatus,
      demandeur: z.object({ nom: z.string(), prenom: z.string(), dateNaissance: z.iso.date() }),
      dateDepot: instant,
      /** The desk that registered it. */
      guichet: z.string(),
      /** 0 to 1: above 0.75 the pair is shown. */
      score: z.number(),
      raisons: z.array(z.string()),
    }),
  ),
});

export const Started = z.object({ id: z.string().meta({ examples: ["job_01jd3k4m5n6p7q8r"] }) });

const jobBase = {
  id: z.string(),
  departement: Departement,
  /** `interrupted`: the service stopped while the job ran (no news for two minutes). */
  status: z.enum(["running", "done", "failed", "interrupted"]),
  startedAt: stamp,
  heartbeatAt: stamp,
  finishedAt: stamp.optional(),
  startedBy: Actor,
  error: z.string().optional(),
};

const Person = z.object({
  demandId: z.string(),
  numeroUnique: z.string(),
  nom: z.string(),
  prenom: z.string(),
  dateNaissance: z.string(),
});

export const DuplicateScan = z.object({
  ...jobBase,
  progress: z.object({ processed: z.number().int(), total: z.number().int() }),
  avancement: Avancement.optional(),
  /** The first 500 pairs, best first. */
  pairs: z.array(z.object({ a: Person, b: Person, score: z.number(), raisons: z.array(z.string()) })),
  nombrePaires: z.number().int(),
});

export const ImportJob = z.object({
  ...jobBase,
  format: z.enum(["sne-xml", "csv"]),
  progress: z.object({
    read: z.number().int(),
    created: z.number().int(),
    alreadyPresent: z.number().int(),
    failed: z.number().int(),
  }),
  bytes: z.object({ read: z.number().int(), total: z.number().int() }).optional(),
  /** The shared progress shape, over the file's bytes, and the records read so far. */
  avancement: Avancement.extend({ enregistrementsLus: z.number().int() }).optional(),
  /** One line per record refused (the first 1 000): its place in the file, its numéro, the field, why. */
  errors: z.array(
    z.object({
      record: z.number().int(),
      numUnique: z.string().optional(),
      field: z.string().optional(),
      message: z.string(),
    }),
  ),
});

export const ExportJob = z.object({
  ...jobBase,
  format: z.enum(["sne-xml", "csv"]),
  /** Demands written of the département's active and cancelled ones. */
  avancement: Avancement,
  /** Once done: the file to download (name, media type, size in bytes, address). */
  fichier: z
    .object({
      nom: z.string().meta({ examples: ["demandes-69.csv"] }),
      type: z.string().meta({ examples: ["text/csv; charset=utf-8"] }),
      octets: z.number().int(),
      adresse: z.string().meta({ examples: ["/v1/exports/job_01jd3k4m5n6p7q8r/fichier"] }),
    })
    .optional(),
  /** When the file was removed (kept 24 hours after the end): the job stays as a record. */
  fichierSupprimeLe: stamp.optional(),
  /** Runs started again after the service stopped while the job ran (from the start: nothing half-written is served). */
  relances: z.number().int().optional(),
});

/** Declared once in the document's components and referred to where they appear whole. */
export const sharedSchemas = { Demande: DemandView, FormulaireDemande: DemandForm };

const statusLabels: Record<string, string> = {
  active: "Active",
  cancelled: "Annulée pour non-renouvellement (réactivable dans le délai légal)",
  radiated: "Radiée",
  purged: "Purgée (données effacées)",
};
/** Registration's own coded values (not SNE lists), labelled as desks read them. */
const ownLabels: Record<string, string>[] = [
  { ACD: "Accord collectif départemental", ACI: "Accord collectif intercommunal", AUCUN: "Aucun" },
  {
    register: "Enregistrement",
    update: "Modification",
    renew: "Renouvellement",
    cancel: "Annulation (non-renouvellement)",
    reactivate: "Réactivation",
    radiate: "Radiation",
    purge: "Purge des données",
    notice: "Avis de renouvellement",
    "present-again": "Nouvelle présentation",
    piece: "Pièce justificative",
    refusal: "Refus d'un logement",
    attestation: "Attestation délivrée",
    procedure: "Procédure de radiation",
  },
  { file: "Dossier", attestation: "Attestation", history: "Historique", sensitive: "Dossier avec données sensibles" },
  { registration: "Enregistrement", renewal: "Renouvellement", reactivation: "Réactivation", copy: "Copie" },
  { registered: "Demande enregistrée", linked: "Ménage déjà inscrit : la demande existante" },
  { running: "En cours", done: "Terminé", failed: "Échoué", interrupted: "Interrompu (service arrêté)" },
  { distinct: "Ménage distinct", "meme-menage": "Même ménage" },
];
const lists = sneCodeLists.lists as Record<string, Record<string, string>>;
const sameSet = (values: readonly string[], keys: string[]) =>
  values.length === keys.length && values.every((v) => keys.includes(v));
/** `categorie` is `categorieLogement` in the current housing, `categorieRecherche` in the wishes. */
const propertyOf = (path: readonly (string | number)[]) =>
  [...path].reverse().find((p) => typeof p === "string" && !["properties", "items", "anyOf", "oneOf"].includes(p));

/**
 * The labels of the SNE code lists (v02.01) for the coded values of registration's schemas: the list
 * whose codes are exactly the enum's, the property name choosing between lists of the same codes
 * (civilité and nationalité are both 1, 2, 3).
 */
export const registrationLabels: CodeLabels = (values, path) => {
  if (sameSet(values, Object.keys(statusLabels))) return statusLabels;
  const own = ownLabels.find((labels) => sameSet(values, Object.keys(labels)));
  if (own) return own;
  const candidates = Object.entries(lists).filter(([, labels]) => sameSet(values, Object.keys(labels)));
  if (candidates.length <= 1) return candidates[0]?.[1];
  const property = String(propertyOf(path) ?? "");
  return candidates.find(([name]) => name === property || name.startsWith(property))?.[1];
};

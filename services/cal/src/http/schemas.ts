import {
  AvisOccupation,
  CandidatesProposed,
  DecisionRecorded,
  ExamenEligibilite,
  ExceptionTroisCandidats,
  Logement,
  ModeSeance,
  MotifIrrecevabilite,
  MotifNonAttribution,
  MotifRetraitOrdreDuJour,
  NumeroUnique,
  OccupancyExamined,
  PieceManquante,
  TypeDecision,
} from "@logis/contracts";
import { z } from "zod";
import { QUALITES } from "../domain/commission.js";

// Input schemas of the operations (French messages) and the views they answer: the aggregates'
// states as the caller may read them (checked against real answers by answers.int.test.ts).

const day = z.iso.date({ error: "date attendue (AAAA-MM-JJ)" });
const id = (prefix: string, label: string) =>
  z.string().regex(new RegExp(`^${prefix}_[A-Za-z0-9_.@-]+$`), `identifiant ${label} attendu (${prefix}_…)`);

export const CommissionId = z.object({ id: id("com", "de commission") });
export const SessionId = z.object({ id: id("ses", "de séance") });
export const AttributionId = z.object({ id: id("att", "d'attribution") });

const Membre = z.object({
  id: z.string().min(1),
  nom: z.string().trim().min(1).max(120),
  qualite: z.enum(QUALITES),
  voix: z.enum(["deliberative", "consultative"]),
});

export const ConstituteInput = z.object({
  id: id("com", "de commission"),
  bailleurId: z.string().min(1),
  departement: z.string().regex(/^(\d{2}|2[AB]|97\d)$/, "code département attendu"),
  epci: z.string().optional(),
  typeCommission: z.enum(["CAL", "CALEOL"]),
  membres: z.array(Membre).min(1).max(40),
  reglement: z.object({
    version: z.string().min(1),
    quorum: z.object({ fraction: z.number().gt(0).max(1), minimum: z.number().int().min(1) }),
    majorite: z.enum(["presents", "exprimes"]),
    voixPreponderante: z.string().min(1),
  }),
  mode: ModeSeance,
  recurrence: z.object({
    frequence: z.enum(["hebdomadaire", "bimensuelle", "mensuelle"]),
    jour: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4), z.literal(5)]),
    semaine: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
    depuis: day,
  }),
  capacite: z.number().int().min(1).max(200),
});

export const PlannedDaysQuery = z.object({ du: day, au: day });

export const ScheduleInput = z.object({
  id: id("ses", "de séance"),
  commissionId: id("com", "de commission"),
  date: day,
  mode: ModeSeance,
  ouverture: z.iso.datetime({ offset: true }).optional(),
  cloture: z.iso.datetime({ offset: true }).optional(),
});

export const PlanInput = z.object({ attributionId: id("att", "d'attribution") });
export const AttendanceInput = z.object({ presents: z.array(z.string().min(1)).max(40) });

const Bulletins = z
  .array(z.object({ membreId: z.string().min(1), vote: z.enum(["pour", "contre", "abstention"]) }))
  .max(40);

export const DecisionInput = z.object({
  attributionId: id("att", "d'attribution"),
  demandId: z.string().min(1),
  decision: TypeDecision,
  rang: z.number().int().positive().optional(),
  condition: z.object({ piece: PieceManquante, avant: day }).optional(),
  motifs: z
    .array(
      z.object({
        code: z.union([MotifNonAttribution, MotifIrrecevabilite]),
        precision: z.string().trim().min(1).max(500).optional(),
      }),
    )
    .max(10)
    .optional(),
  bulletins: Bulletins,
});

export const CancelInput = z.object({ motif: z.string().trim().min(1).max(500) });

const itemId = z
  .string()
  .regex(
    /^[A-Za-z0-9_.@-]{1,120}$/,
    "identifiant de point attendu (att_… pour un logement, l'identifiant du bail pour un examen d'occupation)",
  );
export const AgendaItemParams = z.object({ id: id("ses", "de séance"), itemId });
export const LetterParams = z.object({ id: id("ses", "de séance"), bailId: z.string().trim().min(1).max(80) });
export const RemoveItemInput = z.object({
  motif: MotifRetraitOrdreDuJour,
  commentaire: z.string().trim().max(500).optional(),
});
export const ReorderInput = z.object({
  ordre: z.array(itemId).min(1, "au moins un point").max(200, "au plus 200 points"),
});
export const OpinionInput = z.object({
  bailId: z.string().trim().min(1).max(80),
  code: AvisOccupation,
  commentaire: z.string().trim().max(1000).optional(),
  caracteristiquesLogementAdapte: z.string().trim().max(500).optional(),
  accessionSocialeConseillee: z.boolean().default(false),
  bulletins: Bulletins,
});

export const AnswerInput = z.object({
  demandId: z.string().min(1),
  reponse: z.enum(["acceptee", "refusee"]),
  motifRefus: z.string().trim().min(1).max(500).optional(),
});
export const PieceInput = z.object({ demandId: z.string().min(1), piece: PieceManquante });
export const LeaseInput = z.object({ demandId: z.string().min(1), signeLe: day });

export const DesignationInput = z.object({
  numerosUniques: z
    .array(NumeroUnique)
    .min(1, "au moins un numéro unique")
    .max(10, "au plus 10 candidats")
    .refine((l) => new Set(l).size === l.length, "un numéro unique est désigné deux fois"),
  justification: z.string().trim().min(1).max(500).optional(),
  exception: z.object({ code: ExceptionTroisCandidats, justification: z.string().trim().min(1).max(500) }).optional(),
});
export const PlanOutput = z.object({
  seancesProgrammees: z.array(z.string()),
  placements: z.array(
    z.object({
      attributionId: z.string(),
      sessionId: z.string(),
      date: z.string(),
      horsDelai: z.object({ echeance: z.string(), retardJours: z.number() }).optional(),
    }),
  ),
  nonPlaces: z.array(z.object({ attributionId: z.string(), motif: z.string() })),
  /** Places shown for the vacancies still waiting for the reserver's designation (from the day after its deadline), not written on any agenda. */
  reservations: z.array(z.object({ attributionId: z.string(), sessionId: z.string(), date: z.string() })),
  coutVacance: z.number(),
});
export const WhyParams = z.object({ id: id("att", "d'attribution"), numeroUnique: NumeroUnique });

const Refus = ExamenEligibilite.shape.refus;
const Rang = z.object({ rank: z.number().int(), of: z.number().int() });
export const Why = z
  .discriminatedUnion("statut", [
    z.object({
      numeroUnique: z.string(),
      statut: z.literal("candidat"),
      motif: z.string(),
      ordre: z.number().int(),
      rangCotation: Rang.nullable(),
      eligibilite: ExamenEligibilite,
    }),
    z.object({
      numeroUnique: z.string(),
      statut: z.literal("ecartee"),
      motif: z.string(),
      rangCotation: z.object({ rank: z.number().int() }),
      refus: Refus,
    }),
    z.object({
      numeroUnique: z.string(),
      statut: z.literal("non_examinee"),
      motif: z.string(),
      eligibiliteAujourdhui: ExamenEligibilite.nullable(),
    }),
  ])
  .meta({ title: "Pourquoi", description: "Pourquoi une demande est (ou n'est pas) sur la liste d'un logement" });

const Reglement = z.object({
  version: z.string(),
  quorum: z.object({ fraction: z.number(), minimum: z.number().int() }),
  majorite: z.enum(["presents", "exprimes"]),
  voixPreponderante: z.string(),
});

export const CommissionView = z
  .object({
    _id: z.string(),
    bailleurId: z.string(),
    departement: z.string(),
    epci: z.string().optional(),
    typeCommission: z.enum(["CAL", "CALEOL"]),
    membres: z.array(Membre),
    reglement: Reglement,
    mode: ModeSeance,
    recurrence: z.object({
      frequence: z.enum(["hebdomadaire", "bimensuelle", "mensuelle"]),
      jour: z.number().int().min(1).max(5),
      semaine: z.number().int().min(1).max(4).optional(),
      depuis: z.string(),
    }),
    capacite: z.number().int(),
    revision: z.number().int(),
  })
  .meta({ title: "Commission" });

const AgendaItem = z.discriminatedUnion("kind", [
  z.object({
    kind: z.literal("ATTRIBUTION"),
    attributionId: z.string(),
    rplsId: z.string(),
    departement: z.string(),
    reservataireId: z.string(),
    candidats: z.array(
      z.object({ demandId: z.string(), numeroUnique: z.string(), dalo: z.boolean(), eligibilite: ExamenEligibilite }),
    ),
  }),
  z.object({
    kind: z.literal("EXAMEN_OCCUPATION"),
    bailId: z.string(),
    rplsId: z.string(),
    situation: OccupancyExamined.payload.shape.situation,
  }),
]);

export const SessionView = z
  .object({
    _id: z.string(),
    commissionId: z.string(),
    bailleurId: z.string(),
    departement: z.string(),
    date: z.string(),
    mode: ModeSeance,
    ouverture: z.string().optional(),
    cloture: z.string().optional(),
    capacite: z.number().int(),
    membres: z.array(Membre),
    reglement: Reglement,
    statut: z.enum(["programmee", "ouverte", "close", "annulee"]),
    agenda: z.array(AgendaItem),
    presents: z.array(z.string()),
    decisions: z.array(DecisionRecorded.payload),
    examens: z.array(OccupancyExamined.payload),
    /** Items taken off the agenda before the session was held (planned again on a next session). */
    retraits: z
      .array(
        z.object({
          cle: z.string(),
          nature: z.enum(["ATTRIBUTION", "EXAMEN_OCCUPATION"]),
          rplsId: z.string(),
          motif: z.string(),
          commentaire: z.string().optional(),
          le: z.string(),
          par: z.string().optional(),
        }),
      )
      .optional(),
    /** The last convocation sent to the préfet's representative. */
    convocation: z
      .object({
        le: z.string(),
        destinataires: z.array(z.string()),
        seancePrecedente: z.object({ sessionId: z.string(), date: z.string() }).nullable(),
        accuses: z.array(z.object({ organisationId: z.string(), userId: z.string(), le: z.string() })).optional(),
      })
      .optional(),
    revision: z.number().int(),
    /** Public events published so far (the last one's aggregate version). */
    publies: z.number().int(),
  })
  .meta({ title: "Séance", description: "Une séance : ordre du jour, présences, décisions (sans son journal)" });

export const CancelledSessionView = SessionView.extend({ replanification: PlanOutput });

export const InboxQuery = z.object({
  depuis: day.optional().describe("les séances de ce jour et après"),
  apres: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}~ses_[A-Za-z0-9_.@-]+$/, "curseur attendu (la valeur « suivant » de la page précédente)")
    .optional(),
  limite: z.coerce.number().int().min(1, "au moins 1").max(200, "au plus 200").optional(),
});
export const InboxPage = z
  .object({
    convocations: z.array(
      z.object({
        sessionId: z.string(),
        commissionId: z.string(),
        bailleurId: z.string(),
        departement: z.string(),
        date: z.string(),
        mode: ModeSeance,
        statut: z.enum(["programmee", "ouverte", "close", "annulee"]),
        convoqueeLe: z.string(),
        ordreDuJour: z.array(
          z.object({ nature: z.enum(["ATTRIBUTION", "EXAMEN_OCCUPATION"]), rplsId: z.string(), cle: z.string() }),
        ),
        liens: z.object({
          convocation: z.string().describe("la convocation et l'ordre du jour, page imprimable"),
          procesVerbalPrecedent: z.string().nullable().describe("le procès-verbal de la séance précédente"),
        }),
        accuse: z
          .object({ le: z.string(), par: z.string() })
          .nullable()
          .describe("l'accusé de réception de votre organisation ; null : pas encore accusé"),
        accuses: z.array(z.object({ organisationId: z.string(), le: z.string() })),
      }),
    ),
    suivant: z.string().nullable().describe("à passer en « apres » pour la page suivante ; null : dernière page"),
  })
  .meta({ title: "Boîte de réception des convocations" });
export const RemovedItemView = SessionView.extend({
  replanification: z
    .object({
      sessionId: z.string().nullable(),
      date: z.string().nullable(),
      /** Why no next session took it (no room before the horizon). */
      motif: z.string().optional(),
    })
    .nullable()
    .describe("la séance suivante où le point est replanifié ; null : introuvable (retrait déjà fait)"),
}).meta({ title: "Séance après un retrait", description: "La séance sans le point retiré, et où ce point passe" });

export const Minutes = z
  .object({
    titre: z.string(),
    commissionId: z.string(),
    date: z.string(),
    mode: z.string(),
    statut: z.string(),
    reglement: z.string(),
    membres: z.array(
      z.object({
        nom: z.string(),
        qualite: z.enum(QUALITES),
        voix: z.enum(["deliberative", "consultative"]),
        present: z.boolean(),
      }),
    ),
    quorum: z.object({ presents: z.number().int(), requis: z.number().int(), atteint: z.boolean() }),
    logements: z.array(
      z.object({
        rplsId: z.string(),
        reservataireId: z.string(),
        candidats: z.array(
          z.object({
            numeroUnique: z.string(),
            decision: z.string().nullable(),
            rang: z.number().int().optional(),
            condition: z.string().optional(),
            motifs: z.array(z.string()),
            votes: z.string().optional(),
          }),
        ),
      }),
    ),
    examensOccupation: z.array(z.object({ rplsId: z.string(), situation: z.string(), avis: z.string() })),
    annulation: z.object({ motif: z.string(), le: z.string() }).optional(),
  })
  .meta({ title: "Procès-verbal", description: "Le procès-verbal d'une séance, construit à partir de ses événements" });

const Condition = z.object({ piece: PieceManquante, avant: z.string() });
const attributionFields = {
  _id: z.string(),
  logement: CandidatesProposed.payload.shape.logement,
  libereLe: z.string(),
  cible: CandidatesProposed.payload.shape.cible,
  exception: CandidatesProposed.payload.shape.exception,
  statut: z.enum(["a_designer", "proposee", "decidee", "offre_en_cours", "a_reproposer", "bail_signe"]),
  designationAvant: z.string().optional(),
  renduLe: z.string().optional(),
  designationExpiree: z.boolean().optional(),
  fluxVu: z.number().int().optional(),
  classement: z.array(
    z.object({
      demandId: z.string(),
      numeroUnique: z.string(),
      rang: z.number().int(),
      type: z.enum(["ATTRIBUTION", "ATTRIBUTION_RANG", "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE"]),
      condition: Condition.optional(),
    }),
  ),
  delaiReponseJours: z.number().int(),
  offres: z.array(
    z.object({
      demandId: z.string(),
      numeroUnique: z.string(),
      rang: z.number().int(),
      notifieeLe: z.string(),
      repondreAvant: z.string(),
      condition: Condition.extend({ levee: z.boolean() }).optional(),
      statut: z.enum(["en_attente", "acceptee", "refusee", "echue"]),
    }),
  ),
  bail: z.object({ demandId: z.string(), signeLe: z.string() }).optional(),
  revision: z.number().int(),
  publies: z.number().int(),
};

/** The landlord's staff and the préfecture read an attribution in full. */
export const AttributionView = z
  .object({
    ...attributionFields,
    candidats: CandidatesProposed.payload.shape.candidats.unwrap().array(),
    /** The shortlist's snapshot, when the candidates came from cotation's ranking. */
    examen: z
      .object({
        epci: z.string(),
        le: z.string(),
        filtre: z.record(z.string(), z.unknown()),
        parcourues: z.number().int(),
        examinees: z.number().int(),
        dernierRang: z.number().int().nullable(),
        ecartees: z.array(
          z.object({ demandId: z.string(), numeroUnique: z.string(), rank: z.number().int(), refus: Refus }),
        ),
      })
      .optional(),
    unite: Logement.extend({ plaiAdapte: z.boolean().optional() }).optional(),
  })
  .meta({ title: "Attribution", description: "L'attribution d'un logement libéré, lue en entier" });

/** A reserver reads its own units' attributions without the applicants' figures. */
export const ReserverAttributionView = z
  .object({
    ...attributionFields,
    candidats: z.array(
      z.object({
        demandId: z.string(),
        numeroUnique: z.string(),
        ordre: z.number().int(),
        dalo: z.boolean(),
        justification: z.string(),
        eligible: z.boolean(),
      }),
    ),
  })
  .meta({ title: "Attribution (réservataire)", description: "Sans les chiffres des ménages" });

export const AttributionAnswer = z.union([AttributionView, ReserverAttributionView]);

const limite = z.coerce
  .number({ error: "limite : nombre attendu" })
  .int("limite : nombre entier attendu")
  .min(1, "limite : au moins 1")
  .max(200, "limite : au plus 200")
  .optional();
const departement = z.string().regex(/^(\d{2}|2[AB]|97\d)$/, "code département attendu (57, 2A, 974…)");

export const ListSessionsQuery = z
  .object({
    commissionId: id("com", "de commission").optional(),
    departement: departement.optional(),
    du: day.optional(),
    au: day.optional(),
    statut: z
      .enum(["programmee", "ouverte", "close", "annulee"], {
        error: "statut attendu : programmee, ouverte, close ou annulee",
      })
      .optional(),
    apres: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2}~ses_[A-Za-z0-9_.@-]+$/, "apres : la valeur « suivant » de la page précédente")
      .optional(),
    limite,
  })
  .refine((q) => !q.du || !q.au || q.du <= q.au, { message: "du doit précéder au", path: ["au"] });

export const ListCommissionsQuery = z.object({
  bailleurId: z.string().min(1).optional(),
  departement: departement.optional(),
  typeCommission: z.enum(["CAL", "CALEOL"], { error: "type attendu : CAL ou CALEOL" }).optional(),
  apres: id("com", "de commission").optional(),
  limite,
});

export const SessionsPage = z.object({
  seances: z.array(
    z.object({
      id: z.string(),
      commissionId: z.string(),
      bailleurId: z.string(),
      departement: z.string(),
      date: z.string().describe("AAAA-MM-JJ"),
      mode: ModeSeance,
      statut: z.enum(["programmee", "ouverte", "close", "annulee"]),
      capacite: z.number().int(),
      ordreDuJour: z.array(
        z.discriminatedUnion("nature", [
          z.object({
            nature: z.literal("ATTRIBUTION"),
            attributionId: z.string(),
            rplsId: z.string(),
            reservataireId: z.string(),
            candidats: z.number().int(),
          }),
          z.object({
            nature: z.literal("EXAMEN_OCCUPATION"),
            bailId: z.string(),
            rplsId: z.string(),
            situation: z.string(),
          }),
        ]),
      ),
      decisions: z.number().int(),
    }),
  ),
  suivant: z.string().nullable().describe("à passer en « apres » pour la page suivante ; null : dernière page"),
});

export const CommissionsPage = z.object({
  commissions: z.array(
    z.object({
      id: z.string(),
      bailleurId: z.string(),
      departement: z.string(),
      epci: z.string().nullable(),
      typeCommission: z.enum(["CAL", "CALEOL"]),
      mode: ModeSeance,
      recurrence: z.object({
        frequence: z.enum(["hebdomadaire", "bimensuelle", "mensuelle"]),
        jour: z.number().int(),
        semaine: z.number().int().optional(),
        depuis: z.string(),
      }),
      capacite: z.number().int(),
      membres: z.number().int(),
    }),
  ),
  suivant: z.string().nullable().describe("à passer en « apres » pour la page suivante ; null : dernière page"),
});

const Situation = OccupancyExamined.payload.shape.situation;
export const OccupancyInput = z.object({
  baux: z
    .array(
      z.object({
        bailId: z.string().trim().min(1).max(80),
        rplsId: z.string().regex(/^\d{10}$/, "identifiant RPLS attendu (10 chiffres)"),
        commune: z.string().regex(/^(\d{5}|2[AB]\d{3})$/, "code INSEE de commune attendu"),
        signeLe: day,
        personnes: z.number().int().min(1).max(40),
        nbPieces: z.number().int().min(1).max(20),
        surface: z.number().positive().max(1000),
        logementAdapte: z.boolean(),
        handicapOccupant: z.boolean(),
        besoinLogementAdapte: z.boolean(),
        revenu: z.number().min(0),
        plafond: z.number().positive(),
      }),
    )
    .min(1, "au moins un bail")
    .max(500, "au plus 500 baux par envoi"),
});
export const OccupancyOutput = z.object({
  inscrits: z.array(
    z.object({
      bailId: z.string(),
      sessionId: z.string(),
      date: z.string(),
      /** The lease's three-year anniversary that brought it. */
      echeance: z.string(),
      situations: z.array(Situation),
    }),
  ),
  dejaInscrits: z.array(z.string()),
  nonPlaces: z.array(z.object({ bailId: z.string(), motif: z.string() })),
  /** Leases sent that are not due (no anniversary in the window, not in a tense-market commune, or no situation). */
  nonConcernes: z.number().int(),
});

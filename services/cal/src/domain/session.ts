import {
  type AvisOccupation,
  type DecisionRecorded,
  type ExamenEligibilite,
  libellesAvisOccupation,
  MotifIrrecevabilite,
  MotifNonAttribution,
  type MotifRetraitOrdreDuJour,
  type OccupancyExamined,
  type OccupancyOpinionNotified,
  type SessionCancelled,
  type SessionConvened,
  type SessionScheduled,
} from "@logis/contracts";
import { AppError, type Decider, err, ok, type Result } from "@logis/domain";
import type { IsoDay } from "./calendar.js";
import type { Commission, Membre, ReglementInterieur } from "./commission.js";

// One session of a commission: its agenda (attribution items with their candidates, occupancy
// examinations), attendance and quorum, votes, and one legal decision per examined candidate
// (R441-3, domain reference §6.2). A refused command decides nothing.

type Payload<E extends { payload: unknown }> = E["payload"];
type Decision = Payload<DecisionRecorded>;

export interface AgendaCandidate {
  demandId: string;
  numeroUnique: string;
  dalo: boolean;
  eligibilite: ExamenEligibilite;
}

export type AgendaItem =
  | {
      kind: "ATTRIBUTION";
      attributionId: string;
      rplsId: string;
      departement: string;
      reservataireId: string;
      candidats: AgendaCandidate[];
    }
  | {
      kind: "EXAMEN_OCCUPATION";
      bailId: string;
      rplsId: string;
      situation: Payload<OccupancyExamined>["situation"];
    };

export const itemKey = (item: AgendaItem) => (item.kind === "ATTRIBUTION" ? item.attributionId : item.bailId);

export type Vote = "pour" | "contre" | "abstention";

export type SessionEvent =
  | {
      type: "SessionScheduled";
      id: string;
      membres: Membre[];
      reglement: ReglementInterieur;
      scheduled: Payload<SessionScheduled>;
    }
  | { type: "AgendaItemPlanned"; item: AgendaItem; at: string }
  | {
      type: "AgendaItemWithdrawn";
      key: string;
      motif: MotifRetraitOrdreDuJour | string;
      commentaire?: string | undefined;
      at: string;
      by?: string | undefined;
    }
  | { type: "AgendaReordered"; ordre: string[]; at: string }
  | { type: "ConvocationAcknowledged"; organisationId: string; userId: string; at: string }
  | { type: "AttendanceRecorded"; presents: string[]; at: string }
  | { type: "DecisionRecorded"; decision: Decision; bulletins: { membreId: string; vote: Vote }[] }
  | ({ type: "OccupancyExamined" } & Payload<OccupancyExamined>)
  | { type: "SessionClosed"; at: string }
  | ({ type: "OccupancyOpinionNotified" } & Payload<OccupancyOpinionNotified>)
  | ({ type: "SessionConvened" } & Payload<SessionConvened>)
  | ({ type: "SessionCancelled" } & Payload<SessionCancelled>);

export interface Session {
  _id: string;
  commissionId: string;
  bailleurId: string;
  departement: string;
  date: IsoDay;
  mode: Payload<SessionScheduled>["mode"];
  ouverture?: string | undefined;
  cloture?: string | undefined;
  capacite: number;
  membres: Membre[];
  reglement: ReglementInterieur;
  statut: "programmee" | "ouverte" | "close" | "annulee";
  agenda: AgendaItem[];
  presents: string[];
  decisions: Decision[];
  examens: Payload<OccupancyExamined>[];
  /** Items taken off this session's agenda before it was held (planned again on a next session). */
  retraits?: Retrait[] | undefined;
  /** The last convocation sent to the préfet's representative (with the agenda and the previous minutes). */
  convocation?: {
    le: string;
    destinataires: string[];
    seancePrecedente: { sessionId: string; date: string } | null;
    /** Its acknowledgements of receipt, one per recipient organisation (the first one kept). */
    accuses?: { organisationId: string; userId: string; le: string }[] | undefined;
  };
  revision: number;
}

/** An item taken off the agenda: which, why, when and by whom. */
export interface Retrait {
  cle: string;
  nature: AgendaItem["kind"];
  rplsId: string;
  motif: string;
  commentaire?: string | undefined;
  le: string;
  par?: string | undefined;
}

export type SessionCommand =
  | {
      type: "Schedule";
      id: string;
      commission: Pick<
        Commission,
        "_id" | "bailleurId" | "departement" | "typeCommission" | "membres" | "reglement" | "capacite"
      >;
      date: IsoDay;
      mode: Session["mode"];
      ouverture?: string | undefined;
      cloture?: string | undefined;
    }
  | { type: "PlanItem"; item: AgendaItem }
  /** Several items at once (the planning places a session's share in one write). */
  | { type: "PlanItems"; items: AgendaItem[] }
  /** Takes an item off the agenda of a session not yet held (the planning places it on a next session). */
  | { type: "WithdrawItem"; key: string; motif: MotifRetraitOrdreDuJour; commentaire?: string | undefined }
  /** The order in which the items are examined: every item's key once. */
  | { type: "ReorderAgenda"; ordre: string[] }
  | { type: "RecordAttendance"; presents: string[] }
  | {
      type: "RecordDecision";
      attributionId: string;
      demandId: string;
      decision: Decision["type"];
      rang?: number | undefined;
      condition?: Decision["condition"];
      motifs?: Decision["motifs"] | undefined;
      bulletins: { membreId: string; vote: Vote }[];
    }
  | {
      type: "RecordOccupancyOpinion";
      bailId: string;
      /** The opinion from the legal list. */
      code: AvisOccupation;
      commentaire?: string | undefined;
      caracteristiquesLogementAdapte?: string | undefined;
      accessionSocialeConseillee: boolean;
      bulletins: { membreId: string; vote: Vote }[];
    }
  | { type: "Close" }
  /** Sends the convocation, the agenda and the previous session's minutes to the préfet's representative. */
  | { type: "Convene"; seancePrecedente: { sessionId: string; date: string } | null }
  | { type: "Cancel"; motif: string }
  /** The recipient's organisation acknowledges receipt of the last convocation (the user is the context's `by`). */
  | { type: "AcknowledgeConvocation"; organisationId: string };

export interface SessionContext {
  now: Date;
  by: string;
}

const refuse = (reason: string, message: string, context: Record<string, unknown> = {}, field?: string) =>
  err(new AppError("RULE_VIOLATION", message, { reason, context, ...(field ? { field } : {}) }));
const conflict = (reason: string, message: string) => err(new AppError("CONFLICT", message, { reason }));

/** Deliberative members present, and the number the internal rules require. */
export function quorumOf(session: Pick<Session, "membres" | "presents" | "reglement">) {
  const deliberatifs = session.membres.filter((m) => m.voix === "deliberative");
  const presents = deliberatifs.filter((m) => session.presents.includes(m.id)).length;
  const requis = Math.max(
    session.reglement.quorum.minimum,
    Math.ceil(deliberatifs.length * session.reglement.quorum.fraction),
  );
  return { presents, requis, atteint: presents >= requis };
}

/** Counts the ballots; a tie is settled by the casting vote's holder if present. */
function tally(
  session: Session,
  bulletins: { membreId: string; vote: Vote }[],
): Result<{ pour: number; contre: number; abstention: number; voixPreponderante: boolean }, AppError> {
  const quorum = quorumOf(session);
  if (!quorum.atteint)
    return refuse(
      "QUORUM_NOT_REACHED",
      `Quorum non atteint : ${quorum.presents} membre(s) à voix délibérative présent(s) sur ${quorum.requis} requis (règlement ${session.reglement.version})`,
      quorum,
    );
  const seen = new Set<string>();
  for (const b of bulletins) {
    const membre = session.membres.find((m) => m.id === b.membreId);
    if (!membre || !session.presents.includes(b.membreId))
      return refuse("VOTER_NOT_PRESENT", `Le votant ${b.membreId} n'est pas un membre présent`, {
        membreId: b.membreId,
      });
    if (membre.voix !== "deliberative")
      return refuse("ADVISORY_VOTE", `${membre.nom} siège avec voix consultative et ne vote pas`, {
        membreId: b.membreId,
      });
    if (seen.has(b.membreId)) return refuse("DOUBLE_VOTE", `${membre.nom} a voté deux fois`, { membreId: b.membreId });
    seen.add(b.membreId);
  }
  const count = (v: Vote) => bulletins.filter((b) => b.vote === v).length;
  const votes = { pour: count("pour"), contre: count("contre"), abstention: count("abstention") };
  const base = session.reglement.majorite === "presents" ? quorum.presents : votes.pour + votes.contre;
  if (votes.pour * 2 > base) return ok({ ...votes, voixPreponderante: false });
  const casting = bulletins.find((b) => b.membreId === session.reglement.voixPreponderante);
  if (votes.pour * 2 === base && casting?.vote === "pour") return ok({ ...votes, voixPreponderante: true });
  return refuse(
    "MAJORITY_NOT_REACHED",
    `Décision non adoptée : ${votes.pour} voix pour, ${votes.contre} contre, ${votes.abstention} abstention(s) (majorité des ${session.reglement.majorite === "presents" ? "présents" : "suffrages exprimés"})`,
    votes,
  );
}

const ATTRIBUTIONS = new Set(["ATTRIBUTION", "ATTRIBUTION_RANG", "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE"]);
const NON_ATTRIBUTION_CODES = new Set<string>(MotifNonAttribution.options);
const IRRECEVABILITE_CODES = new Set<string>(MotifIrrecevabilite.options);

function checkDecision(
  session: Session,
  item: Extract<AgendaItem, { kind: "ATTRIBUTION" }>,
  candidate: AgendaCandidate,
  command: Extract<SessionCommand, { type: "RecordDecision" }>,
): Result<true, AppError> {
  const motifs = command.motifs ?? [];
  const onItem = session.decisions.filter((d) => d.attributionId === item.attributionId);
  if (onItem.some((d) => d.demandId === candidate.demandId))
    return conflict("DECISION_ALREADY_RECORDED", "Une décision est déjà rendue pour ce candidat sur ce logement");
  if (ATTRIBUTIONS.has(command.decision)) {
    // A household whose only gap is a missing piece may be attributed under the condition of that piece.
    const gaps = candidate.eligibilite.refus.filter(
      (r) =>
        !(
          command.decision === "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE" &&
          r.regle === "REVENU_FISCAL_MANQUANT" &&
          (command.condition?.piece === "AVIS_IMPOSITION" || command.condition?.piece === "JUSTIFICATIF_RESSOURCES")
        ),
    );
    if (gaps.length > 0)
      return refuse(
        "INELIGIBLE_HOUSEHOLD",
        `Attribution impossible à un ménage non éligible : ${gaps.map((r) => r.message).join(" ; ")}`,
        { demandId: candidate.demandId, refus: gaps },
      );
    const attributed = onItem.filter((d) => ATTRIBUTIONS.has(d.type));
    if (command.decision === "ATTRIBUTION" && attributed.length > 0)
      return conflict(
        "UNIT_ALREADY_ATTRIBUTED",
        "Le logement est déjà attribué : classer les candidats (attribution par rang)",
      );
    if (attributed.some((d) => d.type === "ATTRIBUTION"))
      return conflict("UNIT_ALREADY_ATTRIBUTED", "Le logement est déjà attribué sans rang à un autre candidat");
    if (command.decision !== "ATTRIBUTION" && command.rang === undefined)
      return refuse("RANK_REQUIRED", "Une attribution par rang ou sous condition indique le rang du candidat");
    if (command.rang !== undefined && attributed.some((d) => d.rang === command.rang))
      return conflict("RANK_TAKEN", `Le rang ${command.rang} est déjà donné à un autre candidat`);
    if (command.decision === "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE") {
      if (!command.condition)
        return refuse(
          "CONDITION_REQUIRED",
          "Une condition suspensive nomme la pièce manquante (liste limitative) et son délai",
        );
      if (command.condition.avant <= session.date)
        return refuse("CONDITION_DEADLINE", "Le délai de la condition suspensive est postérieur à la séance");
    }
    return ok(true);
  }
  if (command.decision === "NON_ATTRIBUTION") {
    if (motifs.length === 0) return refuse("REASON_REQUIRED", "Une non-attribution est motivée (L441-2-2)");
    const unknown = motifs.find((m) => !NON_ATTRIBUTION_CODES.has(m.code));
    if (unknown) return refuse("UNKNOWN_REASON", `Motif de non-attribution inconnu : ${unknown.code}`);
    if (motifs.every((m) => m.code === "ABSENCE_LIEN_COMMUNE"))
      return refuse(
        "UNLAWFUL_REASON",
        "L'absence de lien avec la commune ne peut motiver seule une non-attribution (L441-1)",
      );
    const other = motifs.find((m) => m.code === "AUTRE" && !m.precision);
    if (other) return refuse("REASON_REQUIRED", "Le motif « autre » est précisé");
    return ok(true);
  }
  // REJET_IRRECEVABILITE: only the legal access conditions.
  if (motifs.length === 0 || motifs.some((m) => !IRRECEVABILITE_CODES.has(m.code)))
    return refuse(
      "NOT_AN_ACCESS_CONDITION",
      "Une irrecevabilité ne se prononce que pour une condition légale d'accès : ressources au-dessus du plafond ou séjour irrégulier",
    );
  if (
    motifs.some((m) => m.code === "RESSOURCES_SUPERIEURES_PLAFOND") &&
    !candidate.eligibilite.refus.some((r) => r.regle === "PLAFOND_RESSOURCES")
  )
    return refuse("CEILING_NOT_EXCEEDED", "Les ressources examinées ne dépassent pas le plafond", {
      revenu: candidate.eligibilite.revenuReference,
      plafond: candidate.eligibilite.plafond,
    });
  if (motifs.some((m) => m.code === "SEJOUR_IRREGULIER" && !m.precision))
    return refuse("REASON_REQUIRED", "L'irrégularité de séjour est précisée (pièce examinée)");
  return ok(true);
}

const isOpen = (state: Session, now: Date) =>
  state.mode !== "en_ligne" ||
  ((state.ouverture === undefined || now.toISOString() >= state.ouverture) &&
    (state.cloture === undefined || now.toISOString() <= state.cloture));

export const session: Decider<Session | undefined, SessionCommand, SessionEvent, SessionContext> = {
  initialState: undefined,
  decide(state, command, { now, by }) {
    const at = now.toISOString();
    if (command.type === "Schedule") {
      if (state) return conflict("SESSION_EXISTS", "Cette séance existe déjà");
      if (
        command.mode === "en_ligne" &&
        (!command.ouverture || !command.cloture || command.ouverture >= command.cloture)
      )
        return refuse("ONLINE_WINDOW", "Une séance en ligne a une ouverture et une clôture (règlement intérieur)");
      const c = command.commission;
      return ok([
        {
          type: "SessionScheduled",
          id: command.id,
          membres: c.membres,
          reglement: c.reglement,
          scheduled: {
            commissionId: c._id,
            bailleurId: c.bailleurId,
            departement: c.departement,
            type: c.typeCommission,
            date: command.date,
            mode: command.mode,
            ...(command.ouverture ? { ouverture: command.ouverture } : {}),
            ...(command.cloture ? { cloture: command.cloture } : {}),
            capacite: c.capacite,
            programmeeLe: at,
            programmeePar: by,
          },
        },
      ]);
    }
    if (!state) return err(new AppError("NOT_FOUND", "Séance introuvable", { reason: "SESSION_NOT_FOUND" }));
    if (state.statut === "annulee") return conflict("SESSION_CANCELLED", "La séance est annulée");
    if (state.statut === "close") return conflict("SESSION_CLOSED", "La séance est close");
    switch (command.type) {
      case "PlanItem": {
        if (state.statut !== "programmee")
          return conflict("SESSION_OPEN", "L'ordre du jour d'une séance ouverte est arrêté");
        if (state.agenda.some((i) => itemKey(i) === itemKey(command.item))) return ok([]);
        if (state.agenda.length >= state.capacite)
          return refuse("SESSION_FULL", `La séance est complète (${state.capacite} points)`, {
            capacite: state.capacite,
          });
        return ok([{ type: "AgendaItemPlanned", item: command.item, at }]);
      }
      case "PlanItems": {
        if (state.statut !== "programmee")
          return conflict("SESSION_OPEN", "L'ordre du jour d'une séance ouverte est arrêté");
        const keys = new Set(state.agenda.map(itemKey));
        const events: SessionEvent[] = [];
        for (const item of command.items) {
          if (keys.has(itemKey(item))) continue;
          if (keys.size >= state.capacite)
            return refuse("SESSION_FULL", `La séance est complète (${state.capacite} points)`, {
              capacite: state.capacite,
            });
          keys.add(itemKey(item));
          events.push({ type: "AgendaItemPlanned", item, at });
        }
        return ok(events);
      }
      case "WithdrawItem": {
        const item = state.agenda.find((i) => itemKey(i) === command.key);
        if (!item) {
          if ((state.retraits ?? []).some((r) => r.cle === command.key)) return ok([]);
          return refuse(
            "NOT_ON_AGENDA",
            `Le point ${command.key} n'est pas inscrit à l'ordre du jour de cette séance`,
            { itemId: command.key },
            "itemId",
          );
        }
        if (state.statut !== "programmee")
          return conflict("SESSION_OPEN", "Un point ne se retire que d'une séance qui n'est pas encore tenue");
        if (command.motif === "AUTRE" && !command.commentaire?.trim())
          return refuse("REASON_REQUIRED", "Le motif « autre » est précisé en commentaire", {}, "commentaire");
        return ok([
          {
            type: "AgendaItemWithdrawn",
            key: command.key,
            motif: command.motif,
            ...(command.commentaire?.trim() ? { commentaire: command.commentaire.trim() } : {}),
            at,
            by,
          },
        ]);
      }
      case "ReorderAgenda": {
        const keys = state.agenda.map(itemKey);
        const seen = new Set<string>();
        const doubles: string[] = [];
        for (const k of command.ordre) {
          if (seen.has(k)) doubles.push(k);
          seen.add(k);
        }
        const inconnus = command.ordre.filter((k) => !keys.includes(k));
        const manquants = keys.filter((k) => !seen.has(k));
        if (doubles.length > 0 || inconnus.length > 0 || manquants.length > 0)
          return refuse(
            "NOT_A_PERMUTATION",
            `L'ordre donne chaque point de l'ordre du jour une fois et une seule${[
              doubles.length > 0 ? ` ; en double : ${doubles.join(", ")}` : "",
              inconnus.length > 0 ? ` ; pas à l'ordre du jour : ${inconnus.join(", ")}` : "",
              manquants.length > 0 ? ` ; manquants : ${manquants.join(", ")}` : "",
            ].join("")}`,
            { doubles, inconnus, manquants },
            "ordre",
          );
        if (command.ordre.every((k, n) => keys[n] === k)) return ok([]);
        return ok([{ type: "AgendaReordered", ordre: command.ordre, at }]);
      }
      case "RecordAttendance": {
        const unknown = command.presents.find((id) => !state.membres.some((m) => m.id === id));
        if (unknown) return refuse("UNKNOWN_MEMBER", `${unknown} n'est pas membre de la commission`);
        return ok([{ type: "AttendanceRecorded", presents: [...new Set(command.presents)], at }]);
      }
      case "RecordDecision": {
        if (state.statut !== "ouverte")
          return refuse("SESSION_NOT_OPEN", "La séance n'est pas ouverte (présences non relevées)");
        if (!isOpen(state, now)) return refuse("OUTSIDE_WINDOW", "Hors de la fenêtre de la séance en ligne");
        const item = state.agenda.find(
          (i): i is Extract<AgendaItem, { kind: "ATTRIBUTION" }> =>
            i.kind === "ATTRIBUTION" && i.attributionId === command.attributionId,
        );
        const candidate = item?.candidats.find((c) => c.demandId === command.demandId);
        if (!item || !candidate)
          return refuse(
            "NOT_ON_AGENDA",
            "Ce candidat n'est pas inscrit à l'ordre du jour de la séance pour ce logement",
            {
              attributionId: command.attributionId,
              demandId: command.demandId,
            },
          );
        const checked = checkDecision(state, item, candidate, command);
        if (!checked.ok) return checked;
        const votes = tally(state, command.bulletins);
        if (!votes.ok) return votes;
        const { voixPreponderante, ...counts } = votes.value;
        return ok([
          {
            type: "DecisionRecorded",
            bulletins: command.bulletins,
            decision: {
              commissionId: state.commissionId,
              attributionId: item.attributionId,
              rplsId: item.rplsId,
              demandId: candidate.demandId,
              numeroUnique: candidate.numeroUnique,
              departement: item.departement,
              type: command.decision,
              ...(command.rang === undefined ? {} : { rang: command.rang }),
              ...(command.condition ? { condition: command.condition } : {}),
              motifs: command.motifs ?? [],
              votes: counts,
              voixPreponderante,
              decideLe: at,
            },
          },
        ]);
      }
      case "RecordOccupancyOpinion": {
        if (state.statut !== "ouverte")
          return refuse("SESSION_NOT_OPEN", "La séance n'est pas ouverte (présences non relevées)");
        if (!isOpen(state, now)) return refuse("OUTSIDE_WINDOW", "Hors de la fenêtre de la séance en ligne");
        const item = state.agenda.find((i) => i.kind === "EXAMEN_OCCUPATION" && i.bailId === command.bailId);
        if (item?.kind !== "EXAMEN_OCCUPATION")
          return refuse(
            "NOT_ON_AGENDA",
            "Ce bail n'est pas inscrit à l'ordre du jour de la séance",
            { bailId: command.bailId },
            "bailId",
          );
        if (state.examens.some((e) => e.bailId === command.bailId))
          return conflict("DECISION_ALREADY_RECORDED", "L'avis sur ce bail est déjà rendu");
        const commentaire = command.commentaire?.trim() || undefined;
        const caracteristiques = command.caracteristiquesLogementAdapte?.trim() || undefined;
        if (!libellesAvisOccupation[command.code])
          return refuse("OPINION_REQUIRED", "L'avis de la commission est choisi dans la liste légale", {}, "code");
        if (command.code === "SITUATION_CONSTATEE_OFFRE_ADAPTEE" && !caracteristiques)
          return refuse(
            "CHARACTERISTICS_REQUIRED",
            "La commission définit les caractéristiques du logement adapté à proposer (L442-5-2)",
            {},
            "caracteristiquesLogementAdapte",
          );
        if (command.code === "SITUATION_NON_CONSTATEE" && (caracteristiques || command.accessionSocialeConseillee))
          return refuse(
            "SITUATION_NOT_FOUND",
            "Une situation non constatée n'appelle ni logement adapté ni conseil d'accession sociale",
            {},
            caracteristiques ? "caracteristiquesLogementAdapte" : "accessionSocialeConseillee",
          );
        const votes = tally(state, command.bulletins);
        if (!votes.ok) return votes;
        return ok([
          {
            type: "OccupancyExamined",
            commissionId: state.commissionId,
            bailId: item.bailId,
            rplsId: item.rplsId,
            situation: item.situation,
            avis: libellesAvisOccupation[command.code],
            code: command.code,
            ...(commentaire ? { commentaire } : {}),
            ...(caracteristiques ? { caracteristiquesLogementAdapte: caracteristiques } : {}),
            accessionSocialeConseillee: command.accessionSocialeConseillee,
            examineLe: at,
          },
        ]);
      }
      case "Close": {
        if (state.statut !== "ouverte") return refuse("SESSION_NOT_OPEN", "La séance n'est pas ouverte");
        const undecided = state.agenda.flatMap((i) =>
          i.kind === "ATTRIBUTION"
            ? i.candidats
                .filter(
                  (c) => !state.decisions.some((d) => d.attributionId === i.attributionId && d.demandId === c.demandId),
                )
                .map((c) => c.numeroUnique)
            : state.examens.some((e) => e.bailId === i.bailId)
              ? []
              : [i.bailId],
        );
        if (undecided.length > 0)
          return refuse(
            "UNDECIDED_CANDIDATES",
            `Chaque candidat examiné reçoit une décision : ${undecided.join(", ")} sans décision`,
            {
              sansDecision: undecided,
            },
          );
        // Each occupancy opinion is notified to its tenant: the letter is a page of the service.
        return ok([
          { type: "SessionClosed", at },
          ...state.examens.map(
            (e): SessionEvent => ({
              type: "OccupancyOpinionNotified",
              commissionId: e.commissionId,
              bailId: e.bailId,
              rplsId: e.rplsId,
              situation: e.situation,
              avis: e.avis,
              ...(e.code ? { code: e.code } : {}),
              ...(e.caracteristiquesLogementAdapte
                ? { caracteristiquesLogementAdapte: e.caracteristiquesLogementAdapte }
                : {}),
              accessionSocialeConseillee: e.accessionSocialeConseillee,
              seanceLe: state.date,
              notifieLe: at,
              lettre: `/v1/seances/${state._id}/avis-occupation/${encodeURIComponent(e.bailId)}/lettre`,
            }),
          ),
        ]);
      }
      case "Convene": {
        if (state.statut !== "programmee")
          return conflict("SESSION_OPEN", "La convocation part avant la séance : celle-ci est déjà ouverte");
        const prefets = state.membres.filter((m) => m.qualite === "prefet");
        if (prefets.length === 0)
          return refuse(
            "NO_PREFET_MEMBER",
            "La commission ne compte pas de représentant du préfet parmi ses membres : à qui envoyer la convocation ?",
          );
        return ok([
          {
            type: "SessionConvened",
            commissionId: state.commissionId,
            bailleurId: state.bailleurId,
            departement: state.departement,
            date: state.date,
            mode: state.mode,
            destinataires: prefets.map((m) => ({ membreId: m.id, nom: m.nom })),
            ordreDuJour: state.agenda.map((i) => ({
              nature: i.kind,
              rplsId: i.rplsId,
              cle: itemKey(i),
            })),
            seancePrecedente: command.seancePrecedente,
            convoqueeLe: at,
            convoqueePar: by,
          },
        ]);
      }
      case "AcknowledgeConvocation": {
        if (!state.convocation)
          return refuse(
            "NO_CONVOCATION",
            "Aucune convocation n'a été envoyée pour cette séance : rien à accuser",
            { sessionId: state._id },
            "id",
          );
        if ((state.convocation.accuses ?? []).some((a) => a.organisationId === command.organisationId)) return ok([]);
        return ok([{ type: "ConvocationAcknowledged", organisationId: command.organisationId, userId: by, at }]);
      }
      case "Cancel":
        if (state.decisions.length > 0 || state.examens.length > 0)
          return conflict("SESSION_HAS_DECISIONS", "Une séance qui a rendu des décisions ne s'annule pas");
        return ok([
          {
            type: "SessionCancelled",
            commissionId: state.commissionId,
            date: state.date,
            motif: command.motif,
            aReplanifier: state.agenda.map(itemKey),
            annuleeLe: at,
            annuleePar: by,
          },
        ]);
    }
  },
  evolve(state, event) {
    if (event.type === "SessionScheduled") {
      const s = event.scheduled;
      return {
        _id: event.id,
        commissionId: s.commissionId,
        bailleurId: s.bailleurId,
        departement: s.departement,
        date: s.date,
        mode: s.mode,
        ouverture: s.ouverture,
        cloture: s.cloture,
        capacite: s.capacite,
        membres: event.membres,
        reglement: event.reglement,
        statut: "programmee",
        agenda: [],
        presents: [],
        decisions: [],
        examens: [],
        revision: 1,
      };
    }
    if (!state) return state;
    const next = { ...state, revision: state.revision + 1 };
    switch (event.type) {
      case "AgendaItemPlanned":
        return { ...next, agenda: [...state.agenda, event.item] };
      case "AgendaItemWithdrawn": {
        const item = state.agenda.find((i) => itemKey(i) === event.key);
        if (!item) return next;
        const retrait: Retrait = {
          cle: event.key,
          nature: item.kind,
          rplsId: item.rplsId,
          motif: event.motif,
          ...(event.commentaire ? { commentaire: event.commentaire } : {}),
          le: event.at,
          ...(event.by ? { par: event.by } : {}),
        };
        return {
          ...next,
          agenda: state.agenda.filter((i) => i !== item),
          retraits: [...(state.retraits ?? []), retrait],
        };
      }
      case "AgendaReordered": {
        const byKey = new Map(state.agenda.map((i) => [itemKey(i), i]));
        return { ...next, agenda: event.ordre.flatMap((k) => byKey.get(k) ?? []) };
      }
      case "AttendanceRecorded":
        return { ...next, presents: event.presents, statut: "ouverte" };
      case "DecisionRecorded":
        return { ...next, decisions: [...state.decisions, event.decision] };
      case "OccupancyExamined": {
        const { type: _t, ...examen } = event;
        return { ...next, examens: [...state.examens, examen] };
      }
      case "SessionClosed":
        return { ...next, statut: "close" };
      case "SessionConvened":
        return {
          ...next,
          convocation: {
            le: event.convoqueeLe,
            destinataires: event.destinataires.map((d) => d.membreId),
            seancePrecedente: event.seancePrecedente,
          },
        };
      case "SessionCancelled":
        return { ...next, statut: "annulee" };
      case "OccupancyOpinionNotified":
        return next;
      case "ConvocationAcknowledged":
        if (!state.convocation) return next;
        return {
          ...next,
          convocation: {
            ...state.convocation,
            accuses: [
              ...(state.convocation.accuses ?? []),
              { organisationId: event.organisationId, userId: event.userId, le: event.at },
            ],
          },
        };
    }
  },
};

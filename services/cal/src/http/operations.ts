import { Principal } from "@logis/auth";
import { defineOperation } from "@logis/http";
import { z } from "zod";
import type { AccessChecks } from "../app/access.js";
import type { AttributionUseCases } from "../app/attributions.js";
import type { CandidateUseCases } from "../app/candidates.js";
import type { ConvocationUseCases } from "../app/convocation.js";
import type { ListUseCases } from "../app/lists.js";
import type { OccupancyUseCases } from "../app/occupancy.js";
import type { PlanningUseCases } from "../app/planning.js";
import type { SessionUseCases } from "../app/sessions.js";
import { convocationHtml } from "./convocation-html.js";
import { occupancyLetterHtml } from "./occupancy-letter-html.js";
import {
  AgendaItemParams,
  AnswerInput,
  AttendanceInput,
  AttributionAnswer,
  AttributionId,
  AttributionView,
  CancelInput,
  CancelledSessionView,
  CommissionId,
  CommissionsPage,
  CommissionView,
  ConstituteInput,
  DecisionInput,
  DesignationInput,
  InboxPage,
  InboxQuery,
  LeaseInput,
  LetterParams,
  ListCommissionsQuery,
  ListSessionsQuery,
  Minutes,
  OccupancyInput,
  OccupancyOutput,
  OpinionInput,
  PieceInput,
  PlanInput,
  PlannedDaysQuery,
  PlanOutput,
  RemovedItemView,
  RemoveItemInput,
  ReorderInput,
  ScheduleInput,
  SessionId,
  SessionsPage,
  SessionView,
  Why,
  WhyParams,
} from "./schemas.js";

const commissions = ["Commissions"];
const seances = ["Séances"];
const attributions = ["Attributions"];

/**
 * A stored state as the view its operation documents (the domain's types and the view schemas
 * describe the same documents; answers.int.test.ts checks real answers against the schemas).
 */
const as = <S extends z.ZodType>(_schema: S, value: unknown) => value as z.infer<S>;
/** A session without its journal (the minutes are built from it). */
const sessionView = (value: object) => {
  const { journal: _j, ...view } = value as { journal?: unknown };
  return as(SessionView, view);
};

/** Every operation of the service, once: REST route, tRPC procedure and OpenAPI entry come from here. */
export const operations = (uc: {
  sessions: SessionUseCases;
  attributions: AttributionUseCases;
  candidates: CandidateUseCases;
  planning: PlanningUseCases;
  access: AccessChecks;
  lists: ListUseCases;
  convocations: ConvocationUseCases;
  occupancy: OccupancyUseCases;
}) => ({
  whoami: defineOperation({
    name: "whoami",
    summary: "Qui appelle : l'utilisateur, son organisation, ses rôles et territoires",
    permission: "public",
    output: z.object({ principal: Principal.nullable() }),
    rest: { method: "get", path: "/v1/whoami" },
    handler: async (_input, caller) => ({ principal: caller.principal ?? null }),
  }),
  constituteCommission: defineOperation({
    name: "constituteCommission",
    summary: "Constituer une commission (membres, règlement intérieur, calendrier, capacité)",
    tags: commissions,
    permission: "cal.manage",
    body: ConstituteInput,
    output: CommissionView,
    rest: { method: "post", path: "/v1/commissions", status: 201 },
    handler: async ({ body }, caller) => {
      uc.access.constitute(caller, body);
      return as(CommissionView, await uc.sessions.changeCommission(caller, body.id, { type: "Constitute", ...body }));
    },
  }),
  listCommissions: defineOperation({
    name: "listCommissions",
    summary:
      "Lister les commissions visibles (bailleur : les siennes ; préfecture et réservataires : celles de leurs départements), par identifiant, une page à la fois",
    tags: commissions,
    permission: "cal.read",
    query: ListCommissionsQuery,
    output: CommissionsPage,
    rest: { method: "get", path: "/v1/commissions" },
    handler: ({ query }, caller) => uc.lists.commissions(caller, query),
  }),
  listSessions: defineOperation({
    name: "listSessions",
    summary:
      "Lister les séances visibles d'une commission ou d'un département sur une période (bailleur : les siennes ; préfecture : toutes celles de son département ; réservataire : celles où passent ses logements, avec ses seuls logements), par date, une page à la fois",
    tags: seances,
    permission: "cal.read",
    query: ListSessionsQuery,
    output: SessionsPage,
    rest: { method: "get", path: "/v1/seances" },
    handler: ({ query }, caller) => uc.lists.sessions(caller, query),
  }),
  getCommission: defineOperation({
    name: "getCommission",
    summary: "Lire une commission",
    tags: commissions,
    permission: "cal.read",
    params: CommissionId,
    output: CommissionView,
    rest: { method: "get", path: "/v1/commissions/:id" },
    handler: async ({ params }, caller) => as(CommissionView, await uc.access.commission(caller, params.id, "read")),
  }),
  plannedDays: defineOperation({
    name: "plannedDays",
    summary: "Les jours de séance du calendrier de la commission (jours fériés reportés)",
    tags: commissions,
    permission: "cal.read",
    params: CommissionId,
    query: PlannedDaysQuery,
    output: z.object({ jours: z.array(z.string()) }),
    rest: { method: "get", path: "/v1/commissions/:id/jours-de-seance" },
    handler: async ({ params, query }, caller) => {
      await uc.access.commission(caller, params.id, "read");
      return { jours: await uc.sessions.plannedDays(params.id, query.du, query.au) };
    },
  }),
  planCommission: defineOperation({
    name: "planCommission",
    summary:
      "Programmer les prochaines séances du calendrier de la commission et y placer les logements dont les candidats sont connus (capacité, échéances, coût de la vacance)",
    tags: commissions,
    permission: "cal.manage",
    params: CommissionId,
    output: PlanOutput,
    rest: { method: "post", path: "/v1/commissions/:id/planification" },
    handler: async ({ params }, caller) => {
      await uc.access.commission(caller, params.id, "write");
      return uc.planning.plan(caller, params.id);
    },
  }),
  examineOccupancy: defineOperation({
    name: "examineOccupancy",
    summary:
      "CALEOL : le bailleur transmet l'occupation de ses baux ; ceux dont le 3e (6e…) anniversaire approche, en zone tendue, dans l'une des cinq situations légales (L442-5-2), sont inscrits aux prochaines séances comme examens d'occupation",
    tags: commissions,
    permission: "cal.manage",
    params: CommissionId,
    body: OccupancyInput,
    output: OccupancyOutput,
    rest: { method: "post", path: "/v1/commissions/:id/examens-occupation" },
    handler: async ({ params, body }, caller) => {
      await uc.access.commission(caller, params.id, "write");
      return uc.occupancy.examine(caller, params.id, body.baux);
    },
  }),
  scheduleSession: defineOperation({
    name: "scheduleSession",
    summary: "Programmer une séance",
    tags: seances,
    permission: "cal.manage",
    body: ScheduleInput,
    output: SessionView,
    rest: { method: "post", path: "/v1/seances", status: 201 },
    handler: async ({ body }, caller) => {
      const { id, ...rest } = body;
      await uc.access.commission(caller, body.commissionId, "write");
      return sessionView(await uc.sessions.schedule(caller, id, rest));
    },
  }),
  getSession: defineOperation({
    name: "getSession",
    summary: "Lire une séance (ordre du jour, présences, décisions)",
    tags: seances,
    permission: "cal.read",
    params: SessionId,
    output: SessionView,
    rest: { method: "get", path: "/v1/seances/:id" },
    handler: async ({ params }, caller) => sessionView(await uc.access.session(caller, params.id, "read")),
  }),
  planItem: defineOperation({
    name: "planItem",
    summary: "Inscrire un logement et ses candidats à l'ordre du jour",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    body: PlanInput,
    output: SessionView,
    rest: { method: "post", path: "/v1/seances/:id/ordre-du-jour" },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      await uc.access.attribution(caller, body.attributionId, "write");
      return sessionView(await uc.sessions.planAttribution(caller, params.id, body.attributionId));
    },
  }),
  removeAgendaItem: defineOperation({
    name: "removeAgendaItem",
    summary:
      "Retirer un point (logement ou examen d'occupation) de l'ordre du jour d'une séance pas encore tenue, avec son motif ; le point est replanifié sur une séance suivante",
    tags: seances,
    permission: "cal.manage",
    params: AgendaItemParams,
    body: RemoveItemInput,
    output: RemovedItemView,
    rest: { method: "post", path: "/v1/seances/:id/ordre-du-jour/:itemId/retrait" },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      const { journal: _j, ...removed } = await uc.planning.removeAndReplan(caller, params.id, {
        itemId: params.itemId,
        motif: body.motif,
        commentaire: body.commentaire,
      });
      return as(RemovedItemView, removed);
    },
  }),
  reorderAgenda: defineOperation({
    name: "reorderAgenda",
    summary: "Fixer l'ordre d'examen des points de l'ordre du jour (chaque point une fois et une seule)",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    body: ReorderInput,
    output: SessionView,
    rest: { method: "put", path: "/v1/seances/:id/ordre-du-jour" },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      return sessionView(
        await uc.sessions.changeSession(caller, params.id, { type: "ReorderAgenda", ordre: body.ordre }),
      );
    },
  }),
  recordOccupancyOpinion: defineOperation({
    name: "recordOccupancyOpinion",
    summary:
      "CALEOL : rendre l'avis de la commission sur un examen d'occupation (liste légale, caractéristiques du logement adapté, accession sociale conseillée), en séance tenue avec quorum (événement OccupancyExamined)",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    body: OpinionInput,
    output: SessionView,
    rest: { method: "post", path: "/v1/seances/:id/avis-occupation", status: 201 },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      return sessionView(
        await uc.sessions.changeSession(caller, params.id, { type: "RecordOccupancyOpinion", ...body }),
      );
    },
  }),
  recordAttendance: defineOperation({
    name: "recordAttendance",
    summary: "Relever les présences (ouvre la séance)",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    body: AttendanceInput,
    output: SessionView,
    rest: { method: "post", path: "/v1/seances/:id/presences" },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      return sessionView(
        await uc.sessions.changeSession(caller, params.id, { type: "RecordAttendance", presents: body.presents }),
      );
    },
  }),
  recordDecision: defineOperation({
    name: "recordDecision",
    summary: "Rendre une décision sur un candidat (vote, quorum, motifs)",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    body: DecisionInput,
    output: SessionView,
    rest: { method: "post", path: "/v1/seances/:id/decisions", status: 201 },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      return sessionView(await uc.sessions.changeSession(caller, params.id, { type: "RecordDecision", ...body }));
    },
  }),
  closeSession: defineOperation({
    name: "closeSession",
    summary: "Clore la séance : les décisions s'appliquent, les offres partent",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    output: SessionView,
    rest: { method: "post", path: "/v1/seances/:id/cloture" },
    handler: async ({ params }, caller) => {
      await uc.access.session(caller, params.id, "write");
      return sessionView(await uc.sessions.close(caller, params.id));
    },
  }),
  cancelSession: defineOperation({
    name: "cancelSession",
    summary: "Annuler une séance : son ordre du jour est replanifié sur les séances suivantes de la commission",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    body: CancelInput,
    output: CancelledSessionView,
    rest: { method: "post", path: "/v1/seances/:id/annulation" },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      const { journal: _j, ...cancelled } = await uc.planning.cancelAndReplan(caller, params.id, body.motif);
      return as(CancelledSessionView, cancelled);
    },
  }),
  conveneSession: defineOperation({
    name: "conveneSession",
    summary:
      "Envoyer la convocation au représentant du préfet, avec l'ordre du jour et le procès-verbal de la séance précédente (événement SessionConvened)",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    output: SessionView,
    rest: { method: "post", path: "/v1/seances/:id/convocation" },
    handler: async ({ params }, caller) => {
      await uc.access.session(caller, params.id, "write");
      return sessionView(await uc.convocations.convene(caller, params.id));
    },
  }),
  convocationInbox: defineOperation({
    name: "convocationInbox",
    summary:
      "Boîte de réception des convocations : pour le représentant du préfet, les séances convoquées de ses départements (ordre du jour, liens vers la convocation et le procès-verbal précédent, accusé de réception) ; pour le personnel du bailleur, celles de ses commissions et qui en a accusé réception",
    tags: seances,
    permission: "cal.read",
    query: InboxQuery,
    output: InboxPage,
    rest: { method: "get", path: "/v1/convocations" },
    handler: ({ query }, caller) => uc.convocations.inbox(caller, query),
  }),
  acknowledgeConvocation: defineOperation({
    name: "acknowledgeConvocation",
    summary:
      "Accuser réception de la convocation d'une séance (représentant du préfet destinataire ; une fois par organisation)",
    tags: seances,
    permission: "cal.read",
    params: SessionId,
    output: SessionView,
    rest: { method: "post", path: "/v1/seances/:id/convocation/accuse-reception" },
    handler: async ({ params }, caller) => {
      await uc.access.session(caller, params.id, "read");
      return sessionView(await uc.convocations.acknowledge(caller, params.id));
    },
  }),
  convocationPage: defineOperation({
    name: "convocationPage",
    summary:
      "La convocation de la séance en page imprimable : destinataires, ordre du jour, procès-verbal de la séance précédente (HTML en français, A4)",
    tags: seances,
    permission: "cal.read",
    params: SessionId,
    rest: { method: "get", path: "/v1/seances/:id/convocation" },
    produces: { "text/html": "La convocation, l'ordre du jour et le procès-verbal précédent, en français (A4)" },
    trpc: false,
    raw: true,
    handler: async ({ params }, caller, http) => {
      await uc.access.session(caller, params.id, "read");
      const page = convocationHtml(await uc.convocations.document(params.id));
      if (!http) return;
      http.res.type("text/html; charset=utf-8");
      http.res.setHeader("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
      http.res.send(page);
    },
  }),
  occupancyLetter: defineOperation({
    name: "occupancyLetter",
    summary:
      "CALEOL : la lettre notifiant au locataire l'avis de la commission sur l'occupation de son logement, page imprimable (HTML en français, A4), une fois la séance close",
    tags: seances,
    permission: "cal.read",
    params: LetterParams,
    rest: { method: "get", path: "/v1/seances/:id/avis-occupation/:bailId/lettre" },
    produces: { "text/html": "La lettre de notification de l'avis au locataire, en français (A4)" },
    trpc: false,
    raw: true,
    handler: async ({ params }, caller, http) => {
      await uc.access.session(caller, params.id, "read");
      const page = occupancyLetterHtml(await uc.sessions.occupancyLetter(params.id, params.bailId));
      if (!http) return;
      http.res.type("text/html; charset=utf-8");
      http.res.setHeader("content-security-policy", "default-src 'none'; style-src 'unsafe-inline'");
      http.res.send(page);
    },
  }),
  sessionMinutes: defineOperation({
    name: "sessionMinutes",
    summary: "Procès-verbal de la séance, construit à partir de ses événements",
    tags: seances,
    permission: "cal.read",
    params: SessionId,
    output: Minutes,
    rest: { method: "get", path: "/v1/seances/:id/proces-verbal" },
    handler: async ({ params }, caller) => {
      await uc.access.session(caller, params.id, "read");
      return as(Minutes, await uc.sessions.minutes(params.id));
    },
  }),
  getAttribution: defineOperation({
    name: "getAttribution",
    summary: "Lire l'attribution d'un logement (candidats, décisions, offres, bail)",
    tags: attributions,
    permission: "cal.read",
    params: AttributionId,
    output: AttributionAnswer,
    rest: { method: "get", path: "/v1/attributions/:id" },
    handler: async ({ params }, caller) =>
      as(AttributionAnswer, await uc.access.attribution(caller, params.id, "read")),
  }),
  designate: defineOperation({
    name: "designate",
    summary:
      "Le réservataire désigne ses candidats (numéros uniques) avant son délai, ou le préfet des ménages DALO ; au moins trois sauf exception légale",
    tags: attributions,
    permission: "cal.designate",
    params: AttributionId,
    body: DesignationInput,
    output: AttributionView,
    rest: { method: "post", path: "/v1/attributions/:id/designation", status: 201 },
    handler: async ({ params, body }, caller) =>
      as(AttributionView, await uc.candidates.designate(caller, params.id, body)),
  }),
  proposeCandidates: defineOperation({
    name: "proposeCandidates",
    summary:
      "Le bailleur propose les demandes éligibles les mieux classées par la cotation (logement rendu, délai de désignation passé ou contingent propre)",
    tags: attributions,
    permission: "cal.manage",
    params: AttributionId,
    output: AttributionView,
    rest: { method: "post", path: "/v1/attributions/:id/proposition", status: 201 },
    handler: async ({ params }, caller) =>
      as(AttributionView, await uc.candidates.proposeFromRanking(caller, params.id)),
  }),
  whyCandidate: defineOperation({
    name: "whyCandidate",
    summary: "Pourquoi cette demande est (ou n'est pas) sur la liste des candidats de ce logement",
    tags: attributions,
    permission: "cal.read",
    params: WhyParams,
    output: Why,
    rest: { method: "get", path: "/v1/attributions/:id/pourquoi/:numeroUnique" },
    handler: async ({ params }, caller) => uc.candidates.why(caller, params.id, params.numeroUnique),
  }),
  answerOffer: defineOperation({
    name: "answerOffer",
    summary: "Enregistrer la réponse du candidat à l'offre (un refus passe au suivant)",
    tags: attributions,
    permission: "cal.manage",
    params: AttributionId,
    body: AnswerInput,
    output: AttributionView,
    rest: { method: "post", path: "/v1/attributions/:id/reponse" },
    handler: async ({ params, body }, caller) => {
      await uc.access.attribution(caller, params.id, "write");
      return as(
        AttributionView,
        (await uc.attributions.handle(caller, params.id, { type: "AnswerOffer", ...body })).state,
      );
    },
  }),
  supplyPiece: defineOperation({
    name: "supplyPiece",
    summary: "La pièce de la condition suspensive est fournie",
    tags: attributions,
    permission: "cal.manage",
    params: AttributionId,
    body: PieceInput,
    output: AttributionView,
    rest: { method: "post", path: "/v1/attributions/:id/pieces" },
    handler: async ({ params, body }, caller) => {
      await uc.access.attribution(caller, params.id, "write");
      return as(
        AttributionView,
        (await uc.attributions.handle(caller, params.id, { type: "SupplyPiece", ...body })).state,
      );
    },
  }),
  signLease: defineOperation({
    name: "signLease",
    summary: "Enregistrer la signature du bail (données R441-2-9)",
    tags: attributions,
    permission: "cal.manage",
    params: AttributionId,
    body: LeaseInput,
    output: AttributionView,
    rest: { method: "post", path: "/v1/attributions/:id/bail", status: 201 },
    handler: async ({ params, body }, caller) => {
      await uc.access.attribution(caller, params.id, "write");
      return as(
        AttributionView,
        (await uc.attributions.handle(caller, params.id, { type: "SignLease", ...body })).state,
      );
    },
  }),
});

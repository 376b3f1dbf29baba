import { Principal } from "@logis/auth";
import { defineOperation } from "@logis/http";
import { z } from "zod";
import type { AccessChecks } from "../app/access.js";
import type { AttributionUseCases } from "../app/attributions.js";
import type { CandidateUseCases } from "../app/candidates.js";
import type { ListUseCases } from "../app/lists.js";
import type { PlanningUseCases } from "../app/planning.js";
import type { SessionUseCases } from "../app/sessions.js";
import {
  AnswerInput,
  AttendanceInput,
  AttributionId,
  CancelInput,
  CommissionId,
  CommissionsPage,
  ConstituteInput,
  DecisionInput,
  DesignationInput,
  LeaseInput,
  ListCommissionsQuery,
  ListSessionsQuery,
  Minutes,
  PieceInput,
  PlanInput,
  PlannedDaysQuery,
  PlanOutput,
  ScheduleInput,
  SessionId,
  SessionsPage,
  View,
  Why,
  WhyParams,
} from "./schemas.js";

const commissions = ["Commissions"];
const seances = ["Séances"];
const attributions = ["Attributions"];

/** A state as the loosely documented view. */
const asView = <T extends object>(value: T) =>
  value as T & Record<string, unknown> & { _id: string; titre: string; date: string };

/** Every operation of the service, once: REST route, tRPC procedure and OpenAPI entry come from here. */
export const operations = (uc: {
  sessions: SessionUseCases;
  attributions: AttributionUseCases;
  candidates: CandidateUseCases;
  planning: PlanningUseCases;
  access: AccessChecks;
  lists: ListUseCases;
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
    output: View,
    rest: { method: "post", path: "/v1/commissions", status: 201 },
    handler: async ({ body }, caller) => {
      uc.access.constitute(caller, body);
      return asView(await uc.sessions.changeCommission(caller, body.id, { type: "Constitute", ...body }));
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
    output: View,
    rest: { method: "get", path: "/v1/commissions/:id" },
    handler: async ({ params }, caller) => asView(await uc.access.commission(caller, params.id, "read")),
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
  scheduleSession: defineOperation({
    name: "scheduleSession",
    summary: "Programmer une séance",
    tags: seances,
    permission: "cal.manage",
    body: ScheduleInput,
    output: View,
    rest: { method: "post", path: "/v1/seances", status: 201 },
    handler: async ({ body }, caller) => {
      const { id, ...rest } = body;
      await uc.access.commission(caller, body.commissionId, "write");
      return asView(await uc.sessions.schedule(caller, id, rest));
    },
  }),
  getSession: defineOperation({
    name: "getSession",
    summary: "Lire une séance (ordre du jour, présences, décisions)",
    tags: seances,
    permission: "cal.read",
    params: SessionId,
    output: View,
    rest: { method: "get", path: "/v1/seances/:id" },
    handler: async ({ params }, caller) => {
      const { journal: _j, ...view } = await uc.access.session(caller, params.id, "read");
      return asView(view);
    },
  }),
  planItem: defineOperation({
    name: "planItem",
    summary: "Inscrire un logement et ses candidats à l'ordre du jour",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    body: PlanInput,
    output: View,
    rest: { method: "post", path: "/v1/seances/:id/ordre-du-jour" },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      await uc.access.attribution(caller, body.attributionId, "write");
      return asView(await uc.sessions.planAttribution(caller, params.id, body.attributionId));
    },
  }),
  recordAttendance: defineOperation({
    name: "recordAttendance",
    summary: "Relever les présences (ouvre la séance)",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    body: AttendanceInput,
    output: View,
    rest: { method: "post", path: "/v1/seances/:id/presences" },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      return asView(
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
    output: View,
    rest: { method: "post", path: "/v1/seances/:id/decisions", status: 201 },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      return asView(await uc.sessions.changeSession(caller, params.id, { type: "RecordDecision", ...body }));
    },
  }),
  closeSession: defineOperation({
    name: "closeSession",
    summary: "Clore la séance : les décisions s'appliquent, les offres partent",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    output: View,
    rest: { method: "post", path: "/v1/seances/:id/cloture" },
    handler: async ({ params }, caller) => {
      await uc.access.session(caller, params.id, "write");
      return asView(await uc.sessions.close(caller, params.id));
    },
  }),
  cancelSession: defineOperation({
    name: "cancelSession",
    summary: "Annuler une séance : son ordre du jour est replanifié sur les séances suivantes de la commission",
    tags: seances,
    permission: "cal.manage",
    params: SessionId,
    body: CancelInput,
    output: View,
    rest: { method: "post", path: "/v1/seances/:id/annulation" },
    handler: async ({ params, body }, caller) => {
      await uc.access.session(caller, params.id, "write");
      return asView(await uc.planning.cancelAndReplan(caller, params.id, body.motif));
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
      return asView(await uc.sessions.minutes(params.id));
    },
  }),
  getAttribution: defineOperation({
    name: "getAttribution",
    summary: "Lire l'attribution d'un logement (candidats, décisions, offres, bail)",
    tags: attributions,
    permission: "cal.read",
    params: AttributionId,
    output: View,
    rest: { method: "get", path: "/v1/attributions/:id" },
    handler: async ({ params }, caller) => asView(await uc.access.attribution(caller, params.id, "read")),
  }),
  designate: defineOperation({
    name: "designate",
    summary:
      "Le réservataire désigne ses candidats (numéros uniques) avant son délai, ou le préfet des ménages DALO ; au moins trois sauf exception légale",
    tags: attributions,
    permission: "cal.read",
    params: AttributionId,
    body: DesignationInput,
    output: View,
    rest: { method: "post", path: "/v1/attributions/:id/designation", status: 201 },
    handler: async ({ params, body }, caller) => asView(await uc.candidates.designate(caller, params.id, body)),
  }),
  proposeCandidates: defineOperation({
    name: "proposeCandidates",
    summary:
      "Le bailleur propose les demandes éligibles les mieux classées par la cotation (logement rendu, délai de désignation passé ou contingent propre)",
    tags: attributions,
    permission: "cal.manage",
    params: AttributionId,
    output: View,
    rest: { method: "post", path: "/v1/attributions/:id/proposition", status: 201 },
    handler: async ({ params }, caller) => asView(await uc.candidates.proposeFromRanking(caller, params.id)),
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
    output: View,
    rest: { method: "post", path: "/v1/attributions/:id/reponse" },
    handler: async ({ params, body }, caller) => {
      await uc.access.attribution(caller, params.id, "write");
      return asView((await uc.attributions.handle(caller, params.id, { type: "AnswerOffer", ...body })).state);
    },
  }),
  supplyPiece: defineOperation({
    name: "supplyPiece",
    summary: "La pièce de la condition suspensive est fournie",
    tags: attributions,
    permission: "cal.manage",
    params: AttributionId,
    body: PieceInput,
    output: View,
    rest: { method: "post", path: "/v1/attributions/:id/pieces" },
    handler: async ({ params, body }, caller) => {
      await uc.access.attribution(caller, params.id, "write");
      return asView((await uc.attributions.handle(caller, params.id, { type: "SupplyPiece", ...body })).state);
    },
  }),
  signLease: defineOperation({
    name: "signLease",
    summary: "Enregistrer la signature du bail (données R441-2-9)",
    tags: attributions,
    permission: "cal.manage",
    params: AttributionId,
    body: LeaseInput,
    output: View,
    rest: { method: "post", path: "/v1/attributions/:id/bail", status: 201 },
    handler: async ({ params, body }, caller) => {
      await uc.access.attribution(caller, params.id, "write");
      return asView((await uc.attributions.handle(caller, params.id, { type: "SignLease", ...body })).state);
    },
  }),
});

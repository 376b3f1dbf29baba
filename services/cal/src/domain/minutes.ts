import { labelOf } from "@logis/contracts";
import type { Membre } from "./commission.js";
import { quorumOf, type SessionEvent, session } from "./session.js";

// The minutes (procès-verbal) of a session, built from its events alone: the data of a printable page.

const DECISION_LABELS: Record<string, string> = {
  ATTRIBUTION: "Attribution",
  ATTRIBUTION_RANG: "Attribution par rang",
  ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE: "Attribution sous condition suspensive",
  NON_ATTRIBUTION: "Non-attribution",
  REJET_IRRECEVABILITE: "Rejet pour irrecevabilité",
};

export interface Minutes {
  titre: string;
  commissionId: string;
  date: string;
  mode: string;
  statut: string;
  reglement: string;
  membres: { nom: string; qualite: Membre["qualite"]; voix: Membre["voix"]; present: boolean }[];
  quorum: { presents: number; requis: number; atteint: boolean };
  logements: {
    rplsId: string;
    reservataireId: string;
    candidats: {
      numeroUnique: string;
      decision: string | null;
      rang?: number | undefined;
      condition?: string | undefined;
      motifs: string[];
      votes?: string | undefined;
    }[];
  }[];
  examensOccupation: { rplsId: string; situation: string; avis: string }[];
  annulation?: { motif: string; le: string } | undefined;
}

export function minutesOf(events: readonly SessionEvent[]): Minutes | undefined {
  const state = events.reduce(session.evolve, session.initialState);
  if (!state) return undefined;
  const scheduled = events.find((e) => e.type === "SessionScheduled");
  const cancelled = events.find((e) => e.type === "SessionCancelled");
  const decisions = state.decisions;
  return {
    titre: `Procès-verbal de la ${scheduled?.type === "SessionScheduled" ? scheduled.scheduled.type : "CAL"} du ${state.date}`,
    commissionId: state.commissionId,
    date: state.date,
    mode: state.mode,
    statut: state.statut,
    reglement: state.reglement.version,
    membres: state.membres.map((m) => ({
      nom: m.nom,
      qualite: m.qualite,
      voix: m.voix,
      present: state.presents.includes(m.id),
    })),
    quorum: quorumOf(state),
    logements: state.agenda.flatMap((item) =>
      item.kind !== "ATTRIBUTION"
        ? []
        : [
            {
              rplsId: item.rplsId,
              reservataireId: item.reservataireId,
              candidats: item.candidats.map((c) => {
                const d = decisions.find((x) => x.attributionId === item.attributionId && x.demandId === c.demandId);
                return {
                  numeroUnique: c.numeroUnique,
                  decision: d ? (DECISION_LABELS[d.type] ?? d.type) : null,
                  rang: d?.rang,
                  condition: d?.condition && `${d.condition.piece} à fournir avant le ${d.condition.avant}`,
                  motifs: (d?.motifs ?? []).map((m) => (m.precision ? `${m.code} (${m.precision})` : m.code)),
                  votes:
                    d &&
                    `${d.votes.pour} pour, ${d.votes.contre} contre, ${d.votes.abstention} abstention(s)${d.voixPreponderante ? ", voix prépondérante" : ""}`,
                };
              }),
            },
          ],
    ),
    examensOccupation: state.examens.map((e) => ({ rplsId: e.rplsId, situation: e.situation, avis: e.avis })),
    ...(cancelled?.type === "SessionCancelled"
      ? { annulation: { motif: cancelled.motif, le: cancelled.annuleeLe } }
      : {}),
  };
}

/** The label of a contingent code, for the page (SNE list). */
export const contingentLabel = (code: string) => labelOf("typeReservataire", code);

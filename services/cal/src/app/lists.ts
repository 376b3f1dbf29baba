import type { Principal } from "@logis/auth";
import type { Caller } from "@logis/http";
import type { Commission } from "../domain/commission.js";
import type {
  CommissionQuery,
  CommissionReader,
  SessionCursor,
  SessionDoc,
  SessionQuery,
  SessionReader,
  Visibility,
} from "./ports.js";

// The lists of commissions and sessions (the console's calendar and its choice of commission), with
// access.ts's rules as a query: the landlord's staff its landlord's, the préfecture every one of its
// départements, a reserver the commissions of its départements and only the sessions where one of its
// units is on the agenda, with only its own items. A list holds no applicant's data (the agenda items
// name units and count candidates): those are read on the session or the attribution, under their rules.

const LANDLORD_ROLES = ["landlord-agent", "cal-secretary"];

/** What the caller may list, from its roles and territories. */
export function visibilityOf(p: Principal): Visibility {
  return {
    bailleurId: p.roles.some((r) => LANDLORD_ROLES.includes(r)) ? p.organisation.id : undefined,
    departements: p.roles.includes("state-agent") ? [...p.territories.departements] : [],
    reservataire: p.roles.includes("reserver-agent")
      ? { id: p.organisation.id, departements: [...p.territories.departements] }
      : undefined,
  };
}

export interface SessionSummary {
  id: string;
  commissionId: string;
  bailleurId: string;
  departement: string;
  date: string;
  mode: SessionDoc["mode"];
  statut: SessionDoc["statut"];
  capacite: number;
  /** Items on the agenda (for a reserver: its own only). */
  ordreDuJour: (
    | { nature: "ATTRIBUTION"; attributionId: string; rplsId: string; reservataireId: string; candidats: number }
    | { nature: "EXAMEN_OCCUPATION"; bailId: string; rplsId: string; situation: string }
  )[];
  /** Decisions recorded so far (for a reserver: on its own items). */
  decisions: number;
}

export interface CommissionSummary {
  id: string;
  bailleurId: string;
  departement: string;
  epci: string | null;
  typeCommission: Commission["typeCommission"];
  mode: Commission["mode"];
  recurrence: Commission["recurrence"];
  capacite: number;
  membres: number;
}

const encodeCursor = (c: SessionCursor) => `${c.date}~${c.id}`;
export const decodeCursor = (s: string): SessionCursor => {
  const [date = "", id = ""] = s.split("~");
  return { date, id };
};

export function listUseCases(deps: { sessions: SessionReader; commissions: CommissionReader }) {
  return {
    async sessions(
      caller: Caller,
      query: Omit<SessionQuery, "visibility" | "apres" | "limite"> & { apres?: string | undefined; limite?: number },
    ): Promise<{ seances: SessionSummary[]; suivant: string | null }> {
      const visibility = visibilityOf(caller.principal);
      const limite = query.limite ?? 50;
      const docs = await deps.sessions.list({
        ...query,
        visibility,
        apres: query.apres ? decodeCursor(query.apres) : undefined,
        limite: limite + 1,
      });
      const page = docs.slice(0, limite);
      const seances = page.map((s) => {
        const full =
          (visibility.bailleurId !== undefined && s.bailleurId === visibility.bailleurId) ||
          visibility.departements.includes(s.departement);
        const reserverId = visibility.reservataire?.id;
        const own = (item: SessionDoc["agenda"][number]) =>
          full || (item.kind === "ATTRIBUTION" && item.reservataireId === reserverId);
        const items = s.agenda.filter(own);
        const ownAttributions = new Set(items.flatMap((i) => (i.kind === "ATTRIBUTION" ? [i.attributionId] : [])));
        return {
          id: s._id,
          commissionId: s.commissionId,
          bailleurId: s.bailleurId,
          departement: s.departement,
          date: s.date,
          mode: s.mode,
          statut: s.statut,
          capacite: s.capacite,
          ordreDuJour: items.map((i) =>
            i.kind === "ATTRIBUTION"
              ? {
                  nature: "ATTRIBUTION" as const,
                  attributionId: i.attributionId,
                  rplsId: i.rplsId,
                  reservataireId: i.reservataireId,
                  candidats: i.candidats.length,
                }
              : { nature: "EXAMEN_OCCUPATION" as const, bailId: i.bailId, rplsId: i.rplsId, situation: i.situation },
          ),
          decisions: full ? s.decisions.length : s.decisions.filter((d) => ownAttributions.has(d.attributionId)).length,
        };
      });
      const last = page.at(-1);
      return {
        seances,
        suivant: docs.length > limite && last ? encodeCursor({ date: last.date, id: last._id }) : null,
      };
    },

    async commissions(
      caller: Caller,
      query: Omit<CommissionQuery, "visibility" | "limite"> & { limite?: number },
    ): Promise<{ commissions: CommissionSummary[]; suivant: string | null }> {
      const limite = query.limite ?? 50;
      const docs = await deps.commissions.list({
        ...query,
        visibility: visibilityOf(caller.principal),
        limite: limite + 1,
      });
      const page = docs.slice(0, limite);
      return {
        commissions: page.map((c) => ({
          id: c._id,
          bailleurId: c.bailleurId,
          departement: c.departement,
          epci: c.epci ?? null,
          typeCommission: c.typeCommission,
          mode: c.mode,
          recurrence: c.recurrence,
          capacite: c.capacite,
          membres: c.membres.length,
        })),
        suivant: docs.length > limite ? (page.at(-1)?._id ?? null) : null,
      };
    },
  };
}
export type ListUseCases = ReturnType<typeof listUseCases>;

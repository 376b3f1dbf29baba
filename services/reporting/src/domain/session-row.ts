import { type CalSessionEvent, TypeDecision } from "@logis/contracts";

// The read model of one CAL session (cal.session.v1; aggregate `ses_…`): its commission, landlord,
// département and day, whether it was cancelled, and the commission's decisions counted by type
// (R441-3). Rebuilt by folding the session's events in order.

export const TYPES_DECISION = TypeDecision.options;

export interface SessionRow {
  id: string;
  version: number;
  commissionId?: string;
  bailleurId?: string;
  departement?: string;
  date?: string;
  annulee: boolean;
  decisions: Record<string, number>;
  /** Occupancy examinations (CALEOL). */
  examensOccupation: number;
}

export function evolveSessionRow(row: SessionRow | undefined, event: CalSessionEvent): SessionRow {
  const base: SessionRow = row ?? {
    id: event.aggregateId,
    version: 0,
    annulee: false,
    decisions: {},
    examensOccupation: 0,
  };
  const next = { ...base, version: event.aggregateVersion };
  switch (event.type) {
    case "SessionScheduled": {
      const p = event.payload;
      return {
        ...next,
        commissionId: p.commissionId,
        bailleurId: p.bailleurId,
        departement: p.departement,
        date: p.date,
      };
    }
    case "SessionCancelled":
      return { ...next, annulee: true };
    case "DecisionRecorded": {
      const p = event.payload;
      return {
        ...next,
        commissionId: p.commissionId,
        departement: next.departement ?? p.departement,
        date: next.date ?? p.decideLe.slice(0, 10),
        decisions: { ...next.decisions, [p.type]: (next.decisions[p.type] ?? 0) + 1 },
      };
    }
    case "OccupancyExamined":
      return { ...next, examensOccupation: next.examensOccupation + 1 };
    default:
      return next;
  }
}

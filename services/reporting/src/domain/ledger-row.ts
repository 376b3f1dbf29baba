import type { FluxOrientationEvent } from "@logis/contracts";

// The read model of one flux ledger (flux.orientation.v1; aggregate `flux:<landlord>:<département>:<year>`):
// the year's gross flux, the units subtracted per reason, and per reserver what it was owed (its last
// known position), the units oriented to it, handed back and attributed on its flux. Once the
// yearly balance is closed, its lines replace the running counts. Rebuilt by folding in order.

export interface LigneFlux {
  reservataireId: string;
  /** SNE contingent code (PPRIOR, COLACT, COLTER, AUCUN…). */
  codeSne: string;
  type: string;
  /** Carry-over of the previous year (units; positive = owed). */
  report: number;
  /** Units owed to date (its last position, carry-over included as flux counts it). */
  du: number;
  orientes: number;
  rendus: number;
  /** Handed back and still counted in its flux (convention clause). */
  rendusComptes: number;
  /** Oriented units whose designation deadline passed without candidates (the landlord presented its own). */
  designationsEchues: number;
  attribues: number;
}

export interface LedgerRow {
  id: string;
  version: number;
  bailleurId: string;
  departement: string;
  annee: number;
  /** Freed units of the year: oriented or subtracted. */
  fluxBrut: number;
  soustraits: Record<string, number>;
  lignes: LigneFlux[];
  /** Whether the yearly balance (bilan annuel) closed the ledger. */
  cloture: boolean;
}

/** `flux:<landlord>:<département>:<year>`; the landlord's id may itself hold colons. */
export function ledgerKey(id: string): { bailleurId: string; departement: string; annee: number } {
  const parts = id.split(":");
  const annee = Number(parts.at(-1));
  const departement = parts.at(-2) ?? "";
  return { bailleurId: parts.slice(1, -2).join(":"), departement, annee };
}

type Cible = { reservataireId: string; codeSne: string; type: string };

const empty = (c: Cible): LigneFlux => ({
  reservataireId: c.reservataireId,
  codeSne: c.codeSne,
  type: c.type,
  report: 0,
  du: 0,
  orientes: 0,
  rendus: 0,
  rendusComptes: 0,
  designationsEchues: 0,
  attribues: 0,
});

const touch = (lignes: LigneFlux[], c: Cible, change: (l: LigneFlux) => LigneFlux): LigneFlux[] => {
  const i = lignes.findIndex((l) => l.reservataireId === c.reservataireId);
  if (i === -1) return [...lignes, change(empty(c))];
  return lignes.map((l, j) => (j === i ? change(l) : l));
};

/** The next ledger row after one orientation event. Pure; the caller skips events at or below the version. */
export function evolveLedgerRow(row: LedgerRow | undefined, event: FluxOrientationEvent): LedgerRow {
  const base: LedgerRow = row ?? {
    id: event.aggregateId,
    version: 0,
    ...ledgerKey(event.aggregateId),
    fluxBrut: 0,
    soustraits: {},
    lignes: [],
    cloture: false,
  };
  const next = { ...base, version: event.aggregateVersion };
  switch (event.type) {
    case "FluxYearOpened": {
      let lignes = next.lignes;
      for (const r of event.payload.reports) lignes = touch(lignes, r, (l) => ({ ...l, report: r.report }));
      return { ...next, bailleurId: event.payload.bailleurId, departement: event.payload.departement, lignes };
    }
    case "UnitSubtractedFromFlux": {
      const motif = event.payload.motif;
      return {
        ...next,
        fluxBrut: next.fluxBrut + 1,
        soustraits: { ...next.soustraits, [motif]: (next.soustraits[motif] ?? 0) + 1 },
      };
    }
    case "UnitAssignedToReserver": {
      let lignes = next.lignes;
      // Every reserver's position at that moment: what it is owed to date.
      for (const p of event.payload.explication.positions) lignes = touch(lignes, p, (l) => ({ ...l, du: p.du }));
      lignes = touch(lignes, event.payload.cible, (l) => ({ ...l, orientes: l.orientes + 1 }));
      return { ...next, fluxBrut: next.fluxBrut + 1, lignes };
    }
    case "OrientationOverridden": {
      const lignes = touch(next.lignes, event.payload.de, (l) => ({ ...l, orientes: Math.max(0, l.orientes - 1) }));
      return { ...next, lignes: touch(lignes, event.payload.vers, (l) => ({ ...l, orientes: l.orientes + 1 })) };
    }
    case "UnitReturned": {
      const compte = event.payload.compte;
      return {
        ...next,
        lignes: touch(next.lignes, event.payload.cible, (l) => ({
          ...l,
          rendus: l.rendus + 1,
          rendusComptes: l.rendusComptes + (compte ? 1 : 0),
        })),
      };
    }
    case "AttributionRecorded":
      return {
        ...next,
        lignes: touch(next.lignes, event.payload.cible, (l) => ({ ...l, attribues: l.attribues + 1 })),
      };
    case "BalanceClosed": {
      const p = event.payload;
      const lignes = p.lignes.map((l) => ({
        reservataireId: l.reservataireId,
        codeSne: l.codeSne,
        type: l.type,
        report: l.reportPrecedent,
        du: l.du,
        orientes: l.orientes,
        rendus: l.rendus,
        rendusComptes: next.lignes.find((x) => x.reservataireId === l.reservataireId)?.rendusComptes ?? 0,
        designationsEchues: next.lignes.find((x) => x.reservataireId === l.reservataireId)?.designationsEchues ?? 0,
        attribues: l.attribues,
      }));
      return { ...next, fluxBrut: p.fluxBrut, soustraits: { ...p.soustraits }, lignes, cloture: true };
    }
    case "UnitDesignationExpired":
      return {
        ...next,
        lignes: touch(next.lignes, event.payload.cible, (l) => ({
          ...l,
          designationsEchues: l.designationsEchues + 1,
        })),
      };
    default:
      // The subtraction forecast, and events added to the stream later: nothing the read model keeps.
      return next;
  }
}

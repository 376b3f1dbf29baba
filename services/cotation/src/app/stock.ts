import type { DemandEvent } from "@logis/contracts";
import { extractFacts, type FactCatalogue, type Refusal, refusalsInWindow } from "../domain/facts.js";
import type { Territoires } from "../domain/referentiels.js";
import { Projection, Status, territoryIndex } from "../engine/projection.js";

/** Waiting times observed for attributions, per (typology, commune) of the demand's first wish. */
interface Attribution {
  demandId: string;
  at: string;
  days: number;
}

/**
 * The live demand stock as cotation sees it: the columnar projection fed by the registration events,
 * plus the waiting times of attributed demands (R441-2-17). Applying an event twice, or an older one,
 * changes nothing (per-demand high-water mark on `aggregateVersion`).
 */
export class Stock {
  readonly projection: Projection;
  readonly epciCommunes: ReadonlyMap<string, ReadonlySet<string>>;
  readonly epciNames: ReadonlyMap<string, string>;
  private readonly attributions = new Map<string, Attribution[]>();
  /** Pieces checked by a desk, per demand (DemandProofValidated): the proof-gated criteria they unlock. */
  private readonly proofs = new Map<string, Set<string>>();
  /** Refusals recorded per demand (DemandRefusalRecorded), counted in the grid's window on the day scored. */
  private readonly refusals = new Map<string, Refusal[]>();
  private refusalsAsOf: string | undefined;
  applied = 0;

  /** `catalogue` and `territoires`: reference data, loaded in compose.ts. */
  constructor(
    catalogue: FactCatalogue,
    readonly territoires: Territoires,
    initialCapacity = 1024,
  ) {
    this.projection = new Projection(catalogue, territoryIndex(territoires.epcis), initialCapacity);
    this.epciCommunes = new Map(territoires.epcis.map((e) => [e.siren, new Set(e.communes)]));
    this.epciNames = new Map(territoires.epcis.map((e) => [e.siren, e.nom]));
  }

  /** The stored index (+1) of an EPCI in the projection, or undefined when unknown. */
  epciId(siren: string): number | undefined {
    const k = this.projection.territory.epcis.indexOf(siren);
    return k < 0 ? undefined : k + 1;
  }

  apply(event: DemandEvent): "applied" | "ignored" {
    const id = event.aggregateId;
    const p = this.projection;
    if (event.aggregateVersion <= p.versionOf(id)) return "ignored";
    const on = event.occurredAt.slice(0, 10);
    switch (event.type) {
      case "DemandRegistered":
        p.upsert(
          id,
          event.payload.numeroUnique,
          { dateDepot: event.payload.dateDepot.slice(0, 10), communes: event.payload.demande.souhaits.communes },
          extractFacts(event.payload.demande, on),
          event.aggregateVersion,
        );
        break;
      case "DemandUpdated": {
        const row = p.rowOf(id);
        if (row === undefined) return "ignored";
        const { header } = p.readRow(row);
        p.upsert(
          id,
          event.payload.numeroUnique,
          { dateDepot: header.dateDepot, communes: event.payload.demande.souhaits.communes },
          extractFacts(event.payload.demande, on),
          event.aggregateVersion,
        );
        break;
      }
      case "DemandRenewed":
      case "DemandReactivated":
        if (!p.setStatus(id, Status.active, event.aggregateVersion)) return "ignored";
        break;
      case "DemandCancelled":
        if (!p.setStatus(id, Status.cancelled, event.aggregateVersion)) return "ignored";
        break;
      case "DemandRadiated": {
        const row = p.rowOf(id);
        if (row === undefined) return "ignored";
        if (event.payload.radiation.motif === "RADATT") this.recordAttribution(row, event.payload.radiation.date);
        p.setStatus(id, Status.radiated, event.aggregateVersion);
        break;
      }
      case "DemandProofValidated": {
        const held = this.proofs.get(id) ?? new Set<string>();
        held.add(event.payload.justificatif);
        if (!p.setExtra(id, { justificatifs: [...held] }, event.aggregateVersion)) return "ignored";
        this.proofs.set(id, held);
        break;
      }
      case "DemandRefusalRecorded": {
        const list = [
          ...(this.refusals.get(id) ?? []),
          { on: event.payload.refusLe, suitable: event.payload.logementAdapte },
        ];
        const asOf = this.refusalsAsOf ?? on;
        if (!p.setExtra(id, { refus12Mois: refusalsInWindow(list, asOf) }, event.aggregateVersion)) return "ignored";
        this.refusals.set(id, list);
        break;
      }
      case "DemandPurged":
        if (!p.remove(id)) return "ignored";
        this.proofs.delete(id);
        this.refusals.delete(id);
        break;
    }
    this.applied++;
    return "applied";
  }

  /**
   * Counts each demand's refusals in the window ending on `asOf` (the day scored): a refusal leaves
   * the count once it is older than the window. Only demands with refusals are touched.
   */
  refusalsOn(asOf: string): void {
    if (this.refusalsAsOf === asOf) return;
    this.refusalsAsOf = asOf;
    for (const [id, list] of this.refusals) this.projection.setExtra(id, { refus12Mois: refusalsInWindow(list, asOf) });
  }

  private cellsOf(row: number): string[] {
    const { header, facts } = this.projection.readRow(row);
    const typologies = (facts.typologies as string[] | undefined) ?? [];
    return typologies.flatMap((t) => header.communes.map((c) => `${t}|${c}`));
  }

  private recordAttribution(row: number, at: string): void {
    const { header } = this.projection.readRow(row);
    const days = Math.max(0, Math.round((Date.parse(at) - Date.parse(header.dateDepot)) / 86_400_000));
    for (const cell of this.cellsOf(row)) {
      const list = this.attributions.get(cell) ?? [];
      list.push({ demandId: this.projection.ids[row] ?? "", at: at.slice(0, 10), days });
      this.attributions.set(cell, list);
    }
  }

  /**
   * Mean waiting time (days) of the demands attributed in the twelve months before `asOf` that
   * shared a typology and a commune with this demand; undefined without any.
   */
  waitingTime(row: number, asOf: string): { meanDays: number; attributions: number } | undefined {
    const [y, m, d] = asOf.split("-");
    const from = `${Number(y) - 1}-${m}-${d}`;
    const seen = new Set<string>();
    let n = 0;
    let sum = 0;
    for (const cell of this.cellsOf(row))
      for (const a of this.attributions.get(cell) ?? [])
        if (a.at > from && a.at <= asOf && !seen.has(a.demandId)) {
          seen.add(a.demandId);
          n++;
          sum += a.days;
        }
    return n === 0 ? undefined : { meanDays: Math.round(sum / n), attributions: n };
  }
}

import { type AnyEnvelope, createEvent, DemandScored } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import { civilDay } from "@logis/domain";
import type { AggregateStore } from "@logis/outbox";
import type { ScoringService } from "../app/scoring.js";
import type { Stock } from "../app/stock.js";
import { explainRow } from "../engine/explain.js";
import { decileOf } from "../engine/rank.js";

// DemandScored: one aggregate per (demand, EPCI), emitted only when the grid version, the score band
// or the rank decile changes. Seniority moves a score by a few points a month, so it crosses a band
// rarely: a daily run emits a trickle, not an event per demand (issue 4).

export interface ScoreState {
  _id: string; // `<demandId>@<epci>`
  demandId: string;
  epci: string;
  grid: string; // grid version id
  band: number;
  decile: number;
  version: number;
}

export function scoreEvents(deps: {
  states: { store: AggregateStore<ScoreState>; all(): AsyncIterable<ScoreState> };
  clock: Clock;
  stock: Stock;
  scoring: ScoringService;
  /** Points per band (config). */
  bandWidth: number;
}) {
  const { clock, stock, scoring, bandWidth } = deps;
  const { store } = deps.states;
  const known = new Map<string, { grid: string; band: number; decile: number; version: number }>();
  let loaded = false;

  async function load() {
    if (loaded) return;
    for await (const d of deps.states.all())
      known.set(d._id, { grid: d.grid, band: d.band, decile: d.decile, version: d.version });
    loaded = true;
  }

  /** Scores every EPCI's population with its grid in force and emits what changed. */
  async function runOnce(correlationId: string): Promise<{ emitted: number; scored: number }> {
    await load();
    const now = clock.now();
    const on = civilDay(now);
    const projection = stock.projection;
    const facts = projection.catalogue.byName;
    let emitted = 0;
    let scored = 0;
    for (const { doc, ranking } of scoring.rankingsInForce(on)) {
      const grid = scoring.compiled(doc);
      const seniority = grid.criteria.find(
        ({ criterion }) => criterion.points.kind === "perUnit" && facts.get(criterion.points.fact)?.temporal,
      );
      const fresh: { doc: ScoreState; events: AnyEnvelope[] }[] = [];
      const changed: { doc: ScoreState; events: AnyEnvelope[] }[] = [];
      const lut = stock.epciCommunes.get(doc.epci) ?? new Set<string>();
      for (let k = 0; k < ranking.rows.length; k++) {
        scored++;
        const row = ranking.rows[k] as number;
        const demandId = projection.ids[row];
        const numeroUnique = projection.numeros[row];
        if (!demandId || !numeroUnique) continue;
        const score = ranking.scores[k] as number;
        const rank = ranking.ranking.rank[k] as number;
        const of = ranking.rows.length;
        const band = Math.floor(score / bandWidth);
        const decile = decileOf(rank, of);
        const id = `${demandId}@${doc.epci}`;
        const before = known.get(id);
        if (before && before.grid === doc._id && before.band === band && before.decile === decile) continue;
        const version = (before?.version ?? 0) + 1;
        const criteria = explainRow(
          grid,
          projection,
          row,
          ranking.met0[k] as number,
          ranking.met1[k] as number,
          on,
          lut,
        ).criteria;
        const s = seniority?.criterion.points;
        const event = createEvent(DemandScored, {
          aggregateId: id,
          aggregateVersion: version,
          correlationId,
          occurredAt: now,
          payload: {
            demandId,
            numeroUnique,
            epci: doc.epci,
            grid: { gridId: doc.gridId, version: doc.version, kind: doc.kind },
            computedAt: now.toISOString(),
            score,
            band,
            decile,
            rank,
            of,
            criteria: criteria.map((x) => ({ code: x.code, points: x.points, provisional: x.provisional })),
            ...(seniority && s?.kind === "perUnit"
              ? {
                  seniority: {
                    since: projection.readRow(row).header.dateDepot,
                    pointsPerMonth: s.pointsPerUnit,
                    ...(s.cap !== undefined ? { cap: s.cap } : {}),
                    criterion: seniority.code,
                  },
                }
              : {}),
          },
        });
        const state = { grid: doc._id, band, decile, version };
        (before ? changed : fresh).push({ doc: { _id: id, demandId, epci: doc.epci, ...state }, events: [event] });
        known.set(id, state);
      }
      // New aggregates in batches; changed ones one by one (the store holds each one's lock).
      for (let i = 0; i < fresh.length; i += 500) await store.insertMany(fresh.slice(i, i + 500));
      for (const { doc: d, events } of changed) {
        const { _id, ...state } = d;
        await store.update(_id, () => ({ state, events }));
      }
      emitted += fresh.length + changed.length;
    }
    return { emitted, scored };
  }

  return { runOnce };
}

export type ScoreEvents = ReturnType<typeof scoreEvents>;

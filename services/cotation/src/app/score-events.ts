import { createEvent, DemandScored, topicName, topics } from "@logis/contracts";
import type { Clock, KeyedLock } from "@logis/domain";
import { markPending, type OutboxEntry, outboxEntries, outboxFieldsForInsert } from "@logis/outbox";
import type { mongo } from "mongoose";
import { factsByName } from "../domain/facts.js";
import { explainRow } from "../engine/explain.js";
import { decileOf } from "../engine/rank.js";
import type { ScoringService } from "./scoring.js";
import type { Stock } from "./stock.js";

// DemandScored: one aggregate per (demand, EPCI), emitted only when the grid version, the score band
// or the rank decile changes. Seniority moves a score by a few points a month, so it crosses a band
// rarely: a daily run emits a trickle, not an event per demand (issue 4).

export interface ScoreStateDoc {
  _id: string; // `<demandId>@<epci>`
  demandId: string;
  epci: string;
  grid: string; // grid version id
  band: number;
  decile: number;
  version: number;
  outbox: OutboxEntry[];
  outboxAt?: Date;
}

export function scoreEvents(deps: {
  db: mongo.Db;
  lock: KeyedLock;
  clock: Clock;
  stock: Stock;
  scoring: ScoringService;
  topicPrefix: string;
  /** Points per band (config). */
  bandWidth: number;
  onEvents?: () => void;
}) {
  const { db, lock, clock, stock, scoring, bandWidth } = deps;
  const c = db.collection<ScoreStateDoc>("demand_scores");
  const topic = topicName(topics.score, deps.topicPrefix);
  const known = new Map<string, { grid: string; band: number; decile: number; version: number }>();
  let loaded = false;

  async function load() {
    if (loaded) return;
    for await (const d of c.find({}, { projection: { outbox: 0 } }))
      known.set(d._id, { grid: d.grid, band: d.band, decile: d.decile, version: d.version });
    loaded = true;
  }

  /** Scores every EPCI's population with its grid in force and emits what changed. */
  async function runOnce(correlationId: string): Promise<{ emitted: number; scored: number }> {
    await load();
    const now = clock.now();
    const on = now.toISOString().slice(0, 10);
    const projection = stock.projection;
    let emitted = 0;
    let scored = 0;
    for (const { doc, ranking } of scoring.rankingsInForce(on)) {
      const grid = scoring.compiled(doc);
      const seniority = grid.criteria.find(
        ({ criterion }) => criterion.points.kind === "perUnit" && factsByName.get(criterion.points.fact)?.temporal,
      );
      const fresh: ScoreStateDoc[] = [];
      const changed: ScoreStateDoc[] = [];
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
        const next: ScoreStateDoc = {
          _id: id,
          demandId,
          epci: doc.epci,
          ...state,
          ...outboxFieldsForInsert(outboxEntries(topic, [event]), now),
        };
        (before ? changed : fresh).push(next);
        known.set(id, state);
      }
      // New aggregates in batches (an insert needs no lock); changed ones one by one under their lock.
      for (let i = 0; i < fresh.length; i += 500) {
        const batch = fresh.slice(i, i + 500);
        for (const d of batch) await markPending(c, d._id, now);
        await c.insertMany(batch, { ordered: false });
      }
      for (const d of changed)
        await lock.run(`demand_scores:${d._id}`, async () => {
          await markPending(c, d._id, now);
          await c.updateOne(
            { _id: d._id },
            {
              $set: { grid: d.grid, band: d.band, decile: d.decile, version: d.version },
              $push: { outbox: { $each: d.outbox } },
              $min: { outboxAt: now },
            },
          );
        });
      emitted += fresh.length + changed.length;
      if (fresh.length + changed.length > 0) deps.onEvents?.();
    }
    return { emitted, scored };
  }

  return { collection: c, runOnce };
}

export type ScoreEvents = ReturnType<typeof scoreEvents>;

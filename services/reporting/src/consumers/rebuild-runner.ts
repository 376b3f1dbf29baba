import { scoreStream } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import type { AggregateStore } from "@logis/outbox";
import type { Platform } from "@logis/runtime";
import type { z } from "zod";
import { mongoRows } from "../adapters/mongo/rows.js";
import type { DemandRows, ScoreRows } from "../app/ports.js";
import type { Positions, ReadModelCatalog, VersionedRow } from "../app/read-model.js";
import type { Modele, RebuildDoc } from "../app/rebuilds.js";
import type { ReadModels } from "../compose.js";
import { evolveAttributionRow } from "../domain/attribution-row.js";
import { evolveDemandRow } from "../domain/demand-row.js";
import { evolveLedgerRow } from "../domain/ledger-row.js";
import { scoreRowOf } from "../domain/score-row.js";
import { evolveSessionRow } from "../domain/session-row.js";
import { evolveUnitRow } from "../domain/unit-row.js";
import { type ReportingDemandKeys, replayedDemandStream, skippingSealed } from "./demand-events.js";
import type { LiveConsumers } from "./live-models.js";
import { runRebuild } from "./rebuild.js";

type Event = { aggregateId: string; aggregateVersion: number };

/** A row as text with its keys sorted at every level: two stores may keep fields in different orders. */
const canonical = (value: unknown): string =>
  JSON.stringify(value, (_k, v) =>
    v && typeof v === "object" && !Array.isArray(v)
      ? Object.fromEntries(
          Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
        )
      : v,
  );
/** Each read model's logical name (its catalog entry) and the fields its collection is indexed on. */
const READ_MODELS: Record<Modele, { name: string; indexes: string[] }> = {
  demandes: { name: "demand_rows", indexes: ["departement"] },
  cotations: { name: "score_rows", indexes: ["epci"] },
  logements: { name: "unit_rows", indexes: ["commune"] },
  flux: { name: "ledger_rows", indexes: ["departement"] },
  attributions: { name: "attribution_rows", indexes: ["departement"] },
  seances: { name: "session_rows", indexes: ["departement"] },
};

/** Per partition, the further of two positions. */
const furthest = (a: Positions, b: Record<string, string>): Record<string, string> => {
  const out: Record<string, string> = { ...b };
  for (const [p, offset] of Object.entries(a)) if (offset > Number(out[p] ?? 0)) out[p] = String(offset);
  return out;
};

interface Source {
  topic: string;
  schema: z.ZodType<Event>;
  evolve: (row: VersionedRow | undefined, e: Event) => VersionedRow | undefined;
  live: () => Promise<VersionedRow[]>;
}

/**
 * Runs rebuild jobs in this process: each read model's topic and fold, the job's progress written at
 * every flush (its heartbeat). Once the topic is replayed to the end offsets it had at the start, the
 * read model's live consumer is stopped, the rebuild reads on to where the live rows stand (caught
 * up), the rebuilt rows are compared with the live ones, and the catalog is pointed at the rebuilt
 * collection with its positions in one write (the swap); the live consumer starts again on it and
 * the old collection is dropped. A crash at any step resumes: before the swap the job replays on,
 * after it the job only drops the old collection.
 */
export function rebuildRunner(
  platform: Pick<Platform, "kafka" | "topicPrefix" | "logger" | "db">,
  live: {
    rows: DemandRows;
    scores: ScoreRows;
    models: ReadModels;
    catalog: ReadModelCatalog & { physical(name: string): string };
    live: LiveConsumers;
    /** The demands' data keys: a rebuild opens the facts like the live consumer (decision 0012). */
    demandKeys: ReportingDemandKeys;
  },
  jobs: AggregateStore<RebuildDoc>,
  clock: Clock,
  options: { maxRows?: number; crashAfterFlushes?: number } = {},
) {
  const m = live.models;
  const as = <E extends Event, R extends VersionedRow>(
    stream: { topic: string; schema: z.ZodType<E> },
    evolve: (row: R | undefined, e: E) => R | undefined,
    rows: () => Promise<R[]>,
  ): Source => ({ ...stream, evolve: evolve as Source["evolve"], live: rows }) as unknown as Source;
  const sources: Record<Modele, Source> = {
    demandes: as(replayedDemandStream(live.demandKeys), skippingSealed(evolveDemandRow), () => live.rows.list({})),
    cotations: as(
      scoreStream,
      (_row, e) => scoreRowOf(e),
      () => live.scores.list(),
    ),
    logements: as(m.units.stream, evolveUnitRow, () => m.units.rows.list()),
    flux: as(m.ledgers.stream, evolveLedgerRow, () => m.ledgers.rows.list()),
    attributions: as(m.attributions.stream, evolveAttributionRow, () => m.attributions.rows.list()),
    seances: as(m.sessions.stream, evolveSessionRow, () => m.sessions.rows.list()),
  };
  const update = (id: string, change: Partial<RebuildDoc>) =>
    jobs.update(id, (current) => (current ? { state: { ...current, ...change } } : undefined));

  return {
    /** The jobs still marked running (read-only query of the jobs' collection). */
    async running(): Promise<string[]> {
      return (await jobs.collection.find({ status: "running" }, { projection: { _id: 1 } }).toArray()).map(
        (d) => d._id,
      );
    },
    async run(job: RebuildDoc, resumed: boolean): Promise<void> {
      const source = sources[job.modele];
      const model = READ_MODELS[job.modele];
      const target = mongoRows<VersionedRow>(platform.db, job.collection, model.indexes);
      let done = job.done;
      const replay = (ends: Record<string, string> | undefined, again: boolean) =>
        runRebuild({
          kafka: platform.kafka,
          topicPrefix: platform.topicPrefix,
          topic: source.topic,
          schema: source.schema,
          evolve: source.evolve,
          target,
          group: job.group,
          ...(ends ? { ends } : {}),
          done,
          resumed: again,
          logger: platform.logger,
          ...(options.maxRows ? { maxRows: options.maxRows } : {}),
          ...(options.crashAfterFlushes === undefined ? {} : { crashAfterFlushes: options.crashAfterFlushes }),
          onFlush: async (p) => {
            done = p.done;
            await update(job._id, { done: p.done, ends: p.ends, heartbeatAt: clock.now() });
          },
        });
      let paused = false;
      try {
        await update(job._id, { heartbeatAt: clock.now() });
        const before = await live.catalog.entry(model.name);
        if (before?.collection === job.collection) {
          // Swapped in before a crash: only the old collection is left to drop.
          if (job.replaces)
            await platform.db
              .collection(job.replaces)
              .drop()
              .catch(() => undefined);
          await update(job._id, { status: "done", finishedAt: clock.now(), swappedAt: job.swappedAt ?? clock.now() });
          return;
        }
        if ((await replay(job.ends, resumed)) === "stopped") return;
        // Caught up: the live consumer stops (its last batch recorded), the rebuild reads on to its positions.
        paused = await live.live.pause(model.name);
        const current = await live.catalog.entry(model.name);
        const from = current?.collection ?? model.name;
        const reached = (await jobs.get(job._id))?.ends ?? job.ends ?? {};
        const ends = furthest(current?.positions ?? {}, reached);
        if ((await replay(ends, true)) === "stopped") return;
        const rebuilt = new Map((await target.list()).map((r) => [r.id, canonical(r)]));
        const byId = new Map((await source.live()).map((r) => [r.id, canonical(r)]));
        let ecarts = 0;
        for (const id of new Set([...rebuilt.keys(), ...byId.keys()])) if (rebuilt.get(id) !== byId.get(id)) ecarts++;
        await target.ensureIndexes();
        await update(job._id, { lignes: rebuilt.size, ecarts, replaces: from, heartbeatAt: clock.now() });
        const positions = Object.fromEntries(Object.entries(ends).map(([p, o]) => [p, Number(o)]));
        if (!(await live.catalog.swap(model.name, from, job.collection, positions)))
          throw new Error(`le modèle ${model.name} a changé de collection pendant la reconstruction`);
        const swappedAt = clock.now();
        await update(job._id, { swappedAt, heartbeatAt: swappedAt });
        if (paused) await live.live.resume(model.name);
        paused = false;
        await platform.db
          .collection(from)
          .drop()
          .catch(() => undefined);
        await update(job._id, { status: "done", finishedAt: clock.now() });
        platform.logger.info(
          { job: job._id, model: model.name, from, to: job.collection, ecarts },
          "read model swapped",
        );
      } catch (error) {
        platform.logger.error({ err: error, job: job._id }, "read-model rebuild failed");
        await update(job._id, { status: "failed", finishedAt: clock.now(), error: String(error) });
      } finally {
        if (paused) await live.live.resume(model.name).catch(() => undefined);
      }
    },
  };
}

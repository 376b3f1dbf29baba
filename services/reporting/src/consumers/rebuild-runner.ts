import { scoreStream } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import type { AggregateStore } from "@logis/outbox";
import type { Platform } from "@logis/runtime";
import type { z } from "zod";
import { mongoRows } from "../adapters/mongo/rows.js";
import type { DemandRows, ScoreRows } from "../app/ports.js";
import type { VersionedRow } from "../app/read-model.js";
import type { Modele, RebuildDoc } from "../app/rebuilds.js";
import type { ReadModels } from "../compose.js";
import { evolveAttributionRow } from "../domain/attribution-row.js";
import { evolveDemandRow } from "../domain/demand-row.js";
import { evolveLedgerRow } from "../domain/ledger-row.js";
import { scoreRowOf } from "../domain/score-row.js";
import { evolveSessionRow } from "../domain/session-row.js";
import { evolveUnitRow } from "../domain/unit-row.js";
import { type ReportingDemandKeys, replayedDemandStream, skippingSealed } from "./demand-events.js";
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
interface Source {
  topic: string;
  schema: z.ZodType<Event>;
  evolve: (row: VersionedRow | undefined, e: Event) => VersionedRow | undefined;
  live: () => Promise<VersionedRow[]>;
}

/**
 * Runs rebuild jobs in this process: each read model's topic and fold, the job's progress written at
 * every flush (its heartbeat), and at the end the rebuilt rows compared with the live read model.
 */
export function rebuildRunner(
  platform: Pick<Platform, "kafka" | "topicPrefix" | "logger" | "db">,
  live: {
    rows: DemandRows;
    scores: ScoreRows;
    models: ReadModels;
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
      const target = mongoRows<VersionedRow>(platform.db, job.collection);
      try {
        await update(job._id, { heartbeatAt: clock.now() });
        const outcome = await runRebuild({
          kafka: platform.kafka,
          topicPrefix: platform.topicPrefix,
          topic: source.topic,
          schema: source.schema,
          evolve: source.evolve,
          target,
          group: job.group,
          ...(job.ends ? { ends: job.ends } : {}),
          done: job.done,
          resumed,
          logger: platform.logger,
          ...(options.maxRows ? { maxRows: options.maxRows } : {}),
          ...(options.crashAfterFlushes === undefined ? {} : { crashAfterFlushes: options.crashAfterFlushes }),
          onFlush: async ({ done, ends }) => {
            await update(job._id, { done, ends, heartbeatAt: clock.now() });
          },
        });
        if (outcome === "stopped") return;
        const rebuilt = new Map((await target.list()).map((r) => [r.id, canonical(r)]));
        const current = await source.live();
        const ids = new Set([...rebuilt.keys(), ...current.map((r) => r.id)]);
        const byId = new Map(current.map((r) => [r.id, canonical(r)]));
        let ecarts = 0;
        for (const id of ids) if (rebuilt.get(id) !== byId.get(id)) ecarts++;
        await update(job._id, { status: "done", finishedAt: clock.now(), lignes: rebuilt.size, ecarts });
      } catch (error) {
        platform.logger.error({ err: error, job: job._id }, "read-model rebuild failed");
        await update(job._id, { status: "failed", finishedAt: clock.now(), error: String(error) });
      }
    },
  };
}

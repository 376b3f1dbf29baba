import {
  attributionStream,
  type DemandScored,
  demandStream,
  orientationStream,
  scoreStream,
  sessionStream,
  topics,
  unitStream,
} from "@logis/contracts";
import type { Clock } from "@logis/domain";
import { openApiDocument, restRoutesOf, trpcRouterOf } from "@logis/http";
import { mongoAggregateStore } from "@logis/outbox";
import type { Platform, ServiceParts } from "@logis/runtime";
import type { z } from "zod";
import { loadReferences, officialTerritory } from "./adapters/files/territoires.js";
import { readModelCatalog } from "./adapters/mongo/catalog.js";
import { mongoDemandRows } from "./adapters/mongo/demand-rows.js";
import { mongoRows } from "./adapters/mongo/rows.js";
import { mongoScoreRows } from "./adapters/mongo/score-rows.js";
import { attributionUseCases } from "./app/attributions.js";
import { demandProjection, scoreProjection } from "./app/projection.js";
import { quotaUseCases } from "./app/quotas.js";
import { foldProjection, type VersionedRow } from "./app/read-model.js";
import { type RebuildDoc, rebuildUseCases } from "./app/rebuilds.js";
import { statisticsUseCases } from "./app/statistics.js";
import { startBatchConsumer } from "./consumers/batch-consumer.js";
import { DEMAND_ROWS_GROUP, openingFold, reportingDemandKeys, skippingSealed } from "./consumers/demand-events.js";
import { liveConsumers } from "./consumers/live-models.js";
import { rebuildRunner } from "./consumers/rebuild-runner.js";
import { SCORE_ROWS_GROUP } from "./consumers/score-events.js";
import { startStreamConsumer } from "./consumers/stream-consumer.js";
import { ALERT_TOPIC } from "./domain/alert-events.js";
import { type AttributionRow, evolveAttributionRow } from "./domain/attribution-row.js";
import { type DemandRow, evolveDemandRow } from "./domain/demand-row.js";
import { evolveLedgerRow, type LedgerRow } from "./domain/ledger-row.js";
import type { QuotaAlertState } from "./domain/quota-alert.js";
import { referenceOf } from "./domain/reference.js";
import { type ScoreRow, scoreRowOf } from "./domain/score-row.js";
import { evolveSessionRow, type SessionRow } from "./domain/session-row.js";
import { evolveUnitRow, type UnitRow } from "./domain/unit-row.js";
import { operations } from "./http/operations.js";

/** The topics this service writes (the quotas' alerts) and reads (created at start, with their dead-letter topics). */
export const topicsOf = {
  produces: [ALERT_TOPIC],
  consumes: [
    topics.demand,
    topics.score,
    topics.fluxUnit,
    topics.fluxOrientation,
    topics.calAttribution,
    topics.calSession,
  ],
};

/**
 * The read models of flux and the CAL: each one collection (`_v` high-water marks), one consumer
 * group, one fold. A rebuild folds the same stream under another group into another collection.
 */
export function readModelsOf(db: Parameters<typeof mongoRows>[0], suffix = "") {
  const units = mongoRows<UnitRow>(db, `unit_rows${suffix}`, ["commune"]);
  const ledgers = mongoRows<LedgerRow>(db, `ledger_rows${suffix}`, ["departement"]);
  const attributions = mongoRows<AttributionRow>(db, `attribution_rows${suffix}`, ["departement"]);
  const sessions = mongoRows<SessionRow>(db, `session_rows${suffix}`, ["departement"]);
  return {
    units: {
      rows: units,
      stream: unitStream,
      group: "reporting.unit-rows",
      fold: foldProjection(units, evolveUnitRow),
    },
    ledgers: {
      rows: ledgers,
      stream: orientationStream,
      group: "reporting.ledger-rows",
      fold: foldProjection(ledgers, evolveLedgerRow),
    },
    attributions: {
      rows: attributions,
      stream: attributionStream,
      group: "reporting.attribution-rows",
      fold: foldProjection(attributions, evolveAttributionRow),
    },
    sessions: {
      rows: sessions,
      stream: sessionStream,
      group: "reporting.session-rows",
      fold: foldProjection(sessions, evolveSessionRow),
    },
  };
}
export type ReadModels = ReturnType<typeof readModelsOf>;

/** One read model: its store, its stream, its consumer group and its fold. */
export interface ReadModel<E> {
  rows: { list(): Promise<VersionedRow[]> };
  stream: { topic: string; schema: z.ZodType<E> };
  group: string;
  fold: {
    /** The read model's logical name and the collection that holds it now (the catalog's). */
    rows: { collection: string; physical(): string };
    apply(e: E): Promise<unknown>;
    applyBatch(events: readonly E[]): Promise<number>;
  };
}

/** Runs a read model's consumer (under another group for a rebuild). */
export function startReadModelConsumer<E>(
  platform: Pick<Platform, "kafka" | "producer" | "logger" | "topicPrefix">,
  m: ReadModel<E>,
  group = m.group,
) {
  return startStreamConsumer({
    kafka: platform.kafka,
    producer: platform.producer,
    stream: m.stream,
    group,
    projection: m.fold,
    logger: platform.logger,
    topicPrefix: platform.topicPrefix,
  });
}

/**
 * The service's parts, wired once: main.ts and the test harness both call this, so tests run the
 * service exactly as production does. The territory referential is loaded here and passed in.
 */
export async function composeReporting(
  platform: Platform,
  options: { clock: Clock; maskThreshold?: number; quotaCheckEveryMs?: number },
) {
  const territory = officialTerritory();
  const reference = referenceOf(loadReferences());
  // Which collection holds each read model (a rebuild swapped in), read before any of them is used.
  const catalog = readModelCatalog(platform.db);
  await catalog.load();
  const live = liveConsumers();
  const rows = mongoDemandRows(platform.db);
  const scores = mongoScoreRows(platform.db);
  const models = readModelsOf(platform.db);
  await Promise.all([
    rows.ensureIndexes(),
    scores.ensureIndexes(),
    ...Object.values(models).map((m) => m.rows.ensureIndexes()),
  ]);
  const projection = demandProjection(rows);
  // Each read model is fed a Kafka batch at a time: one read and one bulk write per batch, then its
  // positions recorded in the catalog beside the rows (the snapshot a restart resumes from).
  const consume = <E>(m: Pick<ReadModel<E>, "stream" | "group" | "fold">) =>
    live.worker(m.fold.rows.collection, async () => {
      const consumer = await startBatchConsumer({
        kafka: platform.kafka,
        producer: platform.producer,
        stream: m.stream,
        group: m.group,
        applyBatch: (events) => m.fold.applyBatch(events),
        logger: platform.logger,
        topicPrefix: platform.topicPrefix,
        snapshot: { catalog, name: m.fold.rows.collection, collection: m.fold.rows.physical() },
      });
      return { stop: () => consumer.stop() };
    });
  const scoring = scoreProjection(scores);
  const attributionDeps = {
    rows,
    units: models.units.rows,
    attributions: models.attributions.rows,
    sessions: models.sessions.rows,
    ledgers: models.ledgers.rows,
    territory,
    reference,
    clock: options.clock,
  };
  const alerts = mongoAggregateStore<QuotaAlertDoc>(platform.db, "quota_alerts", {
    topic: platform.topic(ALERT_TOPIC),
    lock: platform.lock,
    signals: platform.signals,
  });
  await alerts.ensureIndexes();
  const rebuildJobs = mongoAggregateStore<RebuildDoc>(platform.db, "rebuilds", {
    lock: platform.lock,
    signals: platform.signals,
  });
  await rebuildJobs.ensureIndexes();
  // The demands' data keys, in memory, for the demand rows and their rebuilds (decision 0012).
  const demandKeys = reportingDemandKeys(platform);
  const runner = rebuildRunner(
    platform,
    { rows, scores, models, catalog, live, demandKeys },
    rebuildJobs,
    options.clock,
  );
  const uc = {
    rebuilds: rebuildUseCases({ jobs: rebuildJobs, run: runner.run, clock: options.clock }),
    statistics: statisticsUseCases({ rows, scores, territory, reference, clock: options.clock }),
    attributions: attributionUseCases(attributionDeps),
    quotas: quotaUseCases({ ...attributionDeps, alerts }),
  };
  const ops = operations(uc.statistics, uc.attributions, uc.quotas, uc.rebuilds, options.clock, {
    maskThreshold: options.maskThreshold ?? 5,
  });
  const rest = restRoutesOf(Object.values(ops));
  const parts: ServiceParts = {
    http: {
      trpc: trpcRouterOf(ops),
      rest,
      openApi: openApiDocument({ title: "Logis — reporting", version: "0.1.0" }, rest),
    },
    outbox: [alerts.outbox],
    jobs: [
      // A rebuild a crash left running (silent for two minutes) resumes from its last flush.
      {
        name: "rebuild-resume",
        everyMs: 60_000,
        run: async () => uc.rebuilds.resumeInterrupted(await runner.running()),
      },
      { name: "quota-check", everyMs: options.quotaCheckEveryMs ?? 3_600_000, run: () => uc.quotas.checkAlerts() },
    ],
    workers: {
      // Started first, stopped last: the demand rows and the rebuilds open the facts with them.
      "demand keys": async () => {
        await demandKeys.get();
        return { stop: () => demandKeys.stop() };
      },
      "demand rows": consume({
        stream: demandStream,
        group: DEMAND_ROWS_GROUP,
        // The same collection and documents as `mongoDemandRows` (`_id`, `_v`, the row's fields);
        // the facts opened with the demands' keys, a purged demand's passed over.
        fold: openingFold(
          demandKeys,
          foldProjection(mongoRows<DemandRow>(platform.db, "demand_rows"), skippingSealed(evolveDemandRow)),
        ),
      }),
      "score rows": consume({
        stream: scoreStream,
        group: SCORE_ROWS_GROUP,
        // The same collection and documents as `mongoScoreRows`: each demand's last cotation per EPCI.
        fold: foldProjection(
          mongoRows<ScoreRow>(platform.db, "score_rows"),
          (_row: ScoreRow | undefined, e: DemandScored) => scoreRowOf(e),
        ),
      }),
      "unit rows": consume(models.units),
      "ledger rows": consume(models.ledgers),
      "attribution rows": consume(models.attributions),
      "session rows": consume(models.sessions),
    },
  };
  return {
    parts,
    uc,
    rows,
    scores,
    projection,
    scoring,
    territory,
    reference,
    models,
    rebuildJobs,
    catalog,
    live,
    demandKeys,
  };
}

type QuotaAlertDoc = { _id: string } & QuotaAlertState & { epci: string; annee: number; indicateur: string };

/** The console imports this type only. */
export type ReportingRouter = ReturnType<typeof trpcRouterOf<ReturnType<typeof operations>>>;

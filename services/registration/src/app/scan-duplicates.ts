import { assertCan, assertInDepartement } from "@logis/auth";
import { createEvent, type DemandForm, DuplicateSuspected } from "@logis/contracts";
import { AppError, newId } from "@logis/domain";
import { avancementOf } from "@logis/http";
import type { Logger } from "@logis/observability";
import type { AggregateStore } from "@logis/outbox";
import { scorePair } from "../domain/duplicates.js";
import type { Caller, Deps } from "./context.js";
import { interrupted, type JobBase } from "./jobs.js";
import { DUPLICATE_THRESHOLD } from "./register-demand.js";

export interface SuspectedPair {
  a: { demandId: string; numeroUnique: string; nom: string; prenom: string; dateNaissance: string };
  b: SuspectedPair["a"];
  score: number;
  raisons: string[];
}

export interface ScanDoc extends JobBase {
  progress: { processed: number; total: number };
  pairs: SuspectedPair[];
}

/** What a scan reads: the département's stock, once, in batches (adapters/mongo/demand-stock.ts). */
export interface ScanStock {
  count(departement: string, statuses: readonly ("active" | "cancelled")[]): Promise<number>;
  entries(departement: string, statuses: readonly ("active" | "cancelled")[]): AsyncIterable<Entry>;
}

/** Above this, pairs are reported but not all emitted as events (one job document holds the outbox). */
const MAX_EVENTS_PER_SCAN = 2_000;

type Entry = { id: string; numeroUnique: string; form: DemandForm; distinctFrom: string[] };
const SCANNED = ["active", "cancelled"] as const;

/**
 * The scan of a département's whole stock for suspected duplicates (about 20 % of the national stock
 * is estimated to be phantom or duplicate demands). Demands are blocked by the birth date of each
 * adult, then compared pairwise (names without accents, Jaro-Winkler, NIR). Pairs a desk already
 * declared distinct are left out. Progress is stored on the job; each pair leaves as
 * DuplicateSuspected through the job's outbox.
 */
export function duplicateScans(deps: Deps & { jobs: AggregateStore<ScanDoc>; stock: ScanStock; logger: Logger }) {
  const { jobs, stock } = deps;
  const write = (id: string, state: Partial<ScanDoc>, events?: Parameters<typeof jobs.insert>[1]) =>
    jobs.update(id, (current) =>
      current ? { state: { ...current, ...state }, ...(events ? { events } : {}) } : undefined,
    );

  async function run(id: string, departement: string, caller: Caller) {
    const total = await stock.count(departement, SCANNED);
    await write(id, { progress: { processed: 0, total } });
    const blocks = new Map<string, Entry[]>();
    let processed = 0;
    for await (const entry of stock.entries(departement, SCANNED)) {
      const form = entry.form;
      const dates = new Set(
        [form.demandeur.dateNaissance, form.cotitulaire?.dateNaissance].filter(Boolean) as string[],
      );
      for (const date of dates) blocks.set(date, [...(blocks.get(date) ?? []), entry]);
      if (++processed % 1000 === 0) await write(id, { progress: { processed, total }, heartbeatAt: deps.clock.now() });
    }

    const pairs: SuspectedPair[] = [];
    const seen = new Set<string>();
    const who = (e: Entry) => ({
      demandId: e.id,
      numeroUnique: e.numeroUnique,
      nom: e.form.demandeur.nom,
      prenom: e.form.demandeur.prenom,
      dateNaissance: e.form.demandeur.dateNaissance,
    });
    for (const block of blocks.values()) {
      for (let i = 0; i < block.length; i++) {
        for (let j = i + 1; j < block.length; j++) {
          const [x, y] = [block[i] as Entry, block[j] as Entry].sort((p, q) => p.id.localeCompare(q.id)) as [
            Entry,
            Entry,
          ];
          const key = `${x.id}~${y.id}`;
          if (seen.has(key) || x.distinctFrom.includes(y.id) || y.distinctFrom.includes(x.id)) continue;
          seen.add(key);
          const { score, reasons } = scorePair(x.form, y.form);
          if (score >= DUPLICATE_THRESHOLD) pairs.push({ a: who(x), b: who(y), score, raisons: reasons });
        }
      }
    }
    pairs.sort((p, q) => q.score - p.score || p.a.numeroUnique.localeCompare(q.a.numeroUnique));

    const now = deps.clock.now();
    const events = pairs.slice(0, MAX_EVENTS_PER_SCAN).map((p) =>
      createEvent(DuplicateSuspected, {
        aggregateId: `${p.a.demandId}~${p.b.demandId}`,
        aggregateVersion: 1,
        payload: {
          departement,
          demands: [
            { demandId: p.a.demandId, numeroUnique: p.a.numeroUnique },
            { demandId: p.b.demandId, numeroUnique: p.b.numeroUnique },
          ],
          score: p.score,
          reasons: p.raisons,
          source: "stock-scan",
        },
        correlationId: caller.correlationId,
        causationId: id,
        actor: { userId: caller.principal.userId, organisationId: caller.principal.organisation.id },
        occurredAt: now,
      }),
    );
    await write(
      id,
      { status: "done", finishedAt: now, pairs: pairs.slice(0, 10_000), progress: { processed, total } },
      events,
    );
    deps.logger.info({ scan: id, departement, processed, pairs: pairs.length }, "duplicate scan done");
  }

  return {
    jobs,
    /** Starts a scan; resolves with its id at once, `done` when the scan has finished. */
    async start(caller: Caller, departement: string) {
      assertCan(caller.principal, "demand.duplicates");
      assertInDepartement(caller.principal, departement);
      const id = newId("job");
      await jobs.insert({
        _id: id,
        departement,
        status: "running",
        startedAt: deps.clock.now(),
        heartbeatAt: deps.clock.now(),
        startedBy: { userId: caller.principal.userId, organisationId: caller.principal.organisation.id },
        progress: { processed: 0, total: 0 },
        pairs: [],
      });
      const done = run(id, departement, caller).catch(async (error: unknown) => {
        deps.logger.error({ err: error, scan: id }, "duplicate scan failed");
        // A service stopping under the scan cannot record it: the job then reads as interrupted.
        await write(id, {
          status: "failed",
          error: error instanceof Error ? error.message : String(error),
          finishedAt: deps.clock.now(),
        }).catch(() => undefined);
      });
      return { id, done };
    },
    async get(caller: Caller, id: string) {
      assertCan(caller.principal, "demand.duplicates");
      const job = await jobs.get(id);
      if (!job || !caller.principal.territories.departements.includes(job.departement)) {
        throw new AppError("NOT_FOUND", `Analyse ${id} introuvable`, { reason: "SCAN_NOT_FOUND" });
      }
      const { _id, ...rest } = job;
      const now = deps.clock.now();
      return {
        id: _id,
        ...rest,
        avancement: avancementOf(job, job.progress.processed, job.progress.total, "demandes", now),
        pairs: job.pairs.slice(0, 500),
        nombrePaires: job.pairs.length,
        ...interrupted(job, now, "Analyse interrompue (arrêt du service) : relancez-la"),
      };
    },
  };
}
export type DuplicateScans = ReturnType<typeof duplicateScans>;

import { assertCan } from "@logis/auth";
import { AppError, type Clock, interrupted, newId, progressOf } from "@logis/domain";
import { type Avancement, avancementOf, type Caller } from "@logis/http";
import type { Aggregates } from "@logis/outbox";
import { z } from "zod";

/** The read models a rebuild can replay (French names in the API). */
export const MODELES = ["demandes", "cotations", "logements", "flux", "attributions", "seances"] as const;
export type Modele = (typeof MODELES)[number];

export const RebuildRequest = z.object({
  modele: z.enum(MODELES, { error: `modèle attendu : ${MODELES.join(", ")}` }),
});

/** A rebuild job (LongJob): the topic replayed into `collection` under `group`, with its progress. */
export type RebuildDoc = {
  _id: string;
  modele: Modele;
  status: "running" | "done" | "failed";
  startedAt: Date;
  heartbeatAt: Date;
  finishedAt?: Date;
  startedBy: { userId: string; organisationId: string };
  error?: string;
  collection: string;
  group: string;
  /** End offsets by partition when the job started: the replay stops there. */
  ends?: Record<string, string>;
  /** Events read so far (the resume point's). */
  done: number;
  /** Rows of the rebuilt collection that differ from the live read model, once done. */
  ecarts?: number;
  lignes?: number;
  /** The collection the rebuilt one replaces (recorded before the swap, dropped after it). */
  replaces?: string;
  /** When the rebuilt collection became the read model in service. */
  swappedAt?: Date;
};

/** Runs (or resumes) a job in the background; the consumers' side (Kafka, the collections). */
export type RebuildRunner = (job: RebuildDoc, resumed: boolean) => Promise<void>;

export interface RebuildView {
  id: string;
  modele: Modele;
  statut: "running" | "done" | "failed" | "interrupted";
  collection: string;
  progression: { done: number; total?: number; percent?: number; estimatedEnd?: string };
  /** The same progress in the shape every long job of the platform shows (@logis/http Avancement). */
  avancement: Avancement;
  lignes?: number;
  ecarts?: number;
  enServiceLe?: string;
  erreur?: string;
}

export function rebuildUseCases(deps: { jobs: Aggregates<RebuildDoc>; run: RebuildRunner; clock: Clock }) {
  const total = (job: RebuildDoc) =>
    job.ends ? Object.values(job.ends).reduce((a, e) => a + Number(e), 0) : undefined;
  const view = (job: RebuildDoc): RebuildView => {
    const now = deps.clock.now();
    const cut = interrupted(job, now, "reconstruction interrompue : elle reprendra au prochain démarrage du service");
    return {
      id: job._id,
      modele: job.modele,
      statut: cut.status ?? job.status,
      collection: job.collection,
      progression: progressOf(job, job.done, total(job), now),
      avancement: avancementOf({ ...job, status: cut.status ?? job.status }, job.done, total(job), "événements", now),
      ...(job.lignes === undefined ? {} : { lignes: job.lignes }),
      ...(job.ecarts === undefined ? {} : { ecarts: job.ecarts }),
      ...(job.swappedAt ? { enServiceLe: new Date(job.swappedAt).toISOString() } : {}),
      ...((job.error ?? cut.error) ? { erreur: job.error ?? cut.error } : {}),
    };
  };
  return {
    /** Starts a rebuild of one read model (`platform.admin`): answered at once, the job runs in the background. */
    async start(caller: Caller, request: z.infer<typeof RebuildRequest>): Promise<RebuildView> {
      assertCan(caller.principal, "platform.admin");
      const id = newId("job");
      const now = deps.clock.now();
      const job: RebuildDoc = {
        _id: id,
        modele: request.modele,
        status: "running",
        startedAt: now,
        heartbeatAt: now,
        startedBy: { userId: caller.principal.userId, organisationId: caller.principal.organisation.id },
        collection: `rebuild_${request.modele}_${id.slice(4, 12)}`,
        group: `reporting.rebuild.${id}`,
        done: 0,
      };
      await deps.jobs.insert(job);
      void deps.run(job, false);
      return view(job);
    },
    /** Where a rebuild stands (`stats.read`). */
    async get(caller: Caller, id: string): Promise<RebuildView> {
      assertCan(caller.principal, "stats.read");
      const job = await deps.jobs.get(id);
      if (!job) throw new AppError("NOT_FOUND", `Reconstruction ${id} introuvable`, { reason: "UNKNOWN_REBUILD" });
      return view(job);
    },
    /** At start: resumes the jobs a crash left running (silent for longer than a job may be). */
    async resumeInterrupted(ids: readonly string[]): Promise<string[]> {
      const resumed: string[] = [];
      for (const job of await deps.jobs.getMany(ids)) {
        if (job.status !== "running" || !interrupted(job, deps.clock.now(), "").status) continue;
        void deps.run(job, true);
        resumed.push(job._id);
      }
      return resumed;
    },
  };
}
export type RebuildUseCases = ReturnType<typeof rebuildUseCases>;

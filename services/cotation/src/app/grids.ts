import { randomInt } from "node:crypto";
import { assertCan, assertInEpci, type Principal } from "@logis/auth";
import { createEvent, Epci, GridKind, GridPublished, GridRules, topicName, topics } from "@logis/contracts";
import { AppError, type Clock, type KeyedLock } from "@logis/domain";
import { markPending, type OutboxEntry, outboxEntries, outboxFieldsForInsert } from "@logis/outbox";
import type { mongo } from "mongoose";
import { z } from "zod";
import { type GridIssue, validateGrid } from "../domain/validate-grid.js";

// Grid versions: draft → simulate → publish (effective-dated, then immutable). One grid per EPCI and
// kind (`grd_<epci>_<kind>`), versions 1, 2, …; at most one draft at a time. Every change is
// attributed to its author in the version's history.

export const GridStatus = z.enum(["draft", "published"]);

export interface HistoryEntry {
  at: Date;
  by: string;
  byName: string;
  action: "créée" | "modifiée" | "simulée" | "publiée";
  note?: string;
}

export interface GridVersionDoc {
  _id: string;
  gridId: string;
  epci: string;
  kind: GridKind;
  version: number;
  nom: string;
  status: z.infer<typeof GridStatus>;
  rules: GridRules;
  basedOn?: number;
  /** Set when the draft was simulated after its last change (publication requires it). */
  simulatedAt?: Date;
  effectiveFrom?: string;
  publishedAt?: Date;
  publishedBy?: string;
  drawSeed?: number;
  history: HistoryEntry[];
  outbox: OutboxEntry[];
  outboxAt?: Date;
}

export const gridIdOf = (epci: string, kind: GridKind) => `grd_${epci}_${kind}`;
const versionId = (gridId: string, version: number) => `${gridId}.v${version}`;

export const CreateDraftInput = z.object({
  epci: Epci,
  kind: GridKind,
  nom: z.string().trim().min(1).max(200),
  rules: GridRules,
});
export const UpdateDraftInput = z.object({
  nom: z.string().trim().min(1).max(200).optional(),
  rules: GridRules.optional(),
  note: z.string().trim().max(500).optional(),
});
export const PublishInput = z.object({ effectiveFrom: z.iso.date() });

export interface GridView {
  id: string;
  gridId: string;
  epci: string;
  kind: GridKind;
  version: number;
  nom: string;
  status: "draft" | "published";
  rules: GridRules;
  effectiveFrom?: string | undefined;
  publishedAt?: string | undefined;
  publishedBy?: string | undefined;
  drawSeed?: number | undefined;
  simulatedAt?: string | undefined;
  history: { at: string; by: string; byName: string; action: string; note?: string | undefined }[];
}

export const viewOf = (d: GridVersionDoc): GridView => ({
  id: d._id,
  gridId: d.gridId,
  epci: d.epci,
  kind: d.kind,
  version: d.version,
  nom: d.nom,
  status: d.status,
  rules: d.rules,
  effectiveFrom: d.effectiveFrom,
  publishedAt: d.publishedAt?.toISOString(),
  publishedBy: d.publishedBy,
  drawSeed: d.drawSeed,
  simulatedAt: d.simulatedAt?.toISOString(),
  history: d.history.map((h) => ({ ...h, at: h.at.toISOString() })),
});

function invalidGrid(issues: GridIssue[]): AppError {
  const first = issues[0];
  return new AppError(
    "RULE_VIOLATION",
    `Grille refusée : ${issues.length} erreur(s), dont ${first?.critere ? `critère ${first.critere} : ` : ""}${first?.message}`,
    {
      reason: "INVALID_GRID",
      field: first ? `rules.${first.path}` : "rules",
      context: {
        issues: issues.map((i) => ({ path: `rules.${i.path}`, message: i.message })),
        details: issues,
      },
    },
  );
}

export interface GridDeps {
  db: mongo.Db;
  lock: KeyedLock;
  clock: Clock;
  topicPrefix: string;
  /** Wakes the outbox relay after a write with events. */
  onEvents?: () => void;
}

export function gridStore({ db, lock, clock, topicPrefix, onEvents }: GridDeps) {
  const c = db.collection<GridVersionDoc>("grid_versions");
  const topic = topicName(topics.grid, topicPrefix);
  const locked = <T>(gridId: string, fn: () => Promise<T>) => lock.run(`grid_versions:${gridId}`, fn);
  const author = (p: Principal) => ({ by: p.userId, byName: p.name });

  async function versionsOf(gridId: string): Promise<GridVersionDoc[]> {
    // Few versions per grid: read them by _id (pushed down on every engine), newest last.
    const out: GridVersionDoc[] = [];
    for (let v = 1; ; v++) {
      const doc = await c.findOne({ _id: versionId(gridId, v) });
      if (!doc) return out;
      out.push(doc);
    }
  }

  async function load(id: string): Promise<GridVersionDoc> {
    const doc = await c.findOne({ _id: id });
    if (!doc) throw new AppError("NOT_FOUND", `Grille ${id} introuvable`, { reason: "GRID_NOT_FOUND" });
    return doc;
  }

  const canSee = (principal: Principal, doc: GridVersionDoc) => {
    assertInEpci(principal, doc.epci);
    return doc;
  };

  return {
    collection: c,
    versionsOf,

    async get(principal: Principal, id: string): Promise<GridVersionDoc> {
      assertCan(principal, "grid.read");
      return canSee(principal, await load(id));
    },

    async list(principal: Principal, epci: string): Promise<GridVersionDoc[]> {
      assertCan(principal, "grid.read");
      assertInEpci(principal, epci);
      const all = await Promise.all(GridKind.options.map((k) => versionsOf(gridIdOf(epci, k))));
      return all.flat();
    },

    /** Every published version (the scoring registry loads them at start and after a publication). */
    async allPublished(epcis: readonly string[]): Promise<GridVersionDoc[]> {
      const all = await Promise.all(epcis.flatMap((e) => GridKind.options.map((k) => versionsOf(gridIdOf(e, k)))));
      return all.flat().filter((d) => d.status === "published");
    },

    async createDraft(principal: Principal, input: z.infer<typeof CreateDraftInput>): Promise<GridVersionDoc> {
      assertCan(principal, "grid.edit");
      assertInEpci(principal, input.epci);
      const issues = validateGrid(input.rules);
      if (issues.length > 0) throw invalidGrid(issues);
      const gridId = gridIdOf(input.epci, input.kind);
      return locked(gridId, async () => {
        const versions = await versionsOf(gridId);
        const draft = versions.find((v) => v.status === "draft");
        if (draft)
          throw new AppError("CONFLICT", `Un brouillon existe déjà (version ${draft.version}) : modifiez-le`, {
            reason: "DRAFT_EXISTS",
            context: { id: draft._id },
          });
        const now = clock.now();
        const version = versions.length + 1;
        const doc: GridVersionDoc = {
          _id: versionId(gridId, version),
          gridId,
          epci: input.epci,
          kind: input.kind,
          version,
          nom: input.nom,
          status: "draft",
          rules: input.rules,
          ...(versions.length > 0 ? { basedOn: versions.length } : {}),
          history: [{ at: now, ...author(principal), action: "créée" }],
          ...outboxFieldsForInsert([], now),
        };
        await c.insertOne(doc);
        return doc;
      });
    },

    async updateDraft(principal: Principal, id: string, input: z.infer<typeof UpdateDraftInput>) {
      assertCan(principal, "grid.edit");
      const current = canSee(principal, await load(id));
      if (input.rules) {
        const issues = validateGrid(input.rules);
        if (issues.length > 0) throw invalidGrid(issues);
      }
      return locked(current.gridId, async () => {
        const doc = await load(id);
        if (doc.status !== "draft")
          throw new AppError("CONFLICT", "Une grille publiée ne se modifie plus : créez une nouvelle version", {
            reason: "GRID_PUBLISHED",
          });
        const entry: HistoryEntry = {
          at: clock.now(),
          ...author(principal),
          action: "modifiée",
          ...(input.note ? { note: input.note } : {}),
        };
        await c.updateOne(
          { _id: id },
          {
            $set: { ...(input.nom ? { nom: input.nom } : {}), ...(input.rules ? { rules: input.rules } : {}) },
            $unset: { simulatedAt: "" },
            $push: { history: entry },
          },
        );
        return load(id);
      });
    },

    /** Records that the draft was simulated (publication requires a simulation of its last state). */
    async markSimulated(principal: Principal, doc: GridVersionDoc, note: string) {
      await locked(doc.gridId, async () => {
        const current = await load(doc._id);
        if (current.status !== "draft") return;
        const unchanged = current.history.length === doc.history.length;
        const now = clock.now();
        await c.updateOne(
          { _id: doc._id },
          {
            ...(unchanged ? { $set: { simulatedAt: now } } : {}),
            $push: { history: { at: now, ...author(principal), action: "simulée", note } },
          },
        );
      });
    },

    async publish(principal: Principal, id: string, input: z.infer<typeof PublishInput>, correlationId: string) {
      assertCan(principal, "grid.publish");
      const current = canSee(principal, await load(id));
      const today = clock.now().toISOString().slice(0, 10);
      if (input.effectiveFrom < today)
        throw new AppError("VALIDATION", "La date d'effet ne peut pas être dans le passé", {
          field: "effectiveFrom",
          reason: "EFFECTIVE_DATE_PAST",
        });
      const published = await locked(current.gridId, async () => {
        const doc = await load(id);
        if (doc.status !== "draft")
          throw new AppError("CONFLICT", "Cette version est déjà publiée", { reason: "GRID_PUBLISHED" });
        if (!doc.simulatedAt)
          throw new AppError("CONFLICT", "Simulez le brouillon dans son dernier état avant de le publier", {
            reason: "SIMULATION_REQUIRED",
          });
        const now = clock.now();
        const drawSeed = randomInt(0, 0xffffffff);
        const event = createEvent(GridPublished, {
          aggregateId: doc.gridId,
          aggregateVersion: doc.version,
          correlationId,
          actor: { userId: principal.userId, organisationId: principal.organisation.id },
          occurredAt: now,
          payload: {
            epci: doc.epci,
            kind: doc.kind,
            version: doc.version,
            nom: doc.nom,
            effectiveFrom: input.effectiveFrom,
            publishedAt: now.toISOString(),
            publishedBy: principal.userId,
            drawSeed,
            rules: doc.rules,
          },
        });
        await markPending(c, doc._id, now);
        const entry: HistoryEntry = {
          at: now,
          ...author(principal),
          action: "publiée",
          note: `effet au ${input.effectiveFrom}`,
        };
        await c.updateOne(
          { _id: id },
          {
            $set: {
              status: "published",
              effectiveFrom: input.effectiveFrom,
              publishedAt: now,
              publishedBy: principal.userId,
              drawSeed,
            },
            // The state and its event in one document write (the outbox).
            $push: { history: entry, outbox: { $each: outboxEntries(topic, [event]) } },
            $min: { outboxAt: now },
          },
        );
        return load(id);
      });
      onEvents?.();
      return published;
    },
  };
}

export type GridStore = ReturnType<typeof gridStore>;

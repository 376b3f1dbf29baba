import { randomInt } from "node:crypto";
import { assertCan, assertInEpci, type Principal } from "@logis/auth";
import { type AnyEnvelope, createEvent, Epci, GridKind, GridPublished, GridRules } from "@logis/contracts";
import { AppError, type Clock, civilDay } from "@logis/domain";
import { z } from "zod";
import type { FactCatalogue } from "../domain/facts.js";
import {
  type GridCommand,
  type GridContext,
  type GridEvent,
  type GridVersion,
  gridIdOf,
  gridVersion,
} from "../domain/grid-version.js";
import type { GridVersionsPort } from "./ports.js";

export const GridStatus = z.enum(["draft", "published"]);

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

export const viewOf = (d: GridVersion): GridView => ({
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

const notFound = (id: string) => new AppError("NOT_FOUND", `Grille ${id} introuvable`, { reason: "GRID_NOT_FOUND" });

/**
 * The grid use cases: check the caller, load the version, decide (domain/grid-version.ts), store.
 * `catalogue`: the facts and proof pieces a grid may name (reference data, loaded in compose.ts).
 */
export function gridStore({
  versions,
  clock,
  catalogue,
}: {
  versions: GridVersionsPort;
  clock: Clock;
  catalogue: FactCatalogue;
}) {
  const { store } = versions;
  const author = (p: Principal) => ({ by: p.userId, byName: p.name });
  const context = (p: Principal, siblings: readonly GridVersion[] = []): GridContext => {
    const now = clock.now();
    return { now, today: civilDay(now), author: author(p), versions: siblings, catalogue };
  };

  /** Decides `command` on the version `id` under its lock; the public events built by `publish` leave with it. */
  async function change(
    id: string,
    command: GridCommand,
    ctx: GridContext,
    publish: (next: GridVersion, events: readonly GridEvent[]) => AnyEnvelope[] = () => [],
  ): Promise<GridVersion> {
    const { state } = await store.update(id, (current) => {
      if (!current) throw notFound(id);
      const decided = gridVersion.decide(current, command, ctx);
      if (!decided.ok) throw decided.error;
      if (decided.value.length === 0) return undefined;
      const next = decided.value.reduce(gridVersion.evolve, current) as GridVersion;
      const { _id, ...state } = next;
      return { state, events: publish(next, decided.value) };
    });
    if (!state) throw notFound(id);
    return state;
  }

  async function load(id: string): Promise<GridVersion> {
    const doc = await store.get(id);
    if (!doc) throw notFound(id);
    return doc;
  }

  const canSee = (principal: Principal, doc: GridVersion) => {
    assertInEpci(principal, doc.epci);
    return doc;
  };

  return {
    async get(principal: Principal, id: string): Promise<GridVersion> {
      assertCan(principal, "grid.read");
      return canSee(principal, await load(id));
    },

    async list(principal: Principal, epci: string): Promise<GridVersion[]> {
      assertCan(principal, "grid.read");
      assertInEpci(principal, epci);
      return versions.ofEpcis([epci]);
    },

    /** Every published version (the scoring registry loads them at start and after a publication). */
    async allPublished(epcis: readonly string[]): Promise<GridVersion[]> {
      return (await versions.ofEpcis(epcis)).filter((d) => d.status === "published");
    },

    async createDraft(principal: Principal, input: z.infer<typeof CreateDraftInput>): Promise<GridVersion> {
      assertCan(principal, "grid.edit");
      assertInEpci(principal, input.epci);
      const siblings = await versions.versionsOf(gridIdOf(input.epci, input.kind));
      const decided = gridVersion.decide(undefined, { type: "CreateDraft", ...input }, context(principal, siblings));
      if (!decided.ok) throw decided.error;
      const created = decided.value.reduce(gridVersion.evolve, undefined as GridVersion | undefined) as GridVersion;
      // The version's _id is unique: of two drafts created at once, the second is refused here.
      if (!(await store.insert(created)))
        throw new AppError("CONFLICT", "Un brouillon vient d'être créé pour cette grille : modifiez-le", {
          reason: "DRAFT_EXISTS",
          context: { id: created._id },
        });
      return created;
    },

    async updateDraft(principal: Principal, id: string, input: z.infer<typeof UpdateDraftInput>) {
      assertCan(principal, "grid.edit");
      canSee(principal, await load(id));
      return change(id, { type: "UpdateDraft", ...input }, context(principal));
    },

    /** Records that the draft was simulated (publication requires a simulation of its last state). */
    async markSimulated(principal: Principal, doc: GridVersion, note: string) {
      await change(doc._id, { type: "RecordSimulation", seen: doc.history.length, note }, context(principal));
    },

    async publish(principal: Principal, id: string, input: z.infer<typeof PublishInput>, correlationId: string) {
      assertCan(principal, "grid.publish");
      canSee(principal, await load(id));
      const command = {
        type: "Publish" as const,
        effectiveFrom: input.effectiveFrom,
        drawSeed: randomInt(0, 0xffffffff),
      };
      const ctx = context(principal);
      const now = ctx.now;
      return change(id, command, ctx, (doc) => [
        createEvent(GridPublished, {
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
            effectiveFrom: command.effectiveFrom,
            publishedAt: now.toISOString(),
            publishedBy: principal.userId,
            drawSeed: command.drawSeed,
            rules: doc.rules,
          },
        }),
      ]);
    },
  };
}

export type GridStore = ReturnType<typeof gridStore>;

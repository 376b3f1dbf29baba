import { createHash } from "node:crypto";
import { CommuneInsee, ConditionsConvention, Departement, Reservataire } from "@logis/contracts";
import type { Clock } from "@logis/domain";
import { z } from "zod";
import { type Convention, conventionDecider, currentConditions } from "../domain/convention.js";
import type { LegalParameters } from "../domain/legal-parameters.js";
import type { Referentiel } from "../domain/referentiel.js";
import type { ConventionEnVigueur } from "../domain/shares.js";
import { canSeeConvention, landlordOf, notFound, readerReach } from "./access.js";
import { decideOn, stateOf } from "./decide.js";
import { actorOf } from "./events.js";
import type { Caller, ConventionDoc, ConventionsPort } from "./ports.js";

const day = (label: string) => z.iso.date({ error: `${label} attendue (AAAA-MM-JJ)` });

export const SignConventionInput = z.object({
  reservataire: Reservataire,
  departement: Departement,
  /** For a commune: the convention is signed at commune level. */
  commune: CommuneInsee.optional(),
  conditions: ConditionsConvention,
  signeLe: day("date de signature"),
});
export const AmendConventionInput = z.object({
  conditions: ConditionsConvention,
  signeLe: day("date de signature de l'avenant"),
  motif: z.string({ error: "objet de l'avenant requis" }).trim().min(3, "objet de l'avenant requis").max(500),
});
export const ConventionId = z.string().regex(/^cnv_[0-9a-f]{16}$/, "identifiant de convention attendu (cnv_…)");

/** One convention per landlord × reserver × département (or commune) from a start date: signing twice finds it. */
export const conventionIdOf = (bailleurId: string, reservataireId: string, territoire: string, validFrom: string) =>
  `cnv_${createHash("sha256").update(`${bailleurId}|${reservataireId}|${territoire}|${validFrom}`).digest("hex").slice(0, 16)}`;

export const enVigueur = (c: Convention | ConventionDoc): ConventionEnVigueur => ({
  conventionId: c.conventionId,
  reservataire: c.reservataire,
  commune: c.commune,
  conditions: currentConditions(c as Convention),
});

export type ConventionView = Convention & { version: number };
const viewOf = (doc: ConventionDoc): ConventionView => ({ ...(stateOf(doc) as Convention), version: doc.version });

/**
 * Reservation conventions: signed and amended by the landlord (with author and dates), the legal
 * caps of the parameters in force checked each time against the landlord's other conventions in
 * the département; ConventionSigned / ConventionAmended leave through the convention's outbox.
 */
export function conventionUseCases({
  conventions,
  clock,
  parametresLegaux,
  referentiel,
}: {
  conventions: ConventionsPort;
  clock: Clock;
  parametresLegaux: LegalParameters;
  referentiel: Referentiel;
}) {
  const context = async (caller: Caller, bailleurId: string, departement: string) => ({
    now: clock.now(),
    auteur: caller.principal.userId,
    parametresLegaux,
    autresConventions: (await conventions.list({ bailleurId, departements: [departement] })).map(enVigueur),
  });
  const meta = (caller: Caller) => ({
    correlationId: caller.correlationId,
    actor: actorOf(caller.principal),
    now: clock.now(),
  });

  /**
   * Decides a signature or an amendment as a change of the landlord's set of conventions in the
   * département: one at a time (the set's lock), so that two signed at once cannot together exceed a
   * cap that each alone respects. The convention and its event are written inside; a refusal writes nothing.
   */
  async function withinSet(
    bailleurId: string,
    departement: string,
    conventionId: string,
    decide: () => Promise<unknown>,
  ) {
    await conventions.sets.update(`set:${bailleurId}:${departement}`, async (set) => {
      await decide();
      const conventionIds = set?.conventionIds ?? [];
      if (conventionIds.includes(conventionId)) return undefined;
      return { state: { conventionIds: [...conventionIds, conventionId], version: (set?.version ?? 0) + 1 } };
    });
  }

  async function own(caller: Caller, conventionId: string) {
    const bailleurId = landlordOf(caller, "convention.sign");
    const doc = await conventions.store.get(conventionId);
    if (!doc || doc.bailleurId !== bailleurId) throw notFound(`Convention ${conventionId}`, "CONVENTION_NOT_FOUND");
    landlordOf(caller, "convention.sign", doc.departement);
    return doc;
  }

  return {
    async sign(caller: Caller, input: z.infer<typeof SignConventionInput>): Promise<ConventionView> {
      const bailleurId = landlordOf(caller, "convention.sign", input.departement);
      const conventionId = conventionIdOf(
        bailleurId,
        input.reservataire.id,
        input.commune ?? input.departement,
        input.conditions.validFrom,
      );
      await withinSet(bailleurId, input.departement, conventionId, async () =>
        decideOn(
          conventions.store,
          conventionId,
          conventionDecider,
          { type: "SignConvention", conventionId, bailleurId, ...input },
          await context(caller, bailleurId, input.departement),
          meta(caller),
        ),
      );
      return viewOf((await conventions.store.get(conventionId)) as ConventionDoc);
    },

    async amend(caller: Caller, conventionId: string, input: z.infer<typeof AmendConventionInput>) {
      const doc = await own(caller, conventionId);
      await withinSet(doc.bailleurId, doc.departement, conventionId, async () =>
        decideOn(
          conventions.store,
          conventionId,
          conventionDecider,
          { type: "AmendConvention", ...input },
          await context(caller, doc.bailleurId, doc.departement),
          meta(caller),
        ),
      );
      return viewOf((await conventions.store.get(conventionId)) as ConventionDoc);
    },

    async get(caller: Caller, conventionId: string): Promise<ConventionView> {
      const reach = readerReach(caller, referentiel);
      const doc = await conventions.store.get(conventionId);
      if (!doc || !canSeeConvention(reach, doc)) throw notFound(`Convention ${conventionId}`, "CONVENTION_NOT_FOUND");
      return viewOf(doc);
    },

    async list(caller: Caller, filter: { departement?: string | undefined }): Promise<ConventionView[]> {
      const reach = readerReach(caller, referentiel);
      if (reach.kind === "none") return [];
      const departements = filter.departement
        ? reach.departements.filter((d) => d === filter.departement)
        : reach.departements;
      const docs = await conventions.list({
        departements,
        ...(reach.kind === "landlord" ? { bailleurId: reach.bailleurId } : {}),
        ...(reach.kind === "reserver" ? { reservataireId: reach.reservataireId } : {}),
      });
      return docs.filter((d) => canSeeConvention(reach, d)).map(viewOf);
    },
  };
}
export type ConventionUseCases = ReturnType<typeof conventionUseCases>;

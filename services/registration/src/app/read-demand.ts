import { assertCan } from "@logis/auth";
import { CommuneInsee, DemandStatus, NumeroUnique } from "@logis/contracts";
import { z } from "zod";
import { type Attestation, attestationOf } from "../domain/attestation.js";
import type { Demand } from "../domain/demand.js";
import type { GuichetContact } from "../domain/guichets.js";
import { canReadSensitive, loadFor, viewOf } from "./access.js";
import type { Caller, Deps } from "./context.js";

/** A whole file: every read is audited (who, what, when). */
export const getDemand = (deps: Deps) => async (caller: Caller, numeroUnique: string) => {
  const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.read");
  await audit(deps, caller, demand, canReadSensitive(caller) ? "sensitive" : "file");
  return viewOf(demand, caller);
};

export const getHistory = (deps: Deps) => async (caller: Caller, numeroUnique: string) => {
  const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.read");
  await audit(deps, caller, demand, "history");
  return {
    numeroUnique,
    history: canReadSensitive(caller) ? demand.history : demand.history.map(withoutSensitivePaths),
    notices: demand.notices,
    lectures: await deps.audit.list(demand.id),
  };
};

/**
 * A history entry for a desk without the sensitive role: which sensitive details changed (violence,
 * health, handicap) is itself sensitive; the entry only says that sensitive details changed.
 */
function withoutSensitivePaths(entry: Demand["history"][number]): Demand["history"][number] {
  const sensitive = (path: string) => path === "sensible" || path.startsWith("sensible.");
  if (!entry.changes.some(sensitive)) return entry;
  return { ...entry, changes: [...entry.changes.filter((c) => !sensitive(c)), "sensible"] };
}

function audit(deps: Deps, caller: Caller, demand: Demand, what: "file" | "attestation" | "history" | "sensitive") {
  return deps.audit.record({
    at: deps.clock.now(),
    userId: caller.principal.userId,
    organisationId: caller.principal.organisation.id,
    demandId: demand.id,
    numeroUnique: demand.numeroUnique,
    what,
    requestId: caller.requestId,
  });
}

export const SearchInput = z.object({
  numeroUnique: NumeroUnique.optional(),
  nom: z.string().trim().min(2, "au moins 2 lettres").max(60).optional(),
  commune: CommuneInsee.optional(),
  statut: DemandStatus.optional(),
  departement: z.string().optional(),
  page: z.coerce.number().int().min(1).default(1),
  pageSize: z.coerce.number().int().min(1).max(100).default(20),
});

/** Search within the caller's départements; results are summaries, not files (no audit, no sensitive data). */
export const searchDemands = (deps: Deps) => async (caller: Caller, input: z.infer<typeof SearchInput>) => {
  assertCan(caller.principal, "demand.read");
  const mine = caller.principal.territories.departements;
  const departements = input.departement ? mine.filter((d) => d === input.departement) : mine;
  const { items, total } = await deps.demands.search({ ...input, departements });
  return {
    page: input.page,
    pageSize: input.pageSize,
    total,
    items: items.map((d) => ({
      numeroUnique: d.numeroUnique,
      departement: d.departement,
      statut: d.status,
      demandeur: d.form ? { nom: d.form.demandeur.nom, prenom: d.form.demandeur.prenom } : undefined,
      dateDepot: d.dateDepot,
      validUntil: d.validUntil,
      typologies: d.form?.souhaits.typologies ?? [],
      communes: d.form?.souhaits.communes ?? [],
    })),
  };
};

/**
 * The registration attestation as it was last issued (R441-2-4 content, the date it was issued), with
 * every issue (date, channel, content version). A demand registered before attestations were
 * recorded has none: its attestation is rebuilt, and says so (`reconstituee`).
 */
export const getAttestation = (deps: Deps) => async (caller: Caller, numeroUnique: string) => {
  const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.read");
  await audit(deps, caller, demand, "attestation");
  const issues = demand.attestations ?? [];
  const emissions = issues.map(({ content: _c, ...meta }) => meta);
  const last = issues.at(-1);
  const now = deps.clock.now();
  const content = last ? (last.content as Attestation) : attestationOf(demand, now, deps.rules(now));
  const guichet = deps.guichets?.(content.organismeEnregistreur.numeroGuichet, now);
  return {
    ...content,
    lieux: placesOf(deps, content),
    ...(guichet ? { coordonneesGuichet: contactOf(guichet) } : {}),
    emissions,
    reconstituee: !last,
  };
};

/**
 * How to reach the registering desk, as it is today (a desk that moved is reached at its new
 * address, even on an attestation issued before): the applicant's way to ask about the demand.
 */
function contactOf(g: GuichetContact) {
  return {
    nom: g.nom,
    adresse: g.adresse,
    telephone: g.telephone,
    courriel: g.courriel,
    ...(g.horaires ? { horaires: g.horaires } : {}),
  };
}

/** The names of the places an attestation names by code: the département and the communes. */
function placesOf(deps: Deps, a: Attestation) {
  const communes = [...new Set([...a.communesSouhaitees, ...(a.adresse.commune ? [a.adresse.commune] : [])])];
  return {
    departement: deps.places?.departement(a.departement) ?? a.departement,
    communes: Object.fromEntries(communes.map((c) => [c, deps.places?.commune(c) ?? c])),
  };
}
export type AttestationRead = Awaited<ReturnType<ReturnType<typeof getAttestation>>>;

export type { Attestation };

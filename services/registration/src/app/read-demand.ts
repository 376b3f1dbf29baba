import { assertCan } from "@logis/auth";
import { CommuneInsee, DemandStatus, labelOf, NumeroUnique } from "@logis/contracts";
import { frenchDate } from "@logis/domain";
import { z } from "zod";
import type { Demand } from "../domain/demand.js";
import type { LegalRules } from "../domain/rules.js";
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

/** The registration attestation, with the content R441-2-4 requires. */
export const getAttestation = (deps: Deps) => async (caller: Caller, numeroUnique: string) => {
  const demand = await loadFor(deps.demands, caller, numeroUnique, "demand.read");
  await audit(deps, caller, demand, "attestation");
  const now = deps.clock.now();
  return attestationOf(demand, now, deps.rules(now));
};

export function attestationOf(d: Demand, now: Date, rules: LegalRules) {
  if (!d.form) throw new Error("a purged demand has no attestation");
  const personne = (p: { civilite?: string | undefined; nom: string; prenom: string }) => ({
    civilite: p.civilite ? labelOf("civilite", p.civilite) : undefined,
    nom: p.nom,
    prenom: p.prenom,
  });
  return {
    titre: "Attestation d'enregistrement d'une demande de logement social",
    numeroUnique: d.numeroUnique,
    departement: d.departement,
    dateDepot: d.dateDepot,
    dateDernierRenouvellement: d.dateDernierRenouvellement,
    validiteJusquAu: d.validUntil,
    statut: d.status,
    demandeur: personne(d.form.demandeur),
    cotitulaire: d.form.cotitulaire ? personne(d.form.cotitulaire) : undefined,
    adresse: d.form.contact.adresse,
    organismeEnregistreur: { nom: d.guichet.nom, numeroGuichet: d.guichet.numGuichet },
    typologiesSouhaitees: d.form.souhaits.typologies,
    communesSouhaitees: d.form.souhaits.communes,
    regles: {
      validite: `La demande est valable ${rules.validityMonths} mois à compter du dépôt ou du dernier renouvellement.`,
      renouvellement: `Elle doit être renouvelée avant le ${frenchDate(new Date(d.validUntil))}. Un avis de renouvellement vous est adressé au moins ${rules.renewalNoticeMonthsBeforeExpiry} mois avant cette date. Le renouvellement conserve la date de dépôt initial et le numéro unique.`,
      radiation: [
        "attribution d'un logement social (signature du bail)",
        "renonciation écrite du demandeur",
        "irrecevabilité prononcée par une commission d'attribution (ressources au-dessus du plafond ou irrégularité du séjour), après notification",
        "absence de réponse à un courrier de l'organisme, après notification",
        `non-renouvellement : radiation ${rules.cancellationMonthsAfterExpiry} mois après l'échéance, réactivable jusqu'à ${rules.reactivationMonthsAfterExpiry} mois après l'échéance`,
      ],
      conservation: `Les données sont conservées ${rules.purgeMonthsAfterRadiation} mois après la radiation, puis effacées.`,
      dalo: "Cette attestation fait courir les délais ouvrant droit au recours devant la commission de médiation (droit au logement opposable).",
    },
    sources: rules.sources,
    delivreeLe: now.toISOString(),
  };
}
export type Attestation = ReturnType<typeof attestationOf>;

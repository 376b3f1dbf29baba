import { labelOf } from "@logis/contracts";
import { frenchDate } from "@logis/domain";
import type { Demand } from "./demand.js";
import type { LegalRules } from "./rules.js";

/** The registration attestation's content (R441-2-4), as issued at `now`. */
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

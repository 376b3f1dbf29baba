import type { DemandFacts, ExamenEligibilite, Logement, RefusEligibilite } from "@logis/contracts";
import type { IsoDay } from "./calendar.js";
import {
  FinancementPlafond,
  inForce,
  type Referentiel,
  type ReglesAttribution,
  type TablePlafonds,
  type Zone,
  zoneLabel,
  zoneOf,
} from "./reference.js";

// Eligibility of one household for one unit (domain reference §2.7): income ceilings by financing,
// zone and household category; typology against household size and wishes; wished communes; adapted
// housing; rent burden and remaining income. Pure: the reference data and the day come in.

/** The unit as the CAL examines it: flux's unit facts, and whether it is a PLAI adapté (D331-25-1). */
export type UnitFacts = Logement & { plaiAdapte?: boolean | undefined };

/** Rules whose refusal is a legal access condition (the only ground of an inadmissibility rejection). */
export const ACCESS_RULES = new Set(["PLAFOND_RESSOURCES"]);

export interface Household {
  personnes: number;
  adultes: number;
  aCharge: number;
  jeuneMenage: boolean;
  handicap: boolean;
  /** 1…6, then 7, 8… for each person beyond the sixth category. */
  categorie: number;
  unitesConsommation: number;
}

const eur = (n: number) => `${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 0 }).format(n)} €`;
const pct = (n: number) => `${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 1 }).format(n * 100)} %`;

export const ageOn = (birth: IsoDay, on: IsoDay): number => {
  const years = Number(on.slice(0, 4)) - Number(birth.slice(0, 4));
  return on.slice(5) < birth.slice(5) ? years - 1 : years;
};

const COUPLE_LINKS = new Set(["M", "P", "C"]);

/**
 * The household and its category: persons, dependants (children in shared custody count, the expected
 * children too), the young couple (no dependant, ages summing to at most the configured maximum) and a
 * person in a handicap situation moving it one category up.
 */
export function householdOf(facts: DemandFacts, on: IsoDay, ageMaxJeuneMenage: number): Household {
  const adultes = facts.cotitulaire ? 2 : 1;
  const garde = facts.enfantsEnGarde.filter((e) => e.coParentalite === "G");
  const attendus = facts.naissanceAttendue?.nombre ?? 0;
  const aCharge = facts.personnesACharge.length + garde.length + attendus;
  const personnes = adultes + aCharge;
  const couple = facts.cotitulaire !== undefined && COUPLE_LINKS.has(facts.cotitulaire.lienDemandeur);
  const jeuneMenage =
    couple &&
    aCharge === 0 &&
    facts.cotitulaire !== undefined &&
    ageOn(facts.demandeur.dateNaissance, on) + ageOn(facts.cotitulaire.dateNaissance, on) <= ageMaxJeuneMenage;
  const handicap = facts.situations.handicap;
  // One adult with k dependants ranks like k + 2 persons; two adults without dependant rank 2 (3 if young).
  const base = aCharge > 0 ? aCharge + 2 : adultes === 1 ? 1 : jeuneMenage ? 3 : 2;
  const categorie = base + (handicap ? 1 : 0);
  const children = [...facts.personnesACharge, ...garde].map((p) => ageOn(p.dateNaissance, on));
  const unitesConsommation =
    1 + (adultes - 1) * 0.5 + children.reduce((s, age) => s + (age >= 14 ? 0.5 : 0.3), 0) + attendus * 0.3;
  return { personnes, adultes, aCharge, jeuneMenage, handicap, categorie, unitesConsommation };
}

/** The ceiling of a category: the table's figure, or the sixth category plus the amount per extra person. */
export function ceilingOf(
  table: TablePlafonds,
  financement: FinancementPlafond,
  zone: Zone,
  categorie: number,
): number | undefined {
  const plafond = table.plafonds[financement]?.[zone];
  if (!plafond) return undefined;
  if ("derive" in plafond) {
    const base = ceilingOf(table, plafond.derive, zone, categorie);
    return base === undefined ? undefined : Math.round(base * plafond.facteur);
  }
  const capped = Math.min(categorie, 6);
  const sixth = plafond.categories[capped - 1] ?? 0;
  return sixth + Math.max(0, categorie - 6) * plafond.parPersonneSupplementaire;
}

/** The household's reference income: N-2, or N-1 when at least `baisse` lower (R441-1). */
export function referenceIncome(
  facts: DemandFacts,
  year: number,
  baisse: number,
): { annee: number; montant: number } | { manque: string } {
  const adults = [facts.demandeur, ...(facts.cotitulaire ? [facts.cotitulaire] : [])];
  const n2 = adults.map((a) => a.ressources.revenuFiscal.montantN2);
  const n1 = adults.map((a) => a.ressources.revenuFiscal.montantN1);
  const sumN1 = n1.every((v) => v !== undefined) ? n1.reduce<number>((s, v) => s + (v ?? 0), 0) : undefined;
  if (n2.some((v) => v === undefined)) {
    if (sumN1 !== undefined) return { annee: year - 1, montant: sumN1 };
    return { manque: `revenu fiscal de référence ${year - 2} non renseigné` };
  }
  const sumN2 = n2.reduce<number>((s, v) => s + (v ?? 0), 0);
  if (sumN1 !== undefined && sumN1 <= sumN2 * (1 - baisse)) return { annee: year - 1, montant: sumN1 };
  return { annee: year - 2, montant: sumN2 };
}

const monthlyResources = (facts: DemandFacts): number => {
  const adults = [facts.demandeur, ...(facts.cotitulaire ? [facts.cotitulaire] : [])];
  return adults.reduce(
    (s, a) =>
      s + a.ressources.mensuelles.reduce((m, r) => m + r.montant, 0) - (a.ressources.pensionAlimentaireVersee ?? 0),
    0,
  );
};

const typologyOfWish = (t: string) => (t === "C" ? "T1" : t);

/** Examines one household for one unit on one day; every refusal names its rule and its figures (French). */
export function examineEligibility(
  unit: UnitFacts,
  facts: DemandFacts,
  referentiel: Referentiel,
  on: IsoDay,
): ExamenEligibilite {
  const regles = inForce(referentiel.regles, on);
  const table = inForce(referentiel.plafonds, on);
  const refus: RefusEligibilite[] = [];
  if (!regles || !table) {
    return {
      eligible: false,
      tablePlafonds: table?.id ?? "aucune",
      categorieMenage: 1,
      personnes: 1,
      revenuReference: null,
      plafond: null,
      refus: [
        {
          regle: "REFERENTIEL_MANQUANT",
          message: `Aucune table de plafonds ou de règles d'attribution en vigueur le ${on}`,
          chiffres: { date: on },
        },
      ],
    };
  }
  const menage = householdOf(facts, on, regles.ageMaxJeuneMenage);
  const zone = zoneOf(referentiel.zones, unit.commune);
  const financement = FinancementPlafond.safeParse(unit.financement);
  const plafond = financement.success ? ceilingOf(table, financement.data, zone, menage.categorie) : undefined;
  const year = Number(on.slice(0, 4));
  const revenu = referenceIncome(facts, year, regles.baisseRevenuN1);

  if (plafond === undefined) {
    refus.push({
      regle: "PLAFOND_INCONNU",
      message: `Pas de plafond ${unit.financement} ${zoneLabel[zone]} dans la table ${table.id} : l'éligibilité ne peut être établie`,
      chiffres: { financement: unit.financement, zone, table: table.id },
    });
  }
  if ("manque" in revenu) {
    refus.push({
      regle: "REVENU_FISCAL_MANQUANT",
      message: `Ressources non établies : ${revenu.manque}`,
      chiffres: { anneeAttendue: year - 2 },
    });
  } else if (plafond !== undefined && revenu.montant > plafond) {
    refus.push({
      regle: "PLAFOND_RESSOURCES",
      message:
        `Revenu fiscal de référence ${revenu.annee} de ${eur(revenu.montant)} supérieur au plafond ${unit.financement} ` +
        `${table.validFrom.slice(0, 4)} (${zoneLabel[zone]}, catégorie ${menage.categorie}) de ${eur(plafond)}`,
      chiffres: {
        revenu: revenu.montant,
        anneeRevenu: revenu.annee,
        plafond,
        financement: unit.financement,
        zone,
        categorie: menage.categorie,
        depassement: revenu.montant - plafond,
      },
    });
  }
  checkTypology(unit, facts, regles, menage, refus);
  if (!facts.souhaits.communes.includes(unit.commune) && !facts.souhaits.demandeElargie) {
    refus.push({
      regle: "COMMUNE_NON_SOUHAITEE",
      message: `La commune ${unit.commune} ne figure pas parmi les communes souhaitées (${facts.souhaits.communes.join(", ")})`,
      chiffres: { commune: unit.commune, souhaitees: facts.souhaits.communes.join(",") },
    });
  }
  checkAdapted(unit, facts, refus);
  checkBurden(unit, facts, regles, menage, refus);
  return {
    eligible: refus.length === 0,
    tablePlafonds: table.id,
    categorieMenage: menage.categorie,
    personnes: menage.personnes,
    revenuReference: "manque" in revenu ? null : revenu,
    plafond: plafond ?? null,
    refus,
  };
}

function checkTypology(
  unit: UnitFacts,
  facts: DemandFacts,
  regles: ReglesAttribution,
  menage: Household,
  refus: RefusEligibilite[],
) {
  const lines = [...regles.typologiesParTaille].sort((a, b) => a.personnes - b.personnes);
  const line = lines.filter((l) => l.personnes <= menage.personnes).at(-1) ?? lines[0];
  if (line && !line.typologies.includes(unit.typologie)) {
    refus.push({
      regle: "TYPOLOGIE_INADAPTEE",
      message: `Un ${unit.typologie} ne convient pas à un ménage de ${menage.personnes} personne(s) (typologies admises : ${line.typologies.join(", ")})`,
      chiffres: { typologie: unit.typologie, personnes: menage.personnes, admises: line.typologies.join(",") },
    });
  }
  const wished = facts.souhaits.typologies.map(typologyOfWish);
  if (regles.verifierTypologieSouhaitee && !wished.includes(unit.typologie)) {
    refus.push({
      regle: "TYPOLOGIE_NON_SOUHAITEE",
      message: `Typologie ${unit.typologie} non souhaitée (souhaits : ${facts.souhaits.typologies.join(", ")})`,
      chiffres: { typologie: unit.typologie, souhaitees: facts.souhaits.typologies.join(",") },
    });
  }
}

function checkAdapted(unit: UnitFacts, facts: DemandFacts, refus: RefusEligibilite[]) {
  if (facts.souhaits.logementAdapte && unit.accessibilite !== "adapte") {
    refus.push({
      regle: "LOGEMENT_NON_ADAPTE",
      message: `Le ménage a besoin d'un logement adapté ; ce logement est « ${unit.accessibilite} »`,
      chiffres: { accessibilite: unit.accessibilite },
    });
  }
  if (facts.souhaits.ascenseurNecessaire && unit.etage > 0 && !unit.ascenseur) {
    refus.push({
      regle: "ASCENSEUR_NECESSAIRE",
      message: `Le ménage a besoin d'un ascenseur ; logement au ${unit.etage}e étage sans ascenseur`,
      chiffres: { etage: unit.etage, ascenseur: false },
    });
  }
}

function checkBurden(
  unit: UnitFacts,
  facts: DemandFacts,
  regles: ReglesAttribution,
  menage: Household,
  refus: RefusEligibilite[],
) {
  const ressources = monthlyResources(facts);
  const charges = unit.nbPieces * regles.chargesMensuellesParPiece;
  const cout = unit.loyer + charges;
  if (regles.tauxEffortMax !== null) {
    const taux = ressources > 0 ? cout / ressources : Number.POSITIVE_INFINITY;
    if (taux > regles.tauxEffortMax) {
      refus.push({
        regle: "TAUX_EFFORT",
        message:
          ressources > 0
            ? `Taux d'effort de ${pct(taux)} (loyer ${eur(unit.loyer)} + charges estimées ${eur(charges)} pour ${eur(ressources)} de ressources mensuelles), au-delà de ${pct(regles.tauxEffortMax)}`
            : `Aucune ressource mensuelle déclarée pour un loyer de ${eur(unit.loyer)} et ${eur(charges)} de charges estimées`,
        chiffres: {
          loyer: unit.loyer,
          charges,
          ressources,
          taux: Number.isFinite(taux) ? taux : null,
          max: regles.tauxEffortMax,
        },
      });
    }
  }
  if (regles.resteAVivreMinParUCJour !== null) {
    const reste = (ressources - cout) / menage.unitesConsommation / 30;
    if (reste < regles.resteAVivreMinParUCJour) {
      refus.push({
        regle: "RESTE_A_VIVRE",
        message: `Reste à vivre de ${new Intl.NumberFormat("fr-FR", { maximumFractionDigits: 2 }).format(reste)} € par jour et par unité de consommation, sous le minimum de ${regles.resteAVivreMinParUCJour} €`,
        chiffres: {
          resteParUCJour: Math.round(reste * 100) / 100,
          minimum: regles.resteAVivreMinParUCJour,
          unitesConsommation: menage.unitesConsommation,
        },
      });
    }
  }
}

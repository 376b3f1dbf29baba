import { codeSneOf, type ReservataireKind, type Typologie } from "@logis/contracts";
import { type ConventionEnVigueur, fr, fromBp, inForceOn, pctOf, shareBp, WHOLE } from "./shares.js";

/** Who can receive a unit: a convention's reserver, or the landlord for the non-reserved rest (conventionId null). */
export interface Cible {
  readonly reservataireId: string;
  readonly conventionId: string | null;
  readonly type: ReservataireKind;
  readonly codeSne: "PPRIOR" | "PFONCT" | "COLACT" | "COLTER" | "AUTRES" | "AUCUN";
}

/** A reserver's running counts in the ledger; shares in basis points (10,000 = one unit). */
export interface Compteurs {
  /** Sum of its shares of every unit of the year so far. */
  readonly duBp: number;
  /** Carry-over from the previous year (positive = still owed). */
  readonly reportBp: number;
  readonly orientes: number;
  readonly duQpvBp: readonly [number, number];
  readonly orientesQpv: readonly [number, number];
  readonly duTypoBp: Readonly<Partial<Record<Typologie, number>>>;
  readonly orientesTypo: Readonly<Partial<Record<Typologie, number>>>;
}

export const emptyCompteurs: Compteurs = {
  duBp: 0,
  reportBp: 0,
  orientes: 0,
  duQpvBp: [0, 0],
  orientesQpv: [0, 0],
  duTypoBp: {},
  orientesTypo: {},
};

export interface Candidat extends Cible {
  readonly nom: string;
  /** Its share of this unit. */
  readonly partBp: number;
}

export interface UnitForOrientation {
  readonly typologie: Typologie;
  readonly qpv: boolean;
  readonly commune: string;
}

/** Each convention in force on `day` with its share of this unit, and the landlord with the rest. */
export function candidatesFor(
  unit: UnitForOrientation,
  conventions: readonly ConventionEnVigueur[],
  day: string,
  bailleurId: string,
): Candidat[] {
  const reserved = conventions
    .filter((c) => inForceOn(c, day))
    .map((c) => ({
      reservataireId: c.reservataire.id,
      conventionId: c.conventionId,
      type: c.reservataire.type,
      codeSne: codeSneOf[c.reservataire.type],
      nom: c.reservataire.nom,
      partBp: shareBp(c, unit),
    }))
    .filter((c) => c.partBp > 0);
  const rest = WHOLE - reserved.reduce((sum, c) => sum + c.partBp, 0);
  const own: Candidat = {
    reservataireId: bailleurId,
    conventionId: null,
    type: "bailleur",
    codeSne: "AUCUN",
    nom: "le bailleur (part non réservée)",
    partBp: Math.max(0, rest),
  };
  return [...reserved, ...(own.partBp > 0 ? [own] : [])].sort((a, b) => (a.reservataireId < b.reservataireId ? -1 : 1));
}

export interface Position extends Cible {
  readonly part: number;
  readonly du: number;
  readonly orientes: number;
  readonly retard: number;
}

export interface Orientation {
  readonly cible: Cible;
  readonly regle: "plus_en_retard" | "equilibre_typologie_qpv";
  readonly motif: string;
  readonly positions: readonly Position[];
}

const qpvIndex = (qpv: boolean) => (qpv ? 1 : 0);

/**
 * Chooses the reserver of one freed unit, deterministically. Each candidate is owed the sum of its
 * shares of the year's units so far, this one included, plus its carry-over; the unit goes to the
 * one furthest behind (owed − oriented). Among those within `toleranceBp` of the furthest behind,
 * the one whose own mix lags most on this unit's QPV side and typology gets it, so that no reserver
 * receives only one kind of unit. Ties: larger lag, larger share, then reserver id.
 */
export function orient(
  unit: UnitForOrientation,
  candidats: readonly Candidat[],
  compteurs: (reservataireId: string) => Compteurs,
  toleranceBp: number,
): Orientation {
  const q = qpvIndex(unit.qpv);
  const scored = candidats.map((c) => {
    const k = compteurs(c.reservataireId);
    const duBp = k.duBp + k.reportBp + c.partBp;
    const lag = duBp - k.orientes * WHOLE;
    const mix =
      k.duQpvBp[q] +
      c.partBp -
      k.orientesQpv[q] * WHOLE +
      ((k.duTypoBp[unit.typologie] ?? 0) + c.partBp) -
      (k.orientesTypo[unit.typologie] ?? 0) * WHOLE;
    return { c, k, duBp, lag, mix };
  });
  const maxLag = Math.max(...scored.map((s) => s.lag));
  const window = scored.filter((s) => s.lag >= maxLag - toleranceBp);
  const byLag = [...scored].sort(
    (a, b) => b.lag - a.lag || b.c.partBp - a.c.partBp || (a.c.reservataireId < b.c.reservataireId ? -1 : 1),
  );
  const chosen = [...window].sort(
    (a, b) =>
      b.mix - a.mix || b.lag - a.lag || b.c.partBp - a.c.partBp || (a.c.reservataireId < b.c.reservataireId ? -1 : 1),
  )[0];
  const first = byLag[0];
  if (!chosen || !first) throw new Error("orientation sans candidat : le reste du flux revient toujours au bailleur");
  const { nom, partBp: _part, ...cible } = chosen.c;
  const positions = byLag.map((s) => ({
    reservataireId: s.c.reservataireId,
    conventionId: s.c.conventionId,
    type: s.c.type,
    codeSne: s.c.codeSne,
    part: pctOf(s.c.partBp),
    du: fromBp(s.duBp),
    orientes: s.k.orientes,
    retard: fromBp(s.lag),
  }));
  const figures = `${fr(fromBp(chosen.duBp))} logements dus à date, ${chosen.k.orientes} orientés, retard ${fr(fromBp(chosen.lag))}`;
  if (chosen === first || chosen.lag === first.lag) {
    return {
      cible,
      regle: "plus_en_retard",
      motif: `Orienté vers ${nom} : réservataire le plus en retard sur sa part (${figures}).`,
      positions,
    };
  }
  const side = unit.qpv ? "en QPV" : "hors QPV";
  const close = window.map((s) => s.c.nom).join(", ");
  return {
    cible,
    regle: "equilibre_typologie_qpv",
    motif:
      `Orienté vers ${nom} (${figures}) : parmi les réservataires à moins de ${fr(toleranceBp / WHOLE)} logement du plus en retard ` +
      `(${close}), c'est lui qui a reçu le moins de logements ${unit.typologie} et ${side} au regard de sa part.`,
    positions,
  };
}

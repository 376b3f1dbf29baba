import { codeSneOf, type ReservataireKind, type Typologie, typologies } from "@logis/contracts";
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
  /** Per typology, in the order of `typologies` (T1…T6P): arrays keep the hot loop on one object shape. */
  readonly duTypoBp: readonly number[];
  readonly orientesTypo: readonly number[];
}

export const emptyCompteurs: Compteurs = {
  duBp: 0,
  reportBp: 0,
  orientes: 0,
  duQpvBp: [0, 0],
  orientesQpv: [0, 0],
  duTypoBp: typologies.map(() => 0),
  orientesTypo: typologies.map(() => 0),
};

const typoIndexes = Object.fromEntries(typologies.map((t, i) => [t, i])) as Record<Typologie, number>;
/** The position of a typology in the per-typology counters. */
export const typoIndex = (typologie: Typologie): number => typoIndexes[typologie] ?? 0;

/** A copy of per-typology counters with `by` added at `typologie`. */
export function bumpTypo(counts: readonly number[], typologie: Typologie, by: number): number[] {
  const next = counts.length === typologies.length ? counts.slice() : typologies.map((_, i) => counts[i] ?? 0);
  const at = typoIndex(typologie);
  next[at] = (next[at] ?? 0) + by;
  return next;
}

export interface Candidat extends Cible {
  readonly nom: string;
  /** Its share of this unit. */
  readonly partBp: number;
  /** The four fields of its target, built once per segment and shared by the orientations that choose it (read only). */
  readonly cible: Cible;
}

export interface UnitForOrientation {
  readonly typologie: Typologie;
  readonly qpv: boolean;
  readonly commune: string;
}

const byReserver = (a: { reservataireId: string }, b: { reservataireId: string }) =>
  a.reservataireId < b.reservataireId ? -1 : a.reservataireId > b.reservataireId ? 1 : 0;

/** The conventions as candidates, ordered by reserver once per list (the list is the same for every unit of a run). */
const prepared = new WeakMap<
  readonly ConventionEnVigueur[],
  readonly (ConventionEnVigueur & Omit<Candidat, "partBp" | "cible">)[]
>();
function candidatesOf(conventions: readonly ConventionEnVigueur[]) {
  let list = prepared.get(conventions);
  if (!list) {
    list = conventions
      .map((c) => ({
        ...c,
        reservataireId: c.reservataire.id,
        type: c.reservataire.type,
        codeSne: codeSneOf[c.reservataire.type],
        nom: c.reservataire.nom,
      }))
      .sort(byReserver);
    prepared.set(conventions, list);
  }
  return list;
}

/**
 * The candidates of the units of one segment (landlord, typology, commune, conventions in force):
 * every unit of a run asks again for the same few lists, so each is built once (per conventions list,
 * which a run keeps; at most a few thousand segments, then the cache starts over).
 */
interface Segments {
  /** The conventions in force on a day, as a mask over the prepared list ("1" in force). */
  readonly masks: Map<string, string>;
  /** Mask → landlord → typology → commune → candidates. */
  readonly lists: Map<string, Map<string, Map<string, Map<string, readonly Candidat[]>>>>;
  size: number;
}
const segments = new WeakMap<readonly ConventionEnVigueur[], Segments>();

/** The map under `key`, created empty when missing. */
function child<V>(parent: Map<string, Map<string, V>>, key: string): Map<string, V> {
  let m = parent.get(key);
  if (!m) {
    m = new Map();
    parent.set(key, m);
  }
  return m;
}

/**
 * Each convention in force on `day` with its share of this unit, and the landlord with the rest; by
 * reserver id. The list is shared between the units of a segment: read it, never change it.
 */
export function candidatesFor(
  unit: UnitForOrientation,
  conventions: readonly ConventionEnVigueur[],
  day: string,
  bailleurId: string,
): readonly Candidat[] {
  const list = candidatesOf(conventions);
  let cache = segments.get(conventions);
  if (!cache || cache.size > 5_000) {
    cache = { masks: new Map(), lists: new Map(), size: 0 };
    segments.set(conventions, cache);
  }
  let mask = cache.masks.get(day);
  if (mask === undefined) {
    mask = "";
    for (const c of list) mask += inForceOn(c, day) ? "1" : "0";
    cache.masks.set(day, mask);
  }
  const byCommune = child(child(child(cache.lists, mask), bailleurId), unit.typologie);
  let out = byCommune.get(unit.commune);
  if (!out) {
    out = buildCandidates(unit, list, mask, bailleurId);
    byCommune.set(unit.commune, out);
    cache.size++;
  }
  return out;
}

function buildCandidates(
  unit: UnitForOrientation,
  list: readonly (ConventionEnVigueur & Omit<Candidat, "partBp" | "cible">)[],
  inForce: string,
  bailleurId: string,
): Candidat[] {
  const out: Candidat[] = [];
  let reservedBp = 0;
  for (const [i, c] of list.entries()) {
    if (inForce[i] !== "1") continue;
    const partBp = shareBp(c, unit);
    if (partBp <= 0) continue;
    reservedBp += partBp;
    const cible: Cible = {
      reservataireId: c.reservataireId,
      conventionId: c.conventionId,
      type: c.type,
      codeSne: c.codeSne,
    };
    out.push({ ...cible, nom: c.nom, partBp, cible });
  }
  const rest = WHOLE - reservedBp;
  if (rest > 0) {
    const cible: Cible = { reservataireId: bailleurId, conventionId: null, type: "bailleur", codeSne: "AUCUN" };
    const own: Candidat = { ...cible, nom: "le bailleur (part non réservée)", partBp: rest, cible };
    const at = out.findIndex((c) => byReserver(own, c) < 0);
    out.splice(at < 0 ? out.length : at, 0, own);
  }
  return out;
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
  /** Every candidate's position, furthest behind first (a new array per orientation: the event keeps it). */
  readonly positions: Position[];
}

const qpvIndex = (qpv: boolean) => (qpv ? 1 : 0);

/** One candidate's standing for one unit. */
interface Scored {
  c: Candidat;
  k: Compteurs;
  duBp: number;
  lag: number;
  mix: number;
}

// The standings are worked out in records reused from one orientation to the next (`orient` runs to
// its end without yielding, once per freed unit): only what the event keeps is allocated.
const standings: Scored[] = [];
const byLag: Scored[] = [];
const standing = (i: number): Scored => {
  let s = standings[i];
  if (!s) {
    s = { c: undefined as never, k: emptyCompteurs, duBp: 0, lag: 0, mix: 0 };
    standings[i] = s;
  }
  return s;
};

/** Furthest behind first; ties: larger share, then reserver id. */
const byLagOrder = (a: Scored, b: Scored) =>
  b.lag - a.lag || b.c.partBp - a.c.partBp || (a.c.reservataireId < b.c.reservataireId ? -1 : 1);

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
  /** Each reserver's counters: a lookup, or the ledger's lines by reserver id (no closure per unit). */
  compteurs: ((reservataireId: string) => Compteurs) | Readonly<Record<string, { readonly compteurs: Compteurs }>>,
  toleranceBp: number,
): Orientation {
  // It runs once per freed unit (tens of thousands a year): plain loops, no closure built per call.
  const q = qpvIndex(unit.qpv);
  const t = typoIndex(unit.typologie);
  const lookup = typeof compteurs === "function" ? compteurs : undefined;
  const lines = typeof compteurs === "function" ? undefined : compteurs;
  byLag.length = 0;
  for (let i = 0; i < candidats.length; i++) {
    const c = candidats[i] as Candidat;
    const k = lookup ? lookup(c.reservataireId) : (lines?.[c.reservataireId]?.compteurs ?? emptyCompteurs);
    const s = standing(i);
    s.c = c;
    s.k = k;
    s.duBp = k.duBp + k.reportBp + c.partBp;
    s.lag = s.duBp - k.orientes * WHOLE;
    s.mix =
      k.duQpvBp[q] +
      c.partBp -
      k.orientesQpv[q] * WHOLE +
      ((k.duTypoBp[t] ?? 0) + c.partBp) -
      (k.orientesTypo[t] ?? 0) * WHOLE;
    // Insertion in order: a dozen candidates at most.
    let at = byLag.length;
    byLag.push(s);
    while (at > 0 && byLagOrder(s, byLag[at - 1] as Scored) < 0) {
      byLag[at] = byLag[at - 1] as Scored;
      at--;
    }
    byLag[at] = s;
  }
  const first = byLag[0];
  if (!first) throw new Error("orientation sans candidat : le reste du flux revient toujours au bailleur");
  // Those within the tolerance of the furthest behind: a prefix of the order.
  const floor = first.lag - toleranceBp;
  let inWindow = 0;
  let chosen = first;
  for (const s of byLag) {
    if (s.lag < floor) break;
    inWindow++;
    if (s.mix > chosen.mix) chosen = s;
  }
  const { nom } = chosen.c;
  const cible = chosen.c.cible;
  const positions: Position[] = [];
  for (const s of byLag)
    positions.push({
      reservataireId: s.c.reservataireId,
      conventionId: s.c.conventionId,
      type: s.c.type,
      codeSne: s.c.codeSne,
      part: pctOf(s.c.partBp),
      du: fromBp(s.duBp),
      orientes: s.k.orientes,
      retard: fromBp(s.lag),
    });
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
  let close = (first as Scored).c.nom;
  for (let i = 1; i < inWindow; i++) close += `, ${(byLag[i] as Scored).c.nom}`;
  return {
    cible,
    regle: "equilibre_typologie_qpv",
    motif:
      `Orienté vers ${nom} (${figures}) : parmi les réservataires à moins de ${fr(toleranceBp / WHOLE)} logement du plus en retard ` +
      `(${close}), c'est lui qui a reçu le moins de logements ${unit.typologie} et ${side} au regard de sa part.`,
    positions,
  };
}

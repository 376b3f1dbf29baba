import { type Typologie, typologies } from "@logis/contracts";
import type { LegalParameterSet } from "./legal-parameters.js";
import { type ConventionEnVigueur, fr, pctOf, periodsOverlap, type Segment, shareBp, toBp } from "./shares.js";

/** A cap the conventions in force together would exceed, with the figures the refusal shows. */
export interface CapBreach {
  readonly code: string;
  readonly libelle: string;
  readonly plafond: number;
  readonly total: number;
  /** The most the new or amended convention may reserve for the others to stay within the cap. */
  readonly maximum: number;
  readonly source: string;
  /** Where the cap is exceeded when shares are split; undefined when it is exceeded for every unit. */
  readonly segment: { readonly typologie: Typologie | undefined; readonly commune: string | undefined } | undefined;
  readonly parts: readonly { conventionId: string; reservataire: string; part: number }[];
}

const TOTAL = {
  code: "TOTAL",
  libelle: "total des réservations",
  reservataires: undefined,
  fondements: undefined,
  plafond: 100,
  source: "le flux ne peut être réservé au-delà de 100 %",
};

/**
 * Checks `candidate` (signed or amended) with the landlord's other conventions of the département
 * whose validity overlaps it against every cap of `parameters`, and the 100 % total. A share can
 * depend on a unit's typology and commune, so each cap is checked for every typology × each commune
 * any convention names (and any other commune).
 */
export function checkCaps(
  candidate: ConventionEnVigueur,
  others: readonly ConventionEnVigueur[],
  parameters: LegalParameterSet,
): CapBreach | undefined {
  const all = [
    candidate,
    ...others.filter(
      (o) => o.conventionId !== candidate.conventionId && periodsOverlap(o.conditions, candidate.conditions),
    ),
  ];
  const communes = new Set<string>(["*"]);
  for (const c of all) {
    if (c.commune !== undefined) communes.add(c.commune);
    for (const l of c.conditions.ventilation) for (const commune of l.communes ?? []) communes.add(commune);
  }
  const segments: Segment[] = [];
  for (const typologie of typologies) for (const commune of communes) segments.push({ typologie, commune });

  for (const cap of [...parameters.plafonds, TOTAL]) {
    const members = all.filter(
      (c) =>
        (cap.reservataires === undefined || cap.reservataires.includes(c.reservataire.type)) &&
        (cap.fondements === undefined || cap.fondements.includes(c.conditions.fondement)),
    );
    if (!members.includes(candidate)) continue;
    let worst: { segment: Segment; total: number } | undefined;
    for (const segment of segments) {
      const total = members.reduce((sum, c) => sum + shareBp(c, segment), 0);
      if (total > toBp(cap.plafond) && (worst === undefined || total > worst.total)) worst = { segment, total };
    }
    if (!worst) continue;
    const segment = worst.segment;
    const own = shareBp(candidate, segment);
    const totalOf = (s: Segment) => members.reduce((sum, c) => sum + shareBp(c, s), 0);
    const sameForEveryTypologie = typologies.every(
      (typologie) => totalOf({ typologie, commune: segment.commune }) === worst.total,
    );
    const sameForEveryCommune = [...communes].every(
      (commune) => totalOf({ typologie: segment.typologie, commune }) === worst.total,
    );
    return {
      code: cap.code,
      libelle: cap.libelle,
      plafond: cap.plafond,
      total: pctOf(worst.total),
      maximum: Math.max(0, pctOf(toBp(cap.plafond) - (worst.total - own))),
      source: cap.source,
      segment:
        sameForEveryTypologie && sameForEveryCommune
          ? undefined
          : {
              typologie: sameForEveryTypologie ? undefined : segment.typologie,
              commune: sameForEveryCommune || segment.commune === "*" ? undefined : segment.commune,
            },
      parts: members
        .map((c) => ({
          conventionId: c.conventionId,
          reservataire: c.reservataire.nom,
          part: pctOf(shareBp(c, segment)),
        }))
        .filter((p) => p.part > 0),
    };
  }
  return undefined;
}

/** The refusal shown to the user: the cap, the figures, and what to do. */
export function describeBreach(b: CapBreach): string {
  const where = b.segment
    ? ` pour les logements${b.segment.typologie ? ` ${b.segment.typologie}` : ""}${b.segment.commune ? ` de la commune ${b.segment.commune}` : ""}`
    : "";
  const parts = b.parts.map((p) => `${p.reservataire} ${fr(p.part)} %`).join(", ");
  return (
    `Plafond dépassé : ${b.libelle} à ${fr(b.total)} % du flux${where} (${parts}) pour un plafond de ${fr(b.plafond)} % ` +
    `(${b.source}). Ramenez la part de cette convention à ${fr(b.maximum)} % au plus.`
  );
}

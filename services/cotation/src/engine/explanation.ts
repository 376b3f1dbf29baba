import type { GridRules } from "@logis/contracts";
import { type EvaluationContext, holds, pointsOf, proofStatus } from "../domain/evaluate.js";
import type { FactValues } from "../domain/facts.js";
import type { Referentiels } from "../domain/referentiels.js";

// The explanation owed to the applicant (R441-2-17, domain §4.2): every criterion the household
// meets, counted or not and why; the caps and the floor when they changed the score; what counts
// provisionally or not yet for want of a checked piece; the L441-1 priority. Same semantics as
// `evaluate` (domain/evaluate.ts), which the compiled engine matches.

export type CriterionStatus = "retenu" | "retenu_provisoire" | "non_retenu_meilleur" | "en_attente_justificatif";

export interface ExplainedCriterion {
  rubrique: string;
  rubriqueLibelle: string;
  code: string;
  libelle: string;
  /** The points the criterion brings (or would bring, when not retained). */
  points: number;
  statut: CriterionStatus;
  /** Why, in words. */
  pourquoi: string;
  /** The pieces awaited, by their names, when a piece is missing. */
  justificatifsAttendus?: string[];
}

export interface ExplainedRubric {
  code: string;
  libelle: string;
  /** Points of the criteria retained, before the rubric's cap. */
  avantPlafond: number;
  points: number;
  plafond?: number;
  /** Said when the cap changed the points. */
  plafonnement?: string;
}

export interface Explanation {
  criteres: ExplainedCriterion[];
  rubriques: ExplainedRubric[];
  total: { avantBornes: number; score: number; plancher: number; plafond?: number; bornes?: string };
  /** Sentences about what is provisional or not counted yet. */
  enAttente: string[];
  prioriteL441: { prioritaire: boolean; categories: { code: string; libelle: string }[]; dalo: string; phrase: string };
}

const pts = (n: number) => `${n} point${Math.abs(n) > 1 ? "s" : ""}`;

export function explainDemand(
  rules: GridRules,
  facts: FactValues,
  ctx: EvaluationContext,
  ref: Referentiels,
): Explanation {
  const criteres: ExplainedCriterion[] = [];
  const rubriques: ExplainedRubric[] = [];
  const enAttente: string[] = [];
  const pieceNames = (codes: readonly string[]) => codes.map((c) => ref.justificatifs[c] ?? c);
  let total = 0;
  for (const rubric of rules.rubriques) {
    const counted: ExplainedCriterion[] = [];
    for (const criterion of rubric.criteres) {
      if (!criterion.when.every((c) => holds(c, facts, ctx))) continue;
      const points = pointsOf(criterion.points, facts);
      if (points === undefined || points === 0) continue;
      const base = {
        rubrique: rubric.code,
        rubriqueLibelle: rubric.libelle,
        code: criterion.code,
        libelle: criterion.libelle,
        points,
      };
      const proof = proofStatus(criterion, facts);
      const awaited = criterion.preuve ? pieceNames(criterion.preuve.justificatifs) : [];
      if (proof === "excluded") {
        criteres.push({
          ...base,
          statut: "en_attente_justificatif",
          pourquoi: `Situation déclarée, pas encore comptée : elle comptera (${pts(points)}) quand la pièce sera vérifiée par un service instructeur : ${awaited.join(", ")}.`,
          justificatifsAttendus: awaited,
        });
        enAttente.push(
          `« ${criterion.libelle} » n'est pas encore compté : pièce à faire vérifier (${awaited.join(", ")}).`,
        );
        continue;
      }
      const entry: ExplainedCriterion =
        proof === "provisional"
          ? {
              ...base,
              statut: "retenu_provisoire",
              pourquoi: `Compté à titre provisoire sur votre déclaration, en attendant la vérification de : ${awaited.join(", ")}.`,
              justificatifsAttendus: awaited,
            }
          : { ...base, statut: "retenu", pourquoi: "Votre situation remplit ce critère." };
      counted.push(entry);
    }
    let kept = counted;
    if (rubric.mode === "best" && counted.length > 1) {
      const best = counted.reduce((a, b) => (b.points > a.points ? b : a));
      kept = [best];
      for (const c of counted) if (c !== best) c.statut = "non_retenu_meilleur";
      for (const c of counted)
        if (c.statut === "non_retenu_meilleur")
          c.pourquoi = `Critère rempli mais non retenu : dans la rubrique « ${rubric.libelle} » un seul critère compte, celui qui rapporte le plus — « ${best.libelle} » (${pts(best.points)}).`;
    }
    for (const c of kept)
      if (c.statut === "retenu_provisoire")
        enAttente.push(
          `« ${c.libelle} » compte à titre provisoire (${pts(c.points)}) jusqu'à la vérification de la pièce.`,
        );
    criteres.push(...counted);
    const avantPlafond = kept.reduce((s, c) => s + c.points, 0);
    let points = avantPlafond;
    if (rubric.plafond !== undefined) points = Math.max(-rubric.plafond, Math.min(rubric.plafond, avantPlafond));
    rubriques.push({
      code: rubric.code,
      libelle: rubric.libelle,
      avantPlafond,
      points,
      ...(rubric.plafond !== undefined ? { plafond: rubric.plafond } : {}),
      ...(points !== avantPlafond
        ? {
            plafonnement: `La rubrique « ${rubric.libelle} » est limitée à ${pts(rubric.plafond ?? 0)} (en valeur absolue) : ${pts(avantPlafond)} ramenés à ${pts(points)}.`,
          }
        : {}),
    });
    total += points;
  }
  const avantBornes = total;
  let score = total;
  if (rules.plafond !== undefined) score = Math.min(rules.plafond, score);
  score = Math.max(rules.plancher, score);
  const bornes =
    score === avantBornes
      ? undefined
      : score < avantBornes
        ? `La cotation est plafonnée à ${pts(rules.plafond ?? score)} : ${pts(avantBornes)} ramenés à ${pts(score)}.`
        : `La cotation ne descend pas sous ${pts(rules.plancher)} : ${pts(avantBornes)} ramenés à ${pts(score)}.`;
  return {
    criteres,
    rubriques,
    total: {
      avantBornes,
      score,
      plancher: rules.plancher,
      ...(rules.plafond !== undefined ? { plafond: rules.plafond } : {}),
      ...(bornes ? { bornes } : {}),
    },
    enAttente,
    prioriteL441: priorityOf(facts, ref),
  };
}

/** Whether the household belongs to an L441-1 priority category (subject to later verification, R441-2-17). */
function priorityOf(facts: FactValues, ref: Referentiels): Explanation["prioriteL441"] {
  const codes = Array.isArray(facts.prioritesL441) ? (facts.prioritesL441 as readonly string[]) : [];
  const categories = codes.map((code) => ({ code, libelle: ref.prioritesL441[code] ?? code }));
  const dalo = typeof facts.dalo === "string" ? facts.dalo : "NON";
  const prioritaire = categories.length > 0 || dalo === "ACTIF";
  const phrase = prioritaire
    ? `Votre demande relève ${dalo === "ACTIF" ? "du droit au logement opposable (DALO)" : ""}${dalo === "ACTIF" && categories.length ? " et " : ""}${categories.length ? `des publics prioritaires de l'article L441-1 du CCH : ${categories.map((c) => c.libelle).join(" ; ")}` : ""}, sous réserve de vérification.`
    : "Votre demande ne relève, d'après les informations déclarées, d'aucune catégorie prioritaire de l'article L441-1 du CCH.";
  return { prioritaire, categories, dalo, phrase };
}

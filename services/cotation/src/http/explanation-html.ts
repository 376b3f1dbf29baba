import type { DemandCotation } from "../app/scoring.js";

const esc = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
const day = (iso: string) => new Date(iso).toLocaleDateString("fr-FR", { timeZone: "Europe/Paris" });
const statut = {
  retenu: "retenu",
  retenu_provisoire: "retenu à titre provisoire",
  non_retenu_meilleur: "rempli, non retenu",
  en_attente_justificatif: "pas encore compté",
} as const;

function section(c: DemandCotation): string {
  const e = c.explication;
  const rows = e.criteres
    .map(
      (k) =>
        `<tr><td>${esc(k.rubriqueLibelle)}</td><td>${esc(k.libelle)}</td><td class="n">${esc(k.points)}</td><td>${esc(statut[k.statut])}</td><td>${esc(k.pourquoi)}</td></tr>`,
    )
    .join("");
  const caps = [
    ...e.rubriques.flatMap((r) => (r.plafonnement ? [r.plafonnement] : [])),
    ...(e.total.bornes ? [e.total.bornes] : []),
  ];
  return `<section>
<h2>${esc(c.epciNom)}</h2>
<p>Grille : <strong>${esc(c.grille.nom)}</strong>, version ${esc(c.grille.version)} en vigueur depuis le ${esc(c.grille.effectiveFrom ? day(c.grille.effectiveFrom) : "—")}. Cotation calculée au ${esc(day(c.asOf))}.</p>
<p class="note">Votre cotation : <strong>${esc(c.score)} points</strong>. Rang ${esc(c.rank)} sur ${esc(c.of)} demandes du territoire ; parmi ${esc(c.similar.demandes)} demandes similaires (${esc(c.similar.description)}), ${esc(c.similar.better)} ont une cotation supérieure.${c.waitingTime ? ` Délai d'attente moyen observé pour des demandes similaires attribuées sur douze mois : ${esc(c.waitingTime.meanDays)} jours (${esc(c.waitingTime.attributions)} attributions).` : ""}</p>
<table><thead><tr><th>Rubrique</th><th>Critère</th><th>Points</th><th>Statut</th><th>Pourquoi</th></tr></thead><tbody>${rows || '<tr><td colspan="5">Aucun critère rempli.</td></tr>'}</tbody></table>
${caps.length ? `<p><strong>Plafonds et plancher.</strong> ${caps.map(esc).join(" ")}</p>` : ""}
${e.enAttente.length ? `<p><strong>Pièces en attente.</strong></p><ul>${e.enAttente.map((s) => `<li>${esc(s)}</li>`).join("")}</ul>` : ""}
<p><strong>Publics prioritaires.</strong> ${esc(e.prioriteL441.phrase)}</p>
</section>`;
}

/** The applicant's printable page: their cotation and its explanation in each EPCI where it is scored. */
export function explanationHtml(x: {
  numeroUnique: string;
  lienExpireLe: string;
  cotations: DemandCotation[];
}): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><meta name="robots" content="noindex"><title>Votre cotation — ${esc(x.numeroUnique)}</title>
<style>
  @page { size: A4; margin: 15mm; }
  body { font-family: "Marianne", Arial, sans-serif; font-size: 10.5pt; color: #161616; max-width: 190mm; margin: auto; }
  h1 { font-size: 16pt; border-bottom: 2px solid #000091; } h2 { font-size: 13pt; margin-top: 18px; }
  table { border-collapse: collapse; width: 100%; } th, td { border: 1px solid #ccc; padding: 3px 5px; vertical-align: top; text-align: left; }
  td.n { text-align: right; } small { color: #666; }
</style></head><body>
<h1>Votre cotation de demande de logement social</h1>
<p>Demande n° <strong>${esc(x.numeroUnique)}</strong>. La cotation est une aide à la décision : la commission d'attribution reste souveraine (art. L441-2-8 et R441-2-17 du code de la construction et de l'habitation).</p>
${x.cotations.length ? x.cotations.map(section).join("") : "<p>Aucune grille de cotation ne s'applique à ce jour aux communes souhaitées.</p>"}
<p><small>Lien valable jusqu'au ${esc(day(x.lienExpireLe))}.</small></p>
</body></html>`;
}

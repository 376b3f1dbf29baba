import { frenchDate } from "@logis/domain";
import type { QuotasView } from "../app/quotas.js";
import type { StatisticsView } from "../app/statistics.js";
import type { Suivi } from "../domain/quotas.js";
import type { LigneAnciennete } from "../domain/statistics.js";

// Printable pages in French: plain HTML with inline SVG charts drawn on the server (no script, no
// external resource), a print stylesheet (A4, no navigation). Every text from data is escaped.

const esc = (v: unknown) =>
  String(v ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] as string,
  );
const num = (v: number | undefined, digits = 1) =>
  v === undefined ? "—" : v.toLocaleString("fr-FR", { maximumFractionDigits: digits });

/** A horizontal bar chart (one bar per line), with an optional target line (a percentage chart). */
export function barChart(
  title: string,
  bars: readonly { label: string; value: number; note?: string }[],
  options: { max?: number; target?: number; unit?: string } = {},
): string {
  const width = 640;
  const labelW = 220;
  const barH = 22;
  const gap = 6;
  const height = bars.length * (barH + gap) + 30;
  const max = Math.max(options.max ?? 0, ...bars.map((b) => b.value), 1);
  const scale = (v: number) => ((width - labelW - 90) * v) / max;
  const rows = bars
    .map((b, i) => {
      const y = 10 + i * (barH + gap);
      return `<text x="${labelW - 8}" y="${y + barH / 2 + 4}" text-anchor="end">${esc(b.label)}</text><rect x="${labelW}" y="${y}" width="${scale(b.value).toFixed(1)}" height="${barH}" fill="#000091"/><text x="${(labelW + scale(b.value) + 6).toFixed(1)}" y="${y + barH / 2 + 4}">${esc(num(b.value))}${esc(options.unit ?? "")}${b.note ? ` ${esc(b.note)}` : ""}</text>`;
    })
    .join("");
  const target =
    options.target === undefined
      ? ""
      : `<line x1="${(labelW + scale(options.target)).toFixed(1)}" x2="${(labelW + scale(options.target)).toFixed(1)}" y1="4" y2="${height - 20}" stroke="#ce0500" stroke-width="2" stroke-dasharray="4 3"/><text x="${(labelW + scale(options.target)).toFixed(1)}" y="${height - 6}" text-anchor="middle" fill="#ce0500">objectif ${esc(num(options.target))}${esc(options.unit ?? "")}</text>`;
  return `<figure><figcaption>${esc(title)}</figcaption><svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${height}" width="100%" font-size="12" font-family="Marianne, Arial, sans-serif">${rows}${target}</svg></figure>`;
}

const page = (title: string, subtitle: string, body: string) => `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>
body{font-family:Marianne,Arial,sans-serif;color:#161616;margin:2rem auto;max-width:60rem;padding:0 1rem}
h1{font-size:1.6rem;margin-bottom:.2rem}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{border:1px solid #ddd;padding:.3rem .5rem;text-align:right}
th:first-child,td:first-child{text-align:left}figure{margin:1rem 0;break-inside:avoid}figcaption{font-weight:bold;margin-bottom:.3rem}
.alerte{border-left:4px solid #ce0500;background:#fef4f4;padding:.5rem 1rem;margin:.5rem 0}.ok{border-left:4px solid #18753c;background:#f0faf4;padding:.5rem 1rem}
@page{size:A4;margin:15mm}@media print{body{margin:0;max-width:none}h2{break-after:avoid}}
</style></head><body><header><p>Logis — République française</p><h1>${esc(title)}</h1><p>${esc(subtitle)}</p></header>
<main>${body}</main></body></html>`;

const table = (head: string[], rows: (string | number | undefined)[][]) =>
  `<table><thead><tr>${head.map((h) => `<th scope="col">${esc(h)}</th>`).join("")}</tr></thead><tbody>${rows
    .map((r) => `<tr>${r.map((c) => `<td>${esc(typeof c === "number" ? num(c) : (c ?? "—"))}</td>`).join("")}</tr>`)
    .join("")}</tbody></table>`;

const stockChart = (title: string, lines: readonly LigneAnciennete[]) =>
  barChart(
    title,
    lines.map((l) => ({ label: l.libelle, value: l.actives, note: `(${num(l.part)} %)` })),
  );

/** The demand statistics of a period, printable. */
export function statisticsPage(s: StatisticsView, editeLe: Date): string {
  const e = s.ensemble;
  const where = [
    s.filtres.departement && `département ${s.filtres.departement}`,
    s.filtres.epci && `EPCI ${s.filtres.epci}`,
  ]
    .filter(Boolean)
    .join(", ");
  const body = [
    "<h2>Chiffres clés</h2>",
    table(
      ["Indicateur", "Valeur"],
      [
        [`Demandes actives au ${frenchDate(s.periode.au)}`, e.actives],
        ["dont premières demandes", e.primo],
        ["dont mutations", e.mutation],
        ["Nouvelles demandes sur la période", e.nouvelles],
        ["Radiations sur la période", e.radiations],
        ["Attributions sur la période", e.attributions.total],
        ["Tension (demandes actives par attribution)", e.tension],
        ["Attente des demandes actives : médiane (mois)", e.attente.medianeMois],
        ["Attente des demandes actives : 90e centile (mois)", e.attente.p90Mois],
        ["Attente des demandes satisfaites : médiane (mois)", e.attributions.attente.medianeMois],
        ["Part des ménages prioritaires (%)", e.partPrioritaires],
        ["Part des demandes au-delà du délai anormalement long (%)", e.depassementDelai.part],
        ["Logement d'abord : ménages relogés", e.attributions.logementDAbord.menages],
      ],
    ),
    "<h2>Stock de demandes</h2>",
    stockChart("Demandes actives par ancienneté", s.anciennete),
    stockChart("Demandes actives par âge du demandeur", s.ageDemandeur),
    stockChart("Demandes actives par taille du ménage", s.tailleMenage),
    stockChart("Demandes actives par ressources mensuelles du ménage", s.ressources),
    "<h2>Territoires et typologies</h2>",
    barChart(
      "Demandes actives par EPCI",
      s.parEpci.map((v) => ({ label: v.libelle, value: v.actives })),
    ),
    barChart(
      "Délai d'attente médian des demandes actives par typologie (mois)",
      s.parTypologie.map((v) => ({ label: v.libelle, value: v.attente.medianeMois ?? 0 })),
      { unit: " mois" },
    ),
    table(
      ["Typologie", "Actives", "Attributions", "Tension", "Attente médiane (mois)", "90e centile (mois)"],
      s.parTypologie.map((v) => [
        v.libelle,
        v.actives,
        v.attributions.total,
        v.tension,
        v.attente.medianeMois,
        v.attente.p90Mois,
      ]),
    ),
  ].join("\n");
  return page(
    "Statistiques de la demande de logement social",
    `Du ${frenchDate(s.periode.du)} au ${frenchDate(s.periode.au)}${where ? ` — ${where}` : ""} — édité le ${frenchDate(editeLe)} — référentiel ${s.referentiel}`,
    body,
  );
}

const ETAT: Record<Suivi["etat"], string> = {
  atteint: "atteint",
  "en-retard": "en retard",
  "hors-d-atteinte": "hors d'atteinte",
  "sans-objet": "sans objet",
};

/** The year's legal quotas, their warnings and the flux balances, printable. */
export function quotasPage(q: QuotasView, editeLe: Date): string {
  const warnings =
    q.avertissements.length === 0
      ? `<p class="ok">Aucun objectif en retard au ${esc(frenchDate(q.periode.au))}.</p>`
      : q.avertissements.map((a) => `<p class="alerte" role="alert">${esc(a.message)}</p>`).join("");
  const epcis = q.epcis
    .map((e) => {
      const bars = [
        { label: "Hors QPV : 1er quartile", s: e.q1HorsQpv },
        { label: "En QPV : autres quartiles", s: e.autresQuartilesEnQpv },
        ...e.prioritairesParReservataire.map((r) => ({ label: `Prioritaires : ${r.reservataireId}`, s: r as Suivi })),
      ];
      return [
        `<h2>${esc(e.libelle)} (${esc(e.epci)})</h2>`,
        barChart(
          "Taux de l'année à date (%), objectif légal en pointillé (25 %)",
          bars.map((b) => ({ label: b.label, value: b.s.taux ?? 0, note: `— ${ETAT[b.s.etat]}` })),
          { max: 100, target: e.q1HorsQpv.cible, unit: " %" },
        ),
        table(
          ["Indicateur", "Retenues", "Attributions", "Taux (%)", "Objectif (%)", "État"],
          bars.map((b) => [b.label, b.s.numerateur, b.s.denominateur, b.s.taux, b.s.cible, ETAT[b.s.etat]]),
        ),
      ].join("\n");
    })
    .join("\n");
  const bilans = q.bilansFlux
    .map(
      (b) =>
        `<h2>Bilan du flux ${esc(b.bailleurId)} — ${esc(b.departement)} — ${b.annee}${b.cloture ? " (clos)" : ""}</h2>` +
        barChart(
          "Logements orientés et dus à date par réservataire",
          b.lignes.map((l) => ({
            label: l.reservataireId,
            value: l.orientes,
            note: `(dû ${num(l.du + l.report, 2)})`,
          })),
        ) +
        table(
          ["Réservataire", "Contingent", "Dû à date", "Report", "Orientés", "Rendus", "Attribués", "Écart"],
          b.lignes.map((l) => [
            l.reservataireId,
            l.codeSne,
            l.du,
            l.report,
            l.orientes,
            l.rendus,
            l.attribues,
            l.ecart,
          ]),
        ),
    )
    .join("\n");
  return page(
    "Objectifs légaux d'attribution",
    `Année ${q.filtres.annee}, du ${frenchDate(q.periode.du)} au ${frenchDate(q.periode.au)} — édité le ${frenchDate(editeLe)} — référentiel ${q.referentiel}`,
    ["<h2>Avertissements</h2>", warnings, epcis, bilans].join("\n"),
  );
}

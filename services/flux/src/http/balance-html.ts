import { type Financement, type ReservataireKind, type Typologie, typologies } from "@logis/contracts";
import { frenchDate } from "@logis/domain";
import type { Balance } from "../app/flux-reads.js";
import { periodesConstruction } from "../domain/balance.js";
import { fr } from "../domain/shares.js";

// The yearly balance as a page to print (A4, French): the landlord's figures per reserver, the
// breakdown the decree asks for (typology, financing, QPV, commune, construction period) and the
// subtracted units, realised and forecast. Plain HTML and print CSS: no script, no outside resource.

const esc = (text: string | number) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

export const kinds: Record<ReservataireKind, string> = {
  prefet_prioritaires: "Préfet (publics prioritaires)",
  prefet_agents: "Préfet (agents de l'État)",
  action_logement: "Action Logement",
  employeur: "Employeur",
  commune: "Commune",
  epci: "EPCI",
  departement: "Département",
  region: "Région",
  bailleur: "Bailleur (part non réservée)",
  autre: "Autre réservataire",
};
const motifs = [
  ["mutation_interne", "Mutations internes"],
  ["renouvellement_urbain", "Relogements (renouvellement urbain)"],
  ["copropriete_degradee", "Copropriétés dégradées"],
  ["demolition", "Démolitions"],
] as const;
const financements: readonly Financement[] = ["PLAI", "PLUS", "PLS", "PLI"];
const typologieLabel = (t: Typologie) => (t === "T6P" ? "T6 et +" : t);

const STYLE = `
@page { size: A4; margin: 14mm 12mm 16mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 Marianne, Arial, Helvetica, sans-serif; color: #161616; margin: 0 auto; max-width: 190mm; padding: 8mm 0; }
h1 { font-size: 17pt; margin: 0 0 2mm; }
h2 { font-size: 12pt; margin: 7mm 0 2mm; border-bottom: 1px solid #000091; color: #000091; break-after: avoid; }
p { margin: 1mm 0; }
.marque { font-weight: bold; letter-spacing: .02em; color: #000091; margin-bottom: 3mm; }
dl.entete { display: grid; grid-template-columns: max-content 1fr; gap: .5mm 4mm; margin: 2mm 0 4mm; }
dl.entete dt { font-weight: bold; }
dl.entete dd { margin: 0; }
.avertissement { border-left: 3px solid #b34000; padding: 1mm 3mm; background: #fff4f3; }
table { width: 100%; border-collapse: collapse; margin: 1mm 0 3mm; font-size: 9pt; }
caption { text-align: left; font-weight: bold; padding: 1mm 0; caption-side: top; }
th, td { border: 1px solid #929292; padding: .8mm 1.5mm; vertical-align: top; }
thead th { background: #eeeeee; text-align: center; }
tbody th { text-align: left; font-weight: normal; }
td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.total th, tr.total td { font-weight: bold; background: #f6f6f6; }
thead { display: table-header-group; }
tr, dl.entete { break-inside: avoid; }
footer { margin-top: 6mm; font-size: 8pt; color: #666666; }
@media print { body { padding: 0; max-width: none; } a { color: inherit; text-decoration: none; } }
`;

const num = (n: number) => `<td class="n">${esc(fr(n))}</td>`;
const head = (cells: readonly string[]) => `<tr>${cells.map((c) => `<th scope="col">${esc(c)}</th>`).join("")}</tr>`;

/** A table with a heading row, body rows (the first cell is the row's heading) and a total row. */
function table(caption: string, headers: readonly string[] | string, rows: readonly string[], total?: string) {
  const thead = typeof headers === "string" ? headers : head(headers);
  return `<table><caption>${esc(caption)}</caption><thead>${thead}</thead><tbody>${rows.join("")}${total ?? ""}</tbody></table>`;
}

type Detail = Balance["detail"][number];

/**
 * Units offered (proposés: oriented to the reserver) and attributed, per reserver and per value of
 * one dimension: one column pair per value, a total per reserver and per value.
 */
function pivot<V extends string | boolean>(
  b: Balance,
  caption: string,
  values: readonly V[],
  label: (v: V) => string,
  of: (d: Detail) => V,
) {
  const count = (id: string | undefined, v: V | undefined, field: "proposes" | "attribues") =>
    b.detail
      .filter((d) => (id === undefined || d.reservataireId === id) && (v === undefined || of(d) === v))
      .reduce((n, d) => n + d[field], 0);
  const cells = (id: string | undefined) =>
    [...values, undefined].map((v) => `${num(count(id, v, "proposes"))}${num(count(id, v, "attribues"))}`).join("");
  const ids = [...new Set(b.detail.map((d) => d.reservataireId))].sort();
  const headers =
    `<tr><th scope="col" rowspan="2">Réservataire</th>${[...values.map(label), "Total"].map((v) => `<th scope="colgroup" colspan="2">${esc(v)}</th>`).join("")}</tr>` +
    `<tr>${[...values, "total"].map(() => '<th scope="col">prop.</th><th scope="col">attr.</th>').join("")}</tr>`;
  const rows = ids.map((id) => `<tr><th scope="row">${esc(nameOf(b, id))}</th>${cells(id)}</tr>`);
  return table(caption, headers, rows, `<tr class="total"><th scope="row">Total</th>${cells(undefined)}</tr>`);
}

const nameOf = (b: Balance, id: string) => b.noms[id] ?? (id === b.bailleurId ? b.bailleur : id);

/** The yearly balance as a printable HTML page, in French. */
export function balanceHtml(b: Balance): string {
  const soustraitsTotal = motifs.reduce((n, [k]) => n + b.soustraits[k], 0);
  const edited = frenchDate(b.clotureLe);
  const lignes = b.lignes.map(
    (l) =>
      `<tr><th scope="row">${esc(nameOf(b, l.reservataireId))}</th><td>${esc(kinds[l.type])}</td><td>${esc(l.codeSne)}</td>` +
      `<td>${esc(l.conventionId ?? "part non réservée")}</td>${num(l.reportPrecedent)}${num(l.du)}${num(l.orientes)}${num(l.rendus)}${num(l.attribues)}${num(l.report)}</tr>`,
  );
  const sum = (f: "reportPrecedent" | "du" | "orientes" | "rendus" | "attribues" | "report") =>
    num(Math.round(b.lignes.reduce((n, l) => n + l[f], 0) * 100) / 100);
  const communes = [...new Set(b.detail.map((d) => d.commune))].sort().flatMap((commune) => {
    const of = b.detail.filter((d) => d.commune === commune);
    const ids = [...new Set(of.map((d) => d.reservataireId))].sort();
    return ids.map((id, i) => {
      const mine = of.filter((d) => d.reservataireId === id);
      const p = mine.reduce((n, d) => n + d.proposes, 0);
      const a = mine.reduce((n, d) => n + d.attribues, 0);
      const cell = i === 0 ? `<th scope="rowgroup" rowspan="${ids.length}">${esc(commune)}</th>` : "";
      return `<tr>${cell}<td>${esc(nameOf(b, id))}</td>${num(p)}${num(a)}</tr>`;
    });
  });
  const forecast = b.previsionAnneeSuivante;
  return `<!doctype html>
<html lang="fr">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Bilan annuel du flux ${esc(b.annee)} — ${esc(b.bailleur)} — département ${esc(b.departement)}</title>
<style>${STYLE}</style>
</head>
<body>
<header>
<p class="marque">Logis — gestion en flux des réservations</p>
<h1>Bilan annuel du flux ${esc(b.annee)}</h1>
<dl class="entete">
<dt>Bailleur</dt><dd>${esc(b.bailleur)} (${esc(b.bailleurId)})</dd>
<dt>Département</dt><dd>${esc(b.departement)}</dd>
<dt>Exercice</dt><dd>du 01/01/${esc(b.annee)} au 31/12/${esc(b.annee)}</dd>
<dt>Édité le</dt><dd>${esc(edited)}</dd>
<dt>Situation</dt><dd>${b.cloture ? "Exercice clôturé : bilan arrêté" : "Exercice en cours : bilan à date, provisoire"}</dd>
</dl>
${b.cloture ? "" : `<p class="avertissement">Bilan provisoire : l'exercice ${esc(b.annee)} n'est pas clôturé. Le bilan annuel est à transmettre aux réservataires avant le 28 février ${esc(b.annee + 1)}.</p>`}
</header>
<main>
<h2>Flux de l'année</h2>
${table(
  "Logements libérés et flux partagé",
  ["Indicateur", "Logements"],
  [
    `<tr><th scope="row">Flux brut (logements libérés : départs et premières mises en location)</th>${num(b.fluxBrut)}</tr>`,
    `<tr><th scope="row">Logements soustraits du flux</th>${num(soustraitsTotal)}</tr>`,
  ],
  `<tr class="total"><th scope="row">Flux net partagé entre les réservataires</th>${num(b.fluxNet)}</tr>`,
)}
${table(
  `Logements soustraits en ${b.annee}, par motif`,
  ["Motif", `Prévus (déclarés pour ${b.annee})`, "Réalisés"],
  motifs.map(
    ([k, label]) =>
      `<tr><th scope="row">${esc(label)}</th>${b.previsionSoustraits ? num(b.previsionSoustraits[k]) : '<td class="n">non déclaré</td>'}${num(b.soustraits[k])}</tr>`,
  ),
)}
<h2>Prévision des logements soustraits pour ${esc(b.annee + 1)}</h2>
${
  forecast
    ? table(
        `Prévision ${b.annee + 1}, par motif`,
        ["Motif", "Logements prévus"],
        motifs.map(([k, label]) => `<tr><th scope="row">${esc(label)}</th>${num(forecast[k])}</tr>`),
        `<tr class="total"><th scope="row">Total</th>${num(motifs.reduce((n, [k]) => n + forecast[k], 0))}</tr>`,
      )
    : `<p>Prévision non déclarée à ce jour pour ${esc(b.annee + 1)}.</p>`
}
<h2>Par réservataire</h2>
${table(
  "Dû, orientés, rendus, attribués et report, en logements",
  [
    "Réservataire",
    "Type",
    "Code SNE",
    "Convention",
    "Report de l'année précédente",
    "Dû",
    "Orientés",
    "Rendus",
    "Attribués",
    "Report sur l'année suivante",
  ],
  lignes,
  `<tr class="total"><th scope="row" colspan="4">Total</th>${sum("reportPrecedent")}${sum("du")}${sum("orientes")}${sum("rendus")}${sum("attribues")}${sum("report")}</tr>`,
)}
<p>Proposés (prop.) : logements orientés vers le réservataire ; attribués (attr.) : baux signés.</p>
<h2>Par typologie</h2>
${pivot(b, "Logements proposés et attribués, par typologie", typologies, typologieLabel, (d) => d.typologie)}
<h2>Par financement</h2>
${pivot(
  b,
  "Logements proposés et attribués, par financement initial",
  financements,
  (f) => f,
  (d) => d.financement,
)}
<h2>En QPV ou hors QPV</h2>
${pivot(
  b,
  "Logements proposés et attribués, en quartier prioritaire de la politique de la ville ou non",
  [true, false],
  (q) => (q ? "En QPV" : "Hors QPV"),
  (d) => d.qpv,
)}
<h2>Par période de construction</h2>
${pivot(
  b,
  "Logements proposés et attribués, par période de construction",
  periodesConstruction,
  (p) => p,
  (d) => d.periodeConstruction as (typeof periodesConstruction)[number],
)}
<h2>Par commune</h2>
${table("Logements proposés et attribués, par commune (code INSEE) et réservataire", ["Commune", "Réservataire", "Proposés", "Attribués"], communes)}
</main>
<footer>Bilan du flux ${esc(b.annee)} de ${esc(b.bailleur)}, département ${esc(b.departement)}, édité le ${esc(edited)} par Logis. Les chiffres suivent les événements du registre du flux (orientations, restitutions, attributions).</footer>
</body>
</html>
`;
}

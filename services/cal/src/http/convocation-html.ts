import { frenchDate } from "@logis/domain";
import type { Convocation } from "../app/convocation.js";

// The convocation of a session as a page to print or send (A4, French): to the préfet's
// representative, the session's day, mode and agenda, then the minutes of the previous session.
// Plain HTML and print CSS: no script, no outside resource. No applicant's figure: the agenda names
// units and counts candidates.

const esc = (text: string | number) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const modes: Record<string, string> = {
  presentiel: "en présentiel",
  distanciel: "à distance",
  mixte: "en présentiel et à distance",
  en_ligne: "en ligne, ouverte sur une période",
};
const situations: Record<string, string> = {
  SUR_OCCUPATION: "sur-occupation",
  SOUS_OCCUPATION: "sous-occupation",
  ADAPTE_NON_NECESSAIRE: "logement adapté qui n'est plus nécessaire",
  BESOIN_LOGEMENT_ADAPTE: "besoin d'un logement adapté",
  RESSOURCES_SUPERIEURES_PLAFOND: "ressources au-delà du plafond",
};

export function convocationHtml({ seance, precedente }: Convocation): string {
  const destinataires = seance.membres.filter((m) => m.qualite === "prefet");
  const items = seance.agenda.map((item, k) =>
    item.kind === "ATTRIBUTION"
      ? `<tr><td>${k + 1}</td><td>Attribution</td><td>Logement ${esc(item.rplsId)}</td><td>${item.candidats.length} candidat(s), réservataire ${esc(item.reservataireId)}</td></tr>`
      : `<tr><td>${k + 1}</td><td>Examen de l'occupation (CALEOL)</td><td>Logement ${esc(item.rplsId)}</td><td>${esc(situations[item.situation] ?? item.situation)}</td></tr>`,
  );
  const pv = precedente
    ? `<h2>Procès-verbal de la séance précédente (${esc(frenchDate(precedente.date))})</h2>
<p>Quorum : ${precedente.quorum.presents} présent(s) pour ${precedente.quorum.requis} requis${precedente.quorum.atteint ? "" : " (non atteint)"}.</p>
<table><thead><tr><th>Logement</th><th>Candidat</th><th>Décision</th><th>Motifs</th></tr></thead><tbody>
${precedente.logements
  .flatMap((l) =>
    l.candidats.map(
      (c) =>
        `<tr><td>${esc(l.rplsId)}</td><td>${esc(c.numeroUnique)}</td><td>${esc(c.decision ?? "sans décision")}${c.rang ? ` (rang ${c.rang})` : ""}</td><td>${esc(c.motifs.join(" ; "))}</td></tr>`,
    ),
  )
  .join("\n")}
</tbody></table>`
    : "<p>Première séance de la commission : pas de procès-verbal précédent.</p>";
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Convocation à la séance du ${esc(frenchDate(seance.date))}</title>
<style>@page{size:A4;margin:18mm}body{font:11pt/1.4 system-ui,sans-serif;color:#111}table{border-collapse:collapse;width:100%;margin:8px 0}th,td{border:1px solid #999;padding:3px 6px;text-align:left}th{background:#eee}</style>
</head><body>
<h1>Convocation à la séance du ${esc(frenchDate(seance.date))}</h1>
<p>Commission ${esc(seance.commissionId)} (bailleur ${esc(seance.bailleurId)}, département ${esc(seance.departement)}), séance ${esc(modes[seance.mode] ?? seance.mode)}.</p>
<p>Destinataire(s) : ${destinataires.map((m) => esc(m.nom)).join(", ") || "aucun représentant du préfet parmi les membres"}.${seance.convocation ? ` Convocation envoyée le ${esc(frenchDate(new Date(seance.convocation.le)))}.` : " Convocation non encore envoyée."}</p>
<h2>Ordre du jour</h2>
${items.length > 0 ? `<table><thead><tr><th>N°</th><th>Nature</th><th>Logement</th><th>Objet</th></tr></thead><tbody>\n${items.join("\n")}\n</tbody></table>` : "<p>Aucun point inscrit à ce jour.</p>"}
${pv}
</body></html>
`;
}

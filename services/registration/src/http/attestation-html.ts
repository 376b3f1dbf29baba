import { labelOf } from "@logis/contracts";
import type { AttestationRead as Attestation } from "../app/read-demand.js";

const esc = (s: unknown) =>
  String(s ?? "").replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
const date = (iso: string | undefined) =>
  iso ? new Date(iso).toLocaleDateString("fr-FR", { timeZone: "Europe/Paris" }) : "—";

/** The registering desk's contact details: where the applicant asks about the demand. */
function guichetHtml(g: Attestation["coordonneesGuichet"]): string {
  if (!g) return "";
  const lignes = [g.nom, ...g.adresse.lignes, `${g.adresse.codePostal} ${g.adresse.commune}`].map(esc).join("<br>");
  return `<section class="guichet"><strong>Votre guichet enregistreur</strong>, pour toute question sur votre demande :<br>${lignes}<br>Téléphone : ${esc(g.telephone)} — courriel : <a href="mailto:${esc(g.courriel)}">${esc(g.courriel)}</a>${g.horaires ? `<br>Accueil ${esc(g.horaires)}` : ""}</section>`;
}

/** The printable attestation (one A4 page), in French. */
export function attestationHtml(a: Attestation): string {
  const personne = (p: { civilite?: string | undefined; nom: string; prenom: string }) =>
    `${esc(p.civilite ?? "")} ${esc(p.prenom)} ${esc(p.nom.toUpperCase())}`.trim();
  const adr = a.adresse;
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Attestation ${esc(a.numeroUnique)}</title>
<style>
  @page { size: A4; margin: 18mm; }
  body { font-family: "Marianne", Arial, sans-serif; font-size: 11pt; color: #161616; max-width: 180mm; margin: auto; }
  h1 { font-size: 16pt; border-bottom: 2px solid #000091; padding-bottom: 4px; }
  .numero { font-size: 20pt; letter-spacing: 2px; font-family: monospace; }
  table { border-collapse: collapse; width: 100%; } td { padding: 3px 6px; vertical-align: top; } td:first-child { width: 45%; color: #3a3a3a; }
  section { margin-top: 12px; } small { color: #666; } .guichet { border-left: 3px solid #000091; padding-left: 8px; }
</style></head><body>
<h1>${esc(a.titre)}</h1>
<p>Numéro unique d'enregistrement<br><span class="numero">${esc(a.numeroUnique)}</span></p>
<table>
  <tr><td>Demandeur</td><td>${personne(a.demandeur)}</td></tr>
  ${a.cotitulaire ? `<tr><td>Cotitulaire</td><td>${personne(a.cotitulaire)}</td></tr>` : ""}
  <tr><td>Adresse</td><td>${esc(adr.numero ?? "")} ${esc(adr.voie)}${adr.complement ? `, ${esc(adr.complement)}` : ""}<br>${esc(adr.codePostal)} ${esc(adr.commune ? (a.lieux.communes[adr.commune] ?? adr.commune) : "")}</td></tr>
  <tr><td>Organisme enregistreur</td><td>${esc(a.organismeEnregistreur.nom)} (guichet n° ${esc(a.organismeEnregistreur.numeroGuichet)})</td></tr>
  <tr><td>Département</td><td>${esc(a.lieux.departement)} (${esc(a.departement)})</td></tr>
  <tr><td>Date de dépôt initial</td><td>${date(a.dateDepot)}</td></tr>
  ${a.dateDernierRenouvellement ? `<tr><td>Dernier renouvellement</td><td>${date(a.dateDernierRenouvellement)}</td></tr>` : ""}
  <tr><td>Valable jusqu'au</td><td><strong>${date(a.validiteJusquAu)}</strong></td></tr>
  <tr><td>Logement recherché</td><td>${a.typologiesSouhaitees.map((t) => esc(labelOf("typeLogement", t))).join(", ")} — ${a.communesSouhaitees.length > 1 ? "communes" : "commune"} ${a.communesSouhaitees.map((c) => esc(a.lieux.communes[c] ?? c)).join(", ")}</td></tr>
</table>
${guichetHtml(a.coordonneesGuichet)}
<section><strong>Validité et renouvellement.</strong> ${esc(a.regles.validite)} ${esc(a.regles.renouvellement)}</section>
<section><strong>Radiation.</strong> La demande est radiée en cas de :<ul>${a.regles.radiation.map((r) => `<li>${esc(r)}</li>`).join("")}</ul></section>
<section>${esc(a.regles.conservation)} ${esc(a.regles.dalo)}</section>
<p><small>Délivrée le ${date(a.delivreeLe)} — ${a.sources.map(esc).join(" ; ")}</small></p>
</body></html>`;
}

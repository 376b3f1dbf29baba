import type { OccupancyOpinionNotified } from "@logis/contracts";
import { frenchDate } from "@logis/domain";

// The letter notifying a tenant of the CALEOL's opinion on the occupancy of its dwelling (L442-5-2),
// to print and send (A4, French). Plain HTML and print CSS: no script, no outside resource. The CAL
// knows the lease and the dwelling, not the tenant's name and address (the landlord's tenant
// management adds them on the envelope).

const esc = (text: string | number) =>
  String(text).replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );

const situations: Record<string, string> = {
  SUR_OCCUPATION: "votre logement est sur-occupé au regard de la composition de votre foyer",
  SOUS_OCCUPATION: "votre logement compte plus de pièces habitables que votre foyer de personnes plus une",
  ADAPTE_NON_NECESSAIRE: "votre logement est adapté à un handicap que ne connaît plus aucun occupant",
  BESOIN_LOGEMENT_ADAPTE: "un occupant a besoin d'un logement adapté à son handicap ou à sa perte d'autonomie",
  RESSOURCES_SUPERIEURES_PLAFOND: "les ressources de votre foyer dépassent le plafond applicable à votre logement",
};

export function occupancyLetterHtml(
  letter: OccupancyOpinionNotified["payload"] & { bailleurId: string; typeCommission: string },
): string {
  return `<!doctype html>
<html lang="fr"><head><meta charset="utf-8"><title>Avis de la commission sur l'occupation du logement ${esc(letter.rplsId)}</title>
<style>@page{size:A4;margin:22mm}body{font:11pt/1.5 system-ui,sans-serif;color:#111}.objet{font-weight:600}dl{margin:12px 0}dt{font-weight:600}dd{margin:0 0 8px 0}</style>
</head><body>
<p>Bailleur ${esc(letter.bailleurId)}</p>
<p>Au locataire du logement n° RPLS ${esc(letter.rplsId)} (bail ${esc(letter.bailId)})</p>
<p>Le ${esc(frenchDate(letter.notifieLe))}</p>
<p class="objet">Objet : examen des conditions d'occupation de votre logement (article L442-5-2 du code de la construction et de l'habitation)</p>
<p>Madame, Monsieur,</p>
<p>La commission d'attribution des logements et d'examen de l'occupation des logements (${esc(letter.typeCommission)} ${esc(letter.commissionId)}), réunie le ${esc(frenchDate(letter.seanceLe))}, a examiné les conditions d'occupation de votre logement, comme la loi le prévoit tous les trois ans dans les communes où le marché du logement est tendu.</p>
<dl>
<dt>Situation examinée</dt><dd>${esc(situations[letter.situation] ?? letter.situation)}.</dd>
<dt>Avis de la commission</dt><dd>${esc(letter.avis)}.</dd>
${letter.caracteristiquesLogementAdapte ? `<dt>Caractéristiques d'un logement adapté à vos besoins</dt><dd>${esc(letter.caracteristiquesLogementAdapte)}.</dd>` : ""}
${letter.accessionSocialeConseillee ? "<dt>Accession sociale à la propriété</dt><dd>La commission vous conseille de vous renseigner sur les possibilités d'accession sociale à la propriété.</dd>" : ""}
</dl>
<p>Votre bailleur prendra contact avec vous pour examiner ensemble les possibilités d'évolution de votre parcours résidentiel. Cet avis ne modifie pas, à lui seul, votre bail.</p>
<p>Veuillez agréer, Madame, Monsieur, l'expression de nos salutations distinguées.</p>
</body></html>
`;
}

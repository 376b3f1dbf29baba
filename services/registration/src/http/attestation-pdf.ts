import { labelOf } from "@logis/contracts";
import { type Block, renderPdf } from "@logis/documents";
import { frenchDate } from "@logis/domain";
import type { AttestationRead } from "../app/read-demand.js";

/** The registering desk's contact details: where the applicant asks about the demand. */
function guichetBlocks(g: AttestationRead["coordonneesGuichet"]): Block[] {
  if (!g) return [];
  return [
    { kind: "heading", text: "Votre guichet enregistreur, pour toute question sur votre demande" },
    {
      kind: "fields",
      rows: [
        ["Guichet", g.nom],
        ["Adresse", [...g.adresse.lignes, `${g.adresse.codePostal} ${g.adresse.commune}`].join(", ")],
        ["Téléphone", g.telephone],
        ["Courriel", g.courriel],
        ...(g.horaires ? [["Accueil", g.horaires] as const] : []),
      ],
    },
  ];
}

/** The attestation as a PDF (A4), with the same content as the printable page, in French. */
export function attestationPdf(a: AttestationRead): Buffer {
  const day = (iso: string | undefined) => (iso ? frenchDate(new Date(iso)) : "—");
  const personne = (p: { civilite?: string | undefined; nom: string; prenom: string }) =>
    [p.civilite, p.prenom, p.nom.toUpperCase()].filter(Boolean).join(" ");
  const adr = a.adresse;
  const commune = (code: string) => a.lieux.communes[code] ?? code;
  const adresse = [
    [adr.numero, adr.voie].filter(Boolean).join(" "),
    adr.complement,
    [adr.codePostal, adr.commune ? commune(adr.commune) : undefined].filter(Boolean).join(" "),
  ]
    .filter(Boolean)
    .join(", ");
  return renderPdf({
    title: `Attestation ${a.numeroUnique}`,
    author: a.organismeEnregistreur.nom,
    createdAt: new Date(a.delivreeLe),
    footer: `Attestation n° ${a.numeroUnique} délivrée le ${day(a.delivreeLe)}`,
    blocks: [
      { kind: "title", text: a.titre },
      { kind: "fields", rows: [["Numéro unique d'enregistrement", a.numeroUnique]] },
      {
        kind: "fields",
        rows: [
          ["Demandeur", personne(a.demandeur)],
          ...(a.cotitulaire ? [["Cotitulaire", personne(a.cotitulaire)] as const] : []),
          ["Adresse", adresse],
          [
            "Organisme enregistreur",
            `${a.organismeEnregistreur.nom} (guichet n° ${a.organismeEnregistreur.numeroGuichet})`,
          ],
          ["Département", `${a.lieux.departement} (${a.departement})`],
          ["Date de dépôt initial", day(a.dateDepot)],
          ...(a.dateDernierRenouvellement
            ? [["Dernier renouvellement", day(a.dateDernierRenouvellement)] as const]
            : []),
          ["Valable jusqu'au", day(a.validiteJusquAu)],
          [
            "Logement recherché",
            `${a.typologiesSouhaitees.map((t) => labelOf("typeLogement", t)).join(", ")} — ${a.communesSouhaitees.map(commune).join(", ")}`,
          ],
        ],
      },
      ...guichetBlocks(a.coordonneesGuichet),
      { kind: "heading", text: "Validité et renouvellement" },
      { kind: "paragraph", text: `${a.regles.validite} ${a.regles.renouvellement}` },
      { kind: "heading", text: "Radiation" },
      { kind: "paragraph", text: "La demande est radiée en cas de :" },
      { kind: "list", items: a.regles.radiation },
      { kind: "paragraph", text: `${a.regles.conservation} ${a.regles.dalo}` },
      { kind: "space" },
      { kind: "paragraph", size: 8, text: a.sources.join(" ; ") },
    ],
  });
}

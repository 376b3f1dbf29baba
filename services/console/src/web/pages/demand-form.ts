import type { DemandFormInput } from "@logis/contracts";
import { isoFromFr } from "../lib/format";

/** The form as the page holds it: flat text values by path, lists for the repeated parts. */
export interface FormState {
  values: Record<string, string>;
  flags: Record<string, boolean>;
  motifs: string[];
  typologies: string[];
  personnes: { nom: string; prenom: string; dateNaissance: string; lienParente: string }[];
  cotitulaire: boolean;
  /** Pieces handed over, as `personne:PIECE`. */
  pieces: string[];
}

export const emptyForm = (departement: string): FormState => ({
  values: {
    departement,
    "souhaits.categorie": "I",
    "contact.canalPrefere": "courrier",
    "situations.dalo.statut": "NON",
  },
  flags: {},
  motifs: [],
  typologies: [],
  personnes: [],
  cotitulaire: false,
  pieces: [],
});

const text = (v: string | undefined) => {
  const t = v?.trim();
  return t ? t : undefined;
};
const date = (v: string | undefined) => {
  const t = text(v);
  return t === undefined ? undefined : isoFromFr(t);
};
const num = (v: string | undefined) => {
  const t = text(v)?.replace(/\s/g, "").replace(",", ".");
  return t === undefined ? undefined : Number(t);
};
/** Drops undefined members, so that optional fields left empty are absent. */
const compact = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function person(v: Record<string, string>, p: string) {
  const montant = num(v[`${p}.ressources.montant`]);
  return compact({
    civilite: text(v[`${p}.civilite`]),
    nom: text(v[`${p}.nom`]),
    nomNaissance: text(v[`${p}.nomNaissance`]),
    prenom: text(v[`${p}.prenom`]),
    dateNaissance: date(v[`${p}.dateNaissance`]),
    sexe: text(v[`${p}.sexe`]),
    nationalite: text(v[`${p}.nationalite`]),
    nir: text(v[`${p}.nir`]),
    situationFamiliale: text(v[`${p}.situationFamiliale`]),
    situationProfessionnelle: compact({
      typeContrat: text(v[`${p}.situationProfessionnelle.typeContrat`]),
      profession: text(v[`${p}.situationProfessionnelle.profession`]),
    }),
    ressources: {
      mensuelles: montant === undefined ? [] : [{ type: text(v[`${p}.ressources.type`]) ?? "SAL", montant }],
      revenuFiscal: compact({
        anneeN2: num(v[`${p}.ressources.anneeN2`]),
        montantN2: num(v[`${p}.ressources.montantN2`]),
      }),
    },
  });
}

/** The national form's object, as the API takes it (checked with DemandForm before it is sent). */
export function toDemandForm(s: FormState): DemandFormInput {
  const v = s.values;
  const motifs = s.motifs.map((code) =>
    compact({ code, precision: code === "23" ? text(v["motifs.precision"]) : undefined }),
  );
  return compact({
    departement: text(v.departement),
    demandeur: person(v, "demandeur"),
    cotitulaire: s.cotitulaire
      ? { ...person(v, "cotitulaire"), lienDemandeur: text(v["cotitulaire.lienDemandeur"]) }
      : undefined,
    personnesACharge: s.personnes.map((p) =>
      compact({
        nom: text(p.nom),
        prenom: text(p.prenom),
        dateNaissance: date(p.dateNaissance),
        lienParente: text(p.lienParente),
      }),
    ),
    contact: compact({
      adresse: compact({
        numero: text(v["contact.adresse.numero"]),
        voie: text(v["contact.adresse.voie"]),
        codePostal: text(v["contact.adresse.codePostal"]),
        commune: text(v["contact.adresse.commune"]),
      }),
      telephone: text(v["contact.telephone"]),
      email: text(v["contact.email"]),
      canalPrefere: text(v["contact.canalPrefere"]),
    }),
    logementActuel: compact({
      modele: text(v["logementActuel.modele"]),
      typeLogement: text(v["logementActuel.typeLogement"]),
      nombreOccupants: num(v["logementActuel.nombreOccupants"]),
      surface: num(v["logementActuel.surface"]),
      loyerMensuel: num(v["logementActuel.loyerMensuel"]),
    }),
    motifs,
    souhaits: compact({
      typologies: s.typologies,
      communes: (v["souhaits.communes"] ?? "")
        .split(/[\s,;]+/)
        .map((c) => c.trim())
        .filter(Boolean),
      categorie: text(v["souhaits.categorie"]),
      loyerMaximum: num(v["souhaits.loyerMaximum"]),
      logementAdapte: s.flags["souhaits.logementAdapte"] ?? false,
      ascenseurNecessaire: s.flags["souhaits.ascenseurNecessaire"] ?? false,
    }),
    situations: {
      handicap: s.flags["situations.handicap"] ?? false,
      violencesFamiliales: s.flags["situations.violencesFamiliales"] ?? false,
      dalo: { statut: text(v["situations.dalo.statut"]) ?? "NON" },
      prioritesL441: [],
      accordCollectif: "AUCUN",
    },
    sensible: {},
  } as Record<string, unknown>) as unknown as DemandFormInput;
}

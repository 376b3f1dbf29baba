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

/** The page's state from a registered demand's form (to edit it). */
export function fromDemandForm(form: DemandFormInput): FormState {
  const state = emptyForm(form.departement);
  const v = state.values;
  const put = (path: string, value: string | number | undefined | null) => {
    if (value !== undefined && value !== null) v[path] = String(value);
  };
  const frDay = (iso: string | undefined) => (iso ? iso.split("-").reverse().join("/") : undefined);
  const fr = (n: number | undefined) => (n === undefined ? undefined : String(n).replace(".", ","));
  const person = (
    p: "demandeur" | "cotitulaire",
    d: NonNullable<DemandFormInput["cotitulaire"]> | DemandFormInput["demandeur"],
  ) => {
    put(`${p}.civilite`, d.civilite);
    put(`${p}.nom`, d.nom);
    put(`${p}.nomNaissance`, d.nomNaissance);
    put(`${p}.prenom`, d.prenom);
    put(`${p}.dateNaissance`, frDay(d.dateNaissance));
    put(`${p}.sexe`, d.sexe);
    put(`${p}.nationalite`, d.nationalite);
    put(`${p}.nir`, d.nir);
    put(`${p}.situationFamiliale`, d.situationFamiliale);
    put(`${p}.situationProfessionnelle.typeContrat`, d.situationProfessionnelle.typeContrat);
    put(`${p}.situationProfessionnelle.profession`, d.situationProfessionnelle.profession);
    const first = d.ressources?.mensuelles?.[0];
    put(`${p}.ressources.type`, first?.type);
    put(`${p}.ressources.montant`, fr(first?.montant));
    put(`${p}.ressources.anneeN2`, d.ressources?.revenuFiscal?.anneeN2);
    put(`${p}.ressources.montantN2`, fr(d.ressources?.revenuFiscal?.montantN2));
  };
  person("demandeur", form.demandeur);
  if (form.cotitulaire) {
    state.cotitulaire = true;
    person("cotitulaire", form.cotitulaire);
    put("cotitulaire.lienDemandeur", form.cotitulaire.lienDemandeur);
  }
  state.personnes = (form.personnesACharge ?? []).map((p) => ({
    nom: p.nom,
    prenom: p.prenom,
    dateNaissance: frDay(p.dateNaissance) ?? "",
    lienParente: p.lienParente,
  }));
  const a = form.contact.adresse;
  put("contact.adresse.numero", a.numero);
  put("contact.adresse.voie", a.voie);
  put("contact.adresse.codePostal", a.codePostal);
  put("contact.adresse.commune", a.commune);
  put("contact.telephone", form.contact.telephone);
  put("contact.email", form.contact.email);
  put("contact.canalPrefere", form.contact.canalPrefere);
  const l = form.logementActuel;
  put("logementActuel.modele", l.modele);
  put("logementActuel.typeLogement", l.typeLogement);
  put("logementActuel.nombreOccupants", l.nombreOccupants);
  put("logementActuel.surface", fr(l.surface));
  put("logementActuel.loyerMensuel", fr(l.loyerMensuel));
  state.motifs = form.motifs.map((m) => m.code);
  put("motifs.precision", form.motifs.find((m) => m.code === "23")?.precision);
  state.typologies = [...form.souhaits.typologies];
  put("souhaits.communes", form.souhaits.communes.join(", "));
  put("souhaits.categorie", form.souhaits.categorie);
  put("souhaits.loyerMaximum", fr(form.souhaits.loyerMaximum));
  state.flags = {
    "souhaits.logementAdapte": form.souhaits.logementAdapte ?? false,
    "souhaits.ascenseurNecessaire": form.souhaits.ascenseurNecessaire ?? false,
    "situations.handicap": form.situations?.handicap ?? false,
    "situations.violencesFamiliales": form.situations?.violencesFamiliales ?? false,
  };
  put("situations.dalo.statut", form.situations?.dalo?.statut ?? "NON");
  return state;
}

/** An edited form over the registered one: what the page does not show (other resources, sensitive details, L441 priorities) is kept. */
export function mergeWithOriginal(original: DemandFormInput, edited: DemandFormInput): DemandFormInput {
  const keepResources = (o: DemandFormInput["demandeur"] | undefined, e: DemandFormInput["demandeur"]) => ({
    ...e,
    ressources: {
      ...o?.ressources,
      ...e.ressources,
      mensuelles: [...(e.ressources?.mensuelles ?? []), ...(o?.ressources?.mensuelles ?? []).slice(1)],
    },
  });
  return {
    ...original,
    ...edited,
    demandeur: keepResources(original.demandeur, edited.demandeur),
    ...(edited.cotitulaire
      ? {
          cotitulaire: {
            ...keepResources(original.cotitulaire, edited.cotitulaire),
            lienDemandeur: edited.cotitulaire.lienDemandeur,
          },
        }
      : { cotitulaire: undefined }),
    situations: {
      ...original.situations,
      ...edited.situations,
      prioritesL441: original.situations?.prioritesL441 ?? [],
      accordCollectif: original.situations?.accordCollectif ?? "AUCUN",
    },
    sensible: original.sensible ?? {},
  };
}

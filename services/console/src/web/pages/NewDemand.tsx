import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { type CodeListName, DemandForm, type DemandFormInput, sneCodeLists } from "@logis/contracts";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { createContext, type ReactNode, useContext, useRef, useState } from "react";
import { Page } from "../components";
import { errorData, messageOf, registration } from "../lib/api";
import { frDate, frPercent } from "../lib/format";
import { statusLabels } from "../lib/labels";
import { navigate } from "../lib/router";
import { useSession } from "../lib/session";
import { issuesByPath } from "../lib/zod-fr";
import { emptyForm, type FormState, fromDemandForm, mergeWithOriginal, toDemandForm } from "./demand-form";

interface Candidate {
  numeroUnique: string;
  statut: string;
  demandeur: { nom: string; prenom: string; dateNaissance: string };
  dateDepot: string;
  guichet: string;
  score: number;
  raisons: string[];
}

const fieldId = (path: string) => `f-${path.replace(/\./g, "-")}`;

interface FormCtx {
  state: FormState;
  set(path: string, value: string): void;
  errors: Map<string, string>;
  labels: Map<string, string>;
}
const Ctx = createContext<FormCtx | null>(null);
const useForm = () => {
  const ctx = useContext(Ctx);
  if (!ctx) throw new Error("outside the form");
  return ctx;
};

function Field({
  path,
  label,
  hint,
  type = "text",
  autoComplete,
  col = 4,
}: {
  path: string;
  label: string;
  hint?: string;
  type?: string;
  autoComplete?: string;
  col?: 3 | 4 | 6 | 12;
}) {
  const { state, set, errors, labels } = useForm();
  labels.set(path, label);
  const error = errors.get(path);
  return (
    <div className={fr.cx("fr-col-12", `fr-col-md-${col}`)}>
      <Input
        label={label}
        hintText={hint}
        state={error ? "error" : "default"}
        stateRelatedMessage={error}
        nativeInputProps={{
          id: fieldId(path),
          name: path,
          type,
          autoComplete,
          value: state.values[path] ?? "",
          onChange: (e) => set(path, e.target.value),
        }}
      />
    </div>
  );
}

function CodeSelect({
  path,
  label,
  list,
  hint,
  optional,
  col = 4,
}: {
  path: string;
  label: string;
  list: CodeListName;
  hint?: string;
  optional?: boolean;
  col?: 3 | 4 | 6 | 12;
}) {
  const { state, set, errors, labels } = useForm();
  labels.set(path, label);
  const error = errors.get(path);
  return (
    <div className={fr.cx("fr-col-12", `fr-col-md-${col}`)}>
      <Select
        label={label}
        hint={hint}
        state={error ? "error" : "default"}
        stateRelatedMessage={error}
        nativeSelectProps={{
          id: fieldId(path),
          name: path,
          value: state.values[path] ?? "",
          onChange: (e) => set(path, e.target.value),
        }}
      >
        <option value="">{optional ? "Non renseigné" : "Choisir"}</option>
        {Object.entries(sneCodeLists.lists[list]).map(([code, text]) => (
          <option key={code} value={code}>
            {text}
          </option>
        ))}
      </Select>
    </div>
  );
}

function Section({ title, children, hint }: { title: string; children: ReactNode; hint?: string }) {
  return (
    <fieldset className={fr.cx("fr-fieldset", "fr-mb-4w")}>
      <legend className={fr.cx("fr-fieldset__legend")}>
        <h2 className={fr.cx("fr-h4", "fr-mb-0")}>{title}</h2>
        {hint ? <span className={fr.cx("fr-hint-text")}>{hint}</span> : null}
      </legend>
      <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")} style={{ width: "100%" }}>
        {children}
      </div>
    </fieldset>
  );
}

function Person({ prefix }: { prefix: "demandeur" | "cotitulaire" }) {
  return (
    <>
      <CodeSelect path={`${prefix}.civilite`} label="Civilité" list="civilite" optional col={3} />
      <Field path={`${prefix}.nom`} label="Nom d'usage" autoComplete="family-name" col={3} />
      <Field path={`${prefix}.nomNaissance`} label="Nom de naissance" hint="s'il diffère" col={3} />
      <Field path={`${prefix}.prenom`} label="Prénom" autoComplete="given-name" col={3} />
      <Field path={`${prefix}.dateNaissance`} label="Date de naissance" hint="jj/mm/aaaa" col={3} />
      <CodeSelect path={`${prefix}.sexe`} label="Sexe" list="sexe" optional col={3} />
      <CodeSelect path={`${prefix}.nationalite`} label="Nationalité" list="nationalite" optional col={3} />
      <Field path={`${prefix}.nir`} label="Numéro de sécurité sociale" hint="15 caractères, facultatif" col={3} />
      <CodeSelect path={`${prefix}.situationFamiliale`} label="Situation familiale" list="situationFamiliale" col={3} />
      <CodeSelect
        path={`${prefix}.situationProfessionnelle.typeContrat`}
        label="Situation professionnelle"
        list="typeContratTravail"
        col={3}
      />
      <Field path={`${prefix}.situationProfessionnelle.profession`} label="Profession" hint="facultatif" col={3} />
      <CodeSelect path={`${prefix}.ressources.type`} label="Nature des ressources" list="ressource" optional col={3} />
      <Field path={`${prefix}.ressources.montant`} label="Ressources mensuelles (€)" hint="ex. 1450,50" col={3} />
      <Field path={`${prefix}.ressources.anneeN2`} label="Année du revenu fiscal (N-2)" hint="ex. 2024" col={3} />
      <Field path={`${prefix}.ressources.montantN2`} label="Revenu fiscal de référence N-2 (€)" col={3} />
    </>
  );
}

/** The path of an issue shown at the nearest field the page has (`souhaits.communes.0` → `souhaits.communes`). */
function nearestField(path: string, known: Map<string, string>): string {
  const parts = path.split(".");
  while (parts.length > 0) {
    const p = parts.join(".");
    if (known.has(p)) return p;
    parts.pop();
  }
  return path;
}

export interface EditedDemand {
  numero: string;
  version: number;
  form: DemandFormInput;
}

/**
 * Registers a demand, or edits one (`edit`): the sections of the national form (cerfa 14069),
 * checked with the API's own schema before anything is sent.
 */
export function NewDemand({ edit }: { edit?: EditedDemand } = {}) {
  const session = useSession();
  const departements = session?.principal.territories.departements ?? [];
  const [state, setState] = useState<FormState>(() =>
    edit ? fromDemandForm(edit.form) : emptyForm(departements[0] ?? ""),
  );
  const [motif, setMotif] = useState("");
  const [errors, setErrors] = useState(new Map<string, string>());
  const [candidates, setCandidates] = useState<Candidate[]>();
  const summary = useRef<HTMLDivElement>(null);
  const duplicates = useRef<HTMLDivElement>(null);
  const labels = useRef(new Map<string, string>()).current;
  const queryClient = useQueryClient();
  // Fields drawn as groups (their errors are listed in the summary under these names).
  labels.set("motifs", "Motifs de la demande");
  labels.set("souhaits.typologies", "Typologies");
  labels.set("pieces", "Pièces reçues");
  labels.set("motif", "Origine de la modification");

  const register = useMutation({
    mutationFn: (input: Parameters<typeof registration.register.mutate>[0]) => registration.register.mutate(input),
    onSuccess: (demand) => {
      void queryClient.invalidateQueries({ queryKey: ["search"] });
      navigate(
        `/demandes/${demand.demand.numeroUnique}?${demand.outcome === "linked" ? "rattachee" : "enregistree"}=1`,
      );
    },
    onError: (error) => {
      const data = errorData(error);
      if (data.reason === "POSSIBLE_DUPLICATE") {
        const details = data.details as { candidats?: Candidate[] } | undefined;
        setCandidates(details?.candidats ?? []);
        setTimeout(() => duplicates.current?.focus(), 0);
        return;
      }
      if (data.field) {
        const path = nearestField(data.field.replace(/^demande\./, ""), labels);
        setErrors(new Map([[path, messageOf(error)]]));
        setTimeout(() => summary.current?.focus(), 0);
      }
    },
  });

  const set = (path: string, value: string) => setState((s) => ({ ...s, values: { ...s.values, [path]: value } }));
  const setFlag = (path: string, value: boolean) => setState((s) => ({ ...s, flags: { ...s.flags, [path]: value } }));
  const toggle = (key: "motifs" | "typologies", code: string) =>
    setState((s) => ({ ...s, [key]: s[key].includes(code) ? s[key].filter((c) => c !== code) : [...s[key], code] }));

  const check = () => {
    const parsed = DemandForm.safeParse(toDemandForm(state));
    if (parsed.success) {
      setErrors(new Map());
      return toDemandForm(state);
    }
    const found = new Map<string, string>();
    for (const [path, message] of issuesByPath(parsed.error)) {
      const at = nearestField(path, labels);
      if (!found.has(at)) found.set(at, message);
    }
    setErrors(found);
    setTimeout(() => summary.current?.focus(), 0);
    return undefined;
  };

  const update = useMutation({
    mutationFn: (input: Parameters<typeof registration.update.mutate>[0]) => registration.update.mutate(input),
    onSuccess: () => {
      void queryClient.invalidateQueries();
      navigate(`/demandes/${edit?.numero}?modifiee=1`);
    },
    onError: (error) => {
      const data = errorData(error);
      if (data.field) {
        const path = nearestField(data.field.replace(/^demande\./, ""), labels);
        setErrors(new Map([[path, messageOf(error)]]));
        setTimeout(() => summary.current?.focus(), 0);
      }
    },
  });

  const submitEdit = () => {
    const demande = check();
    if (!demande || !edit) return;
    if (!motif.trim()) {
      setErrors(new Map([["motif", "indiquez l'origine de la modification"]]));
      setTimeout(() => summary.current?.focus(), 0);
      return;
    }
    update.mutate({
      numeroUnique: edit.numero,
      expectedVersion: edit.version,
      motif: motif.trim(),
      demande: mergeWithOriginal(edit.form, demande),
    });
  };

  const submit = (doublons?: Parameters<typeof registration.register.mutate>[0]["doublons"]) => {
    const demande = check();
    if (!demande) return;
    const recues = state.pieces
      .filter((k) => state.cotitulaire || !k.startsWith("cotitulaire:"))
      .map((k) => {
        const [personne, piece] = k.split(":") as ["demandeur" | "cotitulaire", string];
        return { piece, personne };
      });
    if (!recues.some((p) => p.piece === "PIECE_IDENTITE")) {
      setErrors(new Map([["pieces", "pièce d'identité obligatoire : cochez la pièce reçue"]]));
      setTimeout(() => summary.current?.focus(), 0);
      return;
    }
    register.mutate({ demande, pieces: { recues, eeeOuSuisse: [] }, ...(doublons ? { doublons } : {}) });
  };

  const errorList = [...errors.entries()];
  const otherError =
    (register.error && !errorData(register.error).field && errorData(register.error).reason !== "POSSIBLE_DUPLICATE") ||
    (update.error && !errorData(update.error).field);
  return (
    <Page
      title={edit ? `Modifier la demande ${edit.numero}` : "Enregistrer une demande"}
      lead="Formulaire national de demande de logement social (cerfa 14069). Les champs sans mention « facultatif » sont obligatoires."
    >
      <div ref={summary} tabIndex={-1}>
        {errorList.length > 0 ? (
          <Alert
            severity="error"
            title={`${errorList.length} champ${errorList.length > 1 ? "s" : ""} à corriger`}
            className={fr.cx("fr-mb-3w")}
            description={
              <ul>
                {errorList.map(([path, message]) => (
                  <li key={path}>
                    <a href={`#${fieldId(path)}`}>
                      {labels.get(path) ?? path} : {message}
                    </a>
                  </li>
                ))}
              </ul>
            }
          />
        ) : null}
      </div>
      {otherError ? (
        <Alert
          severity="error"
          title="L'enregistrement n'a pas abouti"
          description={messageOf(register.error ?? update.error)}
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      <Ctx.Provider value={{ state, set, errors, labels }}>
        <form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            setCandidates(undefined);
            if (edit) submitEdit();
            else submit();
          }}
        >
          <Section title="Département de la demande">
            <div className={fr.cx("fr-col-12", "fr-col-md-4")}>
              <Select
                label="Département"
                nativeSelectProps={{
                  id: fieldId("departement"),
                  value: state.values.departement ?? "",
                  onChange: (e) => set("departement", e.target.value),
                }}
              >
                {departements.map((d) => (
                  <option key={d} value={d}>
                    {d}
                  </option>
                ))}
              </Select>
            </div>
          </Section>
          <Section title="1. Le demandeur">
            <Person prefix="demandeur" />
          </Section>
          <Section title="2. Le conjoint ou co-titulaire">
            <div className={fr.cx("fr-col-12")}>
              <Checkbox
                options={[
                  {
                    label: "La demande est faite avec un conjoint ou co-titulaire",
                    nativeInputProps: {
                      checked: state.cotitulaire,
                      onChange: (e) => setState((s) => ({ ...s, cotitulaire: e.target.checked })),
                    },
                  },
                ]}
              />
            </div>
            {state.cotitulaire ? (
              <>
                <CodeSelect
                  path="cotitulaire.lienDemandeur"
                  label="Lien avec le demandeur"
                  list="lienDemandeur"
                  col={3}
                />
                <Person prefix="cotitulaire" />
              </>
            ) : null}
          </Section>
          <Section title="3. Les personnes à charge" hint="Enfants et autres personnes qui vivront dans le logement">
            {state.personnes.map((p, i) => (
              <div key={i} className={fr.cx("fr-col-12", "fr-grid-row", "fr-grid-row--gutters")}>
                {(["nom", "prenom", "dateNaissance"] as const).map((k) => {
                  const path = `personnesACharge.${i}.${k}`;
                  const label = `${{ nom: "Nom", prenom: "Prénom", dateNaissance: "Date de naissance" }[k]} (personne ${i + 1})`;
                  labels.set(path, label);
                  return (
                    <div key={k} className={fr.cx("fr-col-12", "fr-col-md-3")}>
                      <Input
                        label={label}
                        hintText={k === "dateNaissance" ? "jj/mm/aaaa" : undefined}
                        state={errors.get(path) ? "error" : "default"}
                        stateRelatedMessage={errors.get(path)}
                        nativeInputProps={{
                          id: fieldId(path),
                          type: "text",
                          value: p[k],
                          onChange: (e) =>
                            setState((s) => ({
                              ...s,
                              personnes: s.personnes.map((q, j) => (j === i ? { ...q, [k]: e.target.value } : q)),
                            })),
                        }}
                      />
                    </div>
                  );
                })}
                <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
                  <Button
                    type="button"
                    priority="tertiary"
                    iconId="fr-icon-delete-line"
                    onClick={() => setState((s) => ({ ...s, personnes: s.personnes.filter((_, j) => j !== i) }))}
                  >
                    Retirer la personne {i + 1}
                  </Button>
                </div>
              </div>
            ))}
            <div className={fr.cx("fr-col-12")}>
              <Button
                type="button"
                priority="secondary"
                iconId="fr-icon-add-line"
                onClick={() =>
                  setState((s) => ({
                    ...s,
                    personnes: [...s.personnes, { nom: "", prenom: "", dateNaissance: "", lienParente: "E" }],
                  }))
                }
              >
                Ajouter une personne à charge
              </Button>
            </div>
          </Section>
          <Section title="4. Coordonnées">
            <Field path="contact.adresse.numero" label="Numéro" hint="facultatif" col={3} />
            <Field path="contact.adresse.voie" label="Voie" autoComplete="address-line1" col={6} />
            <Field path="contact.adresse.codePostal" label="Code postal" autoComplete="postal-code" col={3} />
            <Field path="contact.adresse.commune" label="Commune (code INSEE)" hint="ex. 69388 pour Lyon 8e" col={3} />
            <Field path="contact.telephone" label="Téléphone" type="tel" autoComplete="tel" hint="facultatif" col={3} />
            <Field
              path="contact.email"
              label="Adresse électronique"
              type="email"
              autoComplete="email"
              hint="facultatif"
              col={6}
            />
          </Section>
          <Section title="5. Logement actuel">
            <CodeSelect path="logementActuel.modele" label="Situation de logement" list="modeleLogement" col={6} />
            <Field path="logementActuel.nombreOccupants" label="Nombre d'occupants" type="number" col={3} />
            <Field path="logementActuel.surface" label="Surface (m²)" hint="facultatif" col={3} />
            <Field path="logementActuel.loyerMensuel" label="Loyer mensuel (€)" hint="facultatif" col={3} />
          </Section>
          <Section title="6. Motifs de la demande" hint="Un motif au moins">
            <div className={fr.cx("fr-col-12")} id={fieldId("motifs")} tabIndex={-1}>
              <Checkbox
                legend="Motifs"
                state={errors.get("motifs") ? "error" : "default"}
                stateRelatedMessage={errors.get("motifs")}
                options={Object.entries(sneCodeLists.lists.motifDemande).map(([code, text]) => ({
                  label: text,
                  nativeInputProps: {
                    checked: state.motifs.includes(code),
                    onChange: () => toggle("motifs", code),
                    value: code,
                  },
                }))}
              />
            </div>
            {state.motifs.includes("23") ? (
              <Field path="motifs.precision" label="Précision du motif « autre »" col={12} />
            ) : null}
          </Section>
          <Section title="7. Logement recherché">
            <div className={fr.cx("fr-col-12")} id={fieldId("souhaits.typologies")} tabIndex={-1}>
              <Checkbox
                legend="Typologies recherchées"
                orientation="horizontal"
                state={errors.get("souhaits.typologies") ? "error" : "default"}
                stateRelatedMessage={errors.get("souhaits.typologies")}
                options={Object.entries(sneCodeLists.lists.typeLogement).map(([code, text]) => ({
                  label: text,
                  nativeInputProps: {
                    checked: state.typologies.includes(code),
                    onChange: () => toggle("typologies", code),
                    value: code,
                  },
                }))}
              />
            </div>
            <Field
              path="souhaits.communes"
              label="Communes souhaitées (codes INSEE)"
              hint="séparées par des virgules, ex. 69383, 69388"
              col={6}
            />
            <CodeSelect path="souhaits.categorie" label="Type de logement" list="categorieRecherche" col={3} />
            <Field path="souhaits.loyerMaximum" label="Loyer maximum (€)" hint="facultatif" col={3} />
          </Section>
          <Section title="8. Situations particulières" hint="Les détails sensibles sont saisis par un agent habilité">
            <CodeSelect path="situations.dalo.statut" label="Recours DALO" list="statutDalo" col={4} />
            <div className={fr.cx("fr-col-12", "fr-col-md-8")}>
              <Checkbox
                legend="Situations déclarées"
                options={[
                  ["situations.handicap", "Personne en situation de handicap dans le ménage"],
                  ["situations.violencesFamiliales", "Violences au sein du couple ou de la famille"],
                  ["souhaits.logementAdapte", "Logement adapté au handicap souhaité"],
                  ["souhaits.ascenseurNecessaire", "Ascenseur nécessaire"],
                ].map(([path = "", label]) => ({
                  label,
                  nativeInputProps: {
                    checked: state.flags[path] ?? false,
                    onChange: (e) => setFlag(path, e.target.checked),
                  },
                }))}
              />
            </div>
          </Section>
          {edit ? (
            <Section title="9. Origine de la modification">
              <div className={fr.cx("fr-col-12")}>
                <Input
                  label="Origine de la modification"
                  hintText="déclaration du demandeur, pièce justificative reçue…"
                  state={errors.get("motif") ? "error" : "default"}
                  stateRelatedMessage={errors.get("motif")}
                  nativeInputProps={{ id: fieldId("motif"), value: motif, onChange: (e) => setMotif(e.target.value) }}
                />
              </div>
            </Section>
          ) : (
            <Section
              title="9. Pièces reçues"
              hint="La copie d'une pièce d'identité de chaque adulte et, le cas échéant, du titre de séjour"
            >
              <div className={fr.cx("fr-col-12")} id={fieldId("pieces")} tabIndex={-1}>
                <Checkbox
                  legend="Pièces remises par le demandeur"
                  state={errors.get("pieces") ? "error" : "default"}
                  stateRelatedMessage={errors.get("pieces")}
                  options={[
                    ["demandeur:PIECE_IDENTITE", "Pièce d'identité du demandeur"],
                    ["demandeur:TITRE_SEJOUR", "Titre de séjour du demandeur"],
                    ...(state.cotitulaire
                      ? [
                          ["cotitulaire:PIECE_IDENTITE", "Pièce d'identité du co-titulaire"],
                          ["cotitulaire:TITRE_SEJOUR", "Titre de séjour du co-titulaire"],
                        ]
                      : []),
                  ].map(([key = "", label]) => ({
                    label,
                    nativeInputProps: {
                      checked: state.pieces.includes(key),
                      onChange: () =>
                        setState((s) => ({
                          ...s,
                          pieces: s.pieces.includes(key) ? s.pieces.filter((k) => k !== key) : [...s.pieces, key],
                        })),
                    },
                  }))}
                />
              </div>
            </Section>
          )}
          {candidates ? null : (
            <Button type="submit" iconId="fr-icon-save-line" disabled={register.isPending || update.isPending}>
              {register.isPending || update.isPending
                ? "Enregistrement…"
                : edit
                  ? "Enregistrer les modifications"
                  : "Enregistrer la demande"}
            </Button>
          )}
        </form>
      </Ctx.Provider>
      {candidates ? (
        <div ref={duplicates} tabIndex={-1} className={fr.cx("fr-mt-4w")}>
          <Alert
            severity="warning"
            title="Doublon possible"
            description="Des demandes existantes ressemblent à ce ménage. Examinez-les, puis indiquez s'il s'agit d'un ménage distinct ou du même ménage."
            className={fr.cx("fr-mb-3w")}
          />
          <Table
            caption="Demandes qui ressemblent à ce ménage"
            fixed={false}
            headers={[
              "Numéro unique",
              "Demandeur",
              "Né(e) le",
              "Statut",
              "Dépôt",
              "Guichet",
              "Ressemblance",
              "Raisons",
              "Décision",
            ]}
            data={candidates.map((c) => [
              c.numeroUnique,
              `${c.demandeur.nom.toUpperCase()} ${c.demandeur.prenom}`,
              frDate(c.demandeur.dateNaissance),
              statusLabels[c.statut] ?? c.statut,
              frDate(c.dateDepot),
              c.guichet,
              frPercent(c.score),
              c.raisons.join(" ; "),
              <Button
                key="link"
                size="small"
                priority="secondary"
                onClick={() =>
                  submit({
                    decision: "meme-menage",
                    examines: candidates.map((x) => x.numeroUnique),
                    numeroRetenu: c.numeroUnique,
                  })
                }
              >
                Même ménage : rattacher
              </Button>,
            ])}
          />
          <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
            <Button
              iconId="fr-icon-check-line"
              disabled={register.isPending}
              onClick={() => submit({ decision: "distinct", examines: candidates.map((x) => x.numeroUnique) })}
            >
              Ménage distinct : enregistrer la demande
            </Button>
            <Button priority="tertiary" onClick={() => setCandidates(undefined)}>
              Revenir au formulaire
            </Button>
          </div>
        </div>
      ) : null}
    </Page>
  );
}

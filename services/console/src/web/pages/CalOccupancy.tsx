import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { AvisOccupation, libellesAvisOccupation } from "@logis/contracts";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ErrorAlert } from "../components";
import { cal, errorData } from "../lib/api";
import { type AgendaItem, type Membre, type SessionView, situationsOccupation } from "../lib/cal-views";

type Code = (typeof AvisOccupation.options)[number];
type Vote = "pour" | "contre" | "abstention";
type OccupancyItem = Extract<AgendaItem, { kind: "EXAMEN_OCCUPATION" }>;

/**
 * The CALEOL's examinations of the leases on the agenda (L442-5-2): each lease's situation, and the
 * commission's opinion, which the secretary records in session (quorum reached) with the ballots.
 */
export function OccupancyExaminations({
  session,
  items,
  manage,
  onChange,
}: {
  session: SessionView;
  items: OccupancyItem[];
  manage: boolean;
  onChange: () => Promise<void>;
}) {
  const [examining, setExamining] = useState<OccupancyItem>();
  const mayRecord = manage && session.statut === "ouverte";
  return (
    <div className={fr.cx("fr-mb-4w")}>
      <h3 className={fr.cx("fr-h6")}>Examens de l'occupation des logements (CALEOL)</h3>
      <Table
        caption="Baux examinés par la commission (CALEOL)"
        fixed={false}
        headers={["Bail", "Logement", "Situation", "Avis de la commission", ...(mayRecord ? ["Action"] : [])]}
        data={items.map((o) => {
          const examen = session.examens?.find((e) => e.bailId === o.bailId);
          return [
            o.bailId,
            o.rplsId,
            situationsOccupation[o.situation] ?? o.situation,
            examen
              ? [
                  examen.avis,
                  examen.caracteristiquesLogementAdapte
                    ? `logement adapté : ${examen.caracteristiquesLogementAdapte}`
                    : "",
                  examen.accessionSocialeConseillee ? "accession sociale conseillée" : "",
                  examen.commentaire ?? "",
                ]
                  .filter(Boolean)
                  .join(" — ")
              : "à examiner",
            ...(mayRecord
              ? [
                  examen ? (
                    "—"
                  ) : (
                    <Button
                      key="a"
                      size="small"
                      priority="tertiary"
                      title={`Rendre l'avis sur le bail ${o.bailId}`}
                      onClick={() => setExamining(o)}
                    >
                      Rendre l'avis
                    </Button>
                  ),
                ]
              : []),
          ];
        })}
      />
      {manage &&
      session.statut === "programmee" &&
      items.some((o) => !session.examens?.some((e) => e.bailId === o.bailId)) ? (
        <p className={fr.cx("fr-text--sm")}>L'avis se rend en séance : relevez les présences pour l'ouvrir.</p>
      ) : null}
      {examining ? (
        <OpinionForm
          key={examining.bailId}
          sessionId={session._id}
          item={examining}
          voters={session.membres.filter((m) => m.voix === "deliberative" && session.presents.includes(m.id))}
          onDone={async (recorded) => {
            setExamining(undefined);
            if (recorded) await onChange();
          }}
        />
      ) : null}
    </div>
  );
}

/** The opinion from the legal list, the adapted unit's characteristics when one is to be offered, the ballots. */
function OpinionForm({
  sessionId,
  item,
  voters,
  onDone,
}: {
  sessionId: string;
  item: OccupancyItem;
  voters: Membre[];
  onDone: (recorded: boolean) => Promise<void>;
}) {
  const [code, setCode] = useState<Code | "">("");
  const [caracteristiques, setCaracteristiques] = useState("");
  const [accession, setAccession] = useState(false);
  const [commentaire, setCommentaire] = useState("");
  const [missing, setMissing] = useState<"code" | "caracteristiques">();
  const [votes, setVotes] = useState<Record<string, Vote>>(() =>
    Object.fromEntries(voters.map((m) => [m.id, "pour" as Vote])),
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const save = useMutation({
    mutationFn: () =>
      cal.recordOccupancyOpinion.mutate({
        id: sessionId,
        bailId: item.bailId,
        code: code as Code,
        ...(caracteristiques.trim() ? { caracteristiquesLogementAdapte: caracteristiques.trim() } : {}),
        ...(commentaire.trim() ? { commentaire: commentaire.trim() } : {}),
        accessionSocialeConseillee: accession,
        bulletins: voters.map((m) => ({ membreId: m.id, vote: votes[m.id] ?? "pour" })),
      }),
    onSuccess: () => onDone(true),
  });
  const data = errorData(save.error);
  const field = data.field ?? data.issues?.[0]?.path.join(".");
  const serverError = (name: string) => (field?.startsWith(name) ? save.error?.message : undefined);
  const codeError = missing === "code" ? "Choisissez l'avis de la commission dans la liste." : serverError("code");
  const caracteristiquesError =
    missing === "caracteristiques"
      ? "Décrivez le logement adapté à proposer (typologie, étage, accessibilité…)."
      : serverError("caracteristiquesLogementAdapte");
  const accessionError = serverError("accessionSocialeConseillee");
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!code) return setMissing("code");
    if (code === "SITUATION_CONSTATEE_OFFRE_ADAPTEE" && !caracteristiques.trim()) return setMissing("caracteristiques");
    setMissing(undefined);
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="avis-occupation" noValidate className={fr.cx("fr-mt-3w")}>
      <h3 id="avis-occupation" ref={heading} tabIndex={-1} className={fr.cx("fr-h5")}>
        Avis sur l'occupation du bail {item.bailId} ({situationsOccupation[item.situation] ?? item.situation})
      </h3>
      <Select
        label="Avis de la commission"
        state={codeError ? "error" : "default"}
        stateRelatedMessage={codeError}
        nativeSelectProps={{ value: code, onChange: (e) => setCode(e.target.value as Code) }}
      >
        <option value="">Choisir</option>
        {AvisOccupation.options.map((c) => (
          <option key={c} value={c}>
            {libellesAvisOccupation[c]}
          </option>
        ))}
      </Select>
      <Input
        label="Caractéristiques du logement adapté à proposer"
        hintText="obligatoires quand un logement adapté est à proposer (article L442-5-2)"
        textArea
        state={caracteristiquesError ? "error" : "default"}
        stateRelatedMessage={caracteristiquesError}
        nativeTextAreaProps={{ value: caracteristiques, onChange: (e) => setCaracteristiques(e.target.value) }}
      />
      <Checkbox
        state={accessionError ? "error" : "default"}
        stateRelatedMessage={accessionError}
        options={[
          {
            label: "Accession sociale conseillée",
            nativeInputProps: { checked: accession, onChange: (e) => setAccession(e.target.checked) },
          },
        ]}
      />
      <Input
        label="Commentaire (facultatif)"
        nativeInputProps={{ value: commentaire, onChange: (e) => setCommentaire(e.target.value) }}
      />
      <fieldset className={fr.cx("fr-fieldset")}>
        <legend className={fr.cx("fr-fieldset__legend")}>Votes des membres présents à voix délibérative</legend>
        {voters.length === 0 ? <p>Aucun membre délibératif présent : relevez d'abord les présences.</p> : null}
        {voters.map((m) => (
          <div key={m.id} className={fr.cx("fr-fieldset__element")}>
            <Select
              label={m.nom}
              nativeSelectProps={{
                value: votes[m.id] ?? "pour",
                onChange: (e) => setVotes({ ...votes, [m.id]: e.target.value as Vote }),
              }}
            >
              <option value="pour">pour</option>
              <option value="contre">contre</option>
              <option value="abstention">abstention</option>
            </Select>
          </div>
        ))}
      </fieldset>
      {save.error && !codeError && !caracteristiquesError && !accessionError ? (
        <ErrorAlert error={save.error} title="L'avis n'a pas été enregistré" />
      ) : null}
      <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Enregistrement…" : "Enregistrer l'avis"}
        </Button>
        <Button type="button" priority="secondary" onClick={() => onDone(false)}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

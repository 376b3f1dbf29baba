import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { MotifIrrecevabilite, MotifNonAttribution, PieceManquante, TypeDecision } from "@logis/contracts";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ErrorAlert } from "../components";
import { cal, errorData } from "../lib/api";
import { type AgendaCandidate, decisionLabels, type Membre } from "../lib/cal-views";
import { isoFromFr } from "../lib/format";

type Vote = "pour" | "contre" | "abstention";
type Decision = (typeof TypeDecision.options)[number];

const motifLabel = (code: string) => code.toLowerCase().replaceAll("_", " ");

/**
 * Records the commission's decision on one candidate: its kind, rank or condition or reasons as the
 * law asks, and the ballot of each deliberative member present (the CAL counts them against its
 * rules and the quorum, and says in French what is missing).
 */
export function DecisionForm({
  sessionId,
  attributionId,
  candidate,
  voters,
  onDone,
}: {
  sessionId: string;
  attributionId: string;
  candidate: AgendaCandidate;
  voters: Membre[];
  onDone: (recorded: boolean) => void;
}) {
  const [decision, setDecision] = useState<Decision>("ATTRIBUTION_RANG");
  const [rang, setRang] = useState("1");
  const [motif, setMotif] = useState("");
  const [precision, setPrecision] = useState("");
  const [piece, setPiece] = useState<string>("AVIS_IMPOSITION");
  const [avant, setAvant] = useState("");
  const [votes, setVotes] = useState<Record<string, Vote>>(() =>
    Object.fromEntries(voters.map((m) => [m.id, "pour" as Vote])),
  );
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const save = useMutation({
    mutationFn: () =>
      cal.recordDecision.mutate({
        id: sessionId,
        attributionId,
        demandId: candidate.demandId,
        decision,
        // A ranked attribution and one under a suspensive condition both carry the candidate's rank.
        ...(decision === "ATTRIBUTION_RANG" || decision === "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE"
          ? { rang: Number(rang) }
          : {}),
        ...(decision === "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE"
          ? { condition: { piece: piece as (typeof PieceManquante.options)[number], avant: isoFromFr(avant) } }
          : {}),
        ...((decision === "NON_ATTRIBUTION" || decision === "REJET_IRRECEVABILITE") && motif
          ? {
              motifs: [
                {
                  code: motif as (typeof MotifNonAttribution.options)[number],
                  ...(precision.trim() ? { precision: precision.trim() } : {}),
                },
              ],
            }
          : {}),
        bulletins: voters.map((m) => ({ membreId: m.id, vote: votes[m.id] ?? "pour" })),
      }),
    onSuccess: () => onDone(true),
  });
  const field = errorData(save.error).field;
  const fieldError = (name: string) => (field?.startsWith(name) ? save.error?.message : undefined);
  const motifs = decision === "REJET_IRRECEVABILITE" ? MotifIrrecevabilite.options : MotifNonAttribution.options;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="decision" className={fr.cx("fr-mt-4w")} noValidate>
      <h3 id="decision" ref={heading} tabIndex={-1} className={fr.cx("fr-h5")}>
        Décision pour la demande {candidate.numeroUnique}
      </h3>
      <Select
        label="Décision"
        state={fieldError("decision") ? "error" : "default"}
        stateRelatedMessage={fieldError("decision")}
        nativeSelectProps={{ value: decision, onChange: (e) => setDecision(e.target.value as Decision) }}
      >
        {TypeDecision.options.map((d) => (
          <option key={d} value={d}>
            {decisionLabels[d] ?? d}
          </option>
        ))}
      </Select>
      {decision === "ATTRIBUTION_RANG" || decision === "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE" ? (
        <Input
          label="Rang"
          hintText="1 pour le premier attributaire"
          state={fieldError("rang") ? "error" : "default"}
          stateRelatedMessage={fieldError("rang")}
          nativeInputProps={{ value: rang, inputMode: "numeric", onChange: (e) => setRang(e.target.value) }}
        />
      ) : null}
      {decision === "ATTRIBUTION_SOUS_CONDITION_SUSPENSIVE" ? (
        <>
          <Select
            label="Pièce à fournir"
            nativeSelectProps={{ value: piece, onChange: (e) => setPiece(e.target.value) }}
          >
            {PieceManquante.options.map((p) => (
              <option key={p} value={p}>
                {motifLabel(p)}
              </option>
            ))}
          </Select>
          <Input
            label="À fournir avant le"
            hintText="jj/mm/aaaa"
            state={fieldError("condition") ? "error" : "default"}
            stateRelatedMessage={fieldError("condition")}
            nativeInputProps={{ value: avant, onChange: (e) => setAvant(e.target.value) }}
          />
        </>
      ) : null}
      {decision === "NON_ATTRIBUTION" || decision === "REJET_IRRECEVABILITE" ? (
        <>
          <Select
            label="Motif"
            state={fieldError("motifs") ? "error" : "default"}
            stateRelatedMessage={fieldError("motifs")}
            nativeSelectProps={{ value: motif, onChange: (e) => setMotif(e.target.value) }}
          >
            <option value="">Choisir</option>
            {motifs.map((m) => (
              <option key={m} value={m}>
                {motifLabel(m)}
              </option>
            ))}
          </Select>
          <Input
            label="Précision (facultative)"
            nativeInputProps={{ value: precision, onChange: (e) => setPrecision(e.target.value) }}
          />
        </>
      ) : null}
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
      {save.error && !["decision", "rang", "condition", "motifs"].some((f) => field?.startsWith(f)) ? (
        <ErrorAlert error={save.error} title="La décision n'a pas été enregistrée" />
      ) : null}
      <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Enregistrement…" : "Enregistrer la décision"}
        </Button>
        <Button type="button" priority="secondary" onClick={() => onDone(false)}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ErrorAlert } from "../components";
import { errorData, flux } from "../lib/api";
import { frDate } from "../lib/format";
import type { Orientation } from "./FluxYear";

/**
 * Landlord staff override an orientation: another reserver, and a written reason that stays in the
 * ledger (flux refuses a reason too short to explain anything, naming the field).
 */
export function OverrideForm({
  orientation,
  choices,
  nameOf,
  onDone,
}: {
  orientation: Orientation;
  choices: string[];
  nameOf: (id: string) => string;
  onDone: (message?: string) => void;
}) {
  const queryClient = useQueryClient();
  const [reservataireId, setReservataireId] = useState("");
  const [motif, setMotif] = useState("");
  const [missing, setMissing] = useState<"reservataireId" | "motif">();
  const save = useMutation({
    mutationFn: () => flux.overrideOrientation.mutate({ rplsId: orientation.rplsId, reservataireId, motif }),
    onSuccess: async (v) => {
      await queryClient.invalidateQueries({ queryKey: ["flux-orientations"] });
      await queryClient.invalidateQueries({ queryKey: ["flux-balance"] });
      onDone(
        `Orientation modifiée : le logement ${orientation.rplsId} est désormais orienté vers ${nameOf(
          v?.cible?.reservataireId ?? reservataireId,
        )}. La dérogation et son motif sont tracés au registre.`,
      );
    },
  });
  const heading = useRef<HTMLHeadingElement>(null);
  // The form opens below the table: bring it into view and give it the focus (keyboard users).
  useEffect(() => heading.current?.focus(), []);
  const field = missing ?? errorData(save.error).field;
  const messageFor = (name: "reservataireId" | "motif") => {
    if (missing === name)
      return name === "motif" ? "Écrivez le motif de la dérogation." : "Choisissez le réservataire destinataire.";
    return field === name ? save.error?.message : undefined;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!reservataireId) return setMissing("reservataireId");
    if (!motif.trim()) return setMissing("motif");
    setMissing(undefined);
    save.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="derogation" className={fr.cx("fr-mt-4w", "fr-p-3w")} noValidate>
      <h3 id="derogation" ref={heading} tabIndex={-1} className={fr.cx("fr-h5")}>
        Déroger à l'orientation du logement {orientation.rplsId} (libéré le {frDate(orientation.libereLe)})
      </h3>
      <p className={fr.cx("fr-text--sm")}>
        Orienté aujourd'hui vers {orientation.cible ? nameOf(orientation.cible.reservataireId) : "—"} :{" "}
        {(orientation.motif ?? "motif non précisé").replace(/\.$/, "")}.
      </p>
      <Select
        label="Nouveau réservataire"
        state={messageFor("reservataireId") ? "error" : "default"}
        stateRelatedMessage={messageFor("reservataireId")}
        nativeSelectProps={{
          id: "derogation-reservataire",
          value: reservataireId,
          onChange: (e) => setReservataireId(e.target.value),
        }}
      >
        <option value="" disabled>
          Choisir
        </option>
        {choices.map((id) => (
          <option key={id} value={id}>
            {nameOf(id)}
          </option>
        ))}
      </Select>
      <Input
        label="Motif écrit de la dérogation"
        hintText="il figure au registre et au bilan : une phrase qui explique le choix"
        textArea
        state={messageFor("motif") ? "error" : "default"}
        stateRelatedMessage={messageFor("motif")}
        nativeTextAreaProps={{ id: "derogation-motif", value: motif, onChange: (e) => setMotif(e.target.value) }}
      />
      {save.error && field !== "motif" && field !== "reservataireId" ? (
        <ErrorAlert error={save.error} title="La dérogation n'a pas été enregistrée" />
      ) : null}
      <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Enregistrement…" : "Enregistrer la dérogation"}
        </Button>
        <Button type="button" priority="secondary" onClick={() => onDone()}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

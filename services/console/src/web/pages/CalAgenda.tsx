import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { libellesMotifRetrait, MotifRetraitOrdreDuJour } from "@logis/contracts";
import { useMutation } from "@tanstack/react-query";
import { type FormEvent, useEffect, useRef, useState } from "react";
import { ErrorAlert } from "../components";
import { cal, errorData } from "../lib/api";
import { type AgendaItem, itemKey, type RemovedView, type SessionView, situationsOccupation } from "../lib/cal-views";
import { frDate, frDatesIn, frNumber } from "../lib/format";
import { organisationName } from "../lib/organisations";
import { Link } from "../lib/router";

type Motif = (typeof MotifRetraitOrdreDuJour.options)[number];

const itemLabel = (item: AgendaItem) =>
  item.kind === "ATTRIBUTION" ? `Logement ${item.rplsId}` : `Bail ${item.bailId} (logement ${item.rplsId})`;

/**
 * The order in which a session not yet held examines its items, which the secretary changes (one
 * item up or down at a time, keyboard included), and the removal of an item with its reason: the CAL
 * plans it again on a next session, and says which.
 */
export function AgendaOrder({ session, onChange }: { session: SessionView; onChange: () => Promise<void> }) {
  const [removing, setRemoving] = useState<AgendaItem>();
  const [removed, setRemoved] = useState<{ label: string; view: RemovedView }>();
  const [announce, setAnnounce] = useState("");
  const reorder = useMutation({
    mutationFn: (ordre: string[]) => cal.reorderAgenda.mutate({ id: session._id, ordre }),
    onSuccess: onChange,
  });
  const keys = session.agenda.map(itemKey);
  const move = (from: number, to: number) => {
    const ordre = [...keys];
    const [key] = ordre.splice(from, 1);
    if (key === undefined) return;
    ordre.splice(to, 0, key);
    const item = session.agenda[from];
    setAnnounce(item ? `${itemLabel(item)} passe en position ${to + 1}.` : "");
    reorder.mutate(ordre);
  };

  return (
    <section aria-labelledby="ordre-examen" className={`${fr.cx("fr-mb-6w")} logis-no-print`}>
      <h2 id="ordre-examen" className={fr.cx("fr-h4")}>
        Organiser l'ordre du jour
      </h2>
      <p>
        La commission examine les points dans cet ordre. Un point retiré avant la séance est replanifié sur une séance
        suivante de la commission.
      </p>
      {removed ? <RemovedNotice label={removed.label} view={removed.view} /> : null}
      <p role="status" aria-live="polite" className={fr.cx("fr-sr-only")}>
        {reorder.isSuccess ? announce : ""}
      </p>
      {reorder.error ? <ErrorAlert error={reorder.error} title="L'ordre n'a pas été enregistré" /> : null}
      <Table
        caption="Ordre d'examen des points"
        fixed={false}
        headers={["N°", "Point", "Objet", "Actions"]}
        data={session.agenda.map((item, i) => [
          frNumber(i + 1),
          itemLabel(item),
          item.kind === "ATTRIBUTION"
            ? `attribution, réservataire ${organisationName(item.reservataireId)}, ${frNumber(item.candidats.length)} candidat(s)`
            : `examen d'occupation (${situationsOccupation[item.situation] ?? item.situation})`,
          <div key="a" className={fr.cx("fr-btns-group", "fr-btns-group--inline", "fr-btns-group--sm")}>
            <Button
              size="small"
              priority="tertiary"
              disabled={i === 0 || reorder.isPending}
              title={`Monter : ${itemLabel(item)}`}
              onClick={() => move(i, i - 1)}
            >
              Monter
            </Button>
            <Button
              size="small"
              priority="tertiary"
              disabled={i === session.agenda.length - 1 || reorder.isPending}
              title={`Descendre : ${itemLabel(item)}`}
              onClick={() => move(i, i + 1)}
            >
              Descendre
            </Button>
            <Button
              size="small"
              priority="secondary"
              title={`Retirer de l'ordre du jour : ${itemLabel(item)}`}
              onClick={() => {
                setRemoved(undefined);
                setRemoving(item);
              }}
            >
              Retirer
            </Button>
          </div>,
        ])}
      />
      {removing ? (
        <RemoveForm
          key={itemKey(removing)}
          sessionId={session._id}
          item={removing}
          onDone={async (view) => {
            setRemoving(undefined);
            if (view) {
              setRemoved({ label: itemLabel(removing), view });
              await onChange();
            }
          }}
        />
      ) : null}
    </section>
  );
}

/** The reason of a removal, from the legal list; "autre" asks for a comment. */
function RemoveForm({
  sessionId,
  item,
  onDone,
}: {
  sessionId: string;
  item: AgendaItem;
  onDone: (removed: RemovedView | undefined) => Promise<void>;
}) {
  const [motif, setMotif] = useState<Motif | "">("");
  const [commentaire, setCommentaire] = useState("");
  const [missing, setMissing] = useState<"motif" | "commentaire">();
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const remove = useMutation({
    mutationFn: async () =>
      (await cal.removeAgendaItem.mutate({
        id: sessionId,
        itemId: itemKey(item),
        motif: motif as Motif,
        ...(commentaire.trim() ? { commentaire: commentaire.trim() } : {}),
      })) as unknown as RemovedView,
    onSuccess: (view) => onDone(view),
  });
  const field = errorData(remove.error).field;
  const motifError = missing === "motif" ? "Choisissez le motif du retrait." : undefined;
  const commentError =
    missing === "commentaire"
      ? "Précisez le motif « autre » en commentaire."
      : field === "commentaire"
        ? remove.error?.message
        : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    if (!motif) return setMissing("motif");
    if (motif === "AUTRE" && !commentaire.trim()) return setMissing("commentaire");
    setMissing(undefined);
    remove.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="retrait" noValidate className={fr.cx("fr-mt-3w")}>
      <h3 id="retrait" ref={heading} tabIndex={-1} className={fr.cx("fr-h5")}>
        Retirer de l'ordre du jour : {itemLabel(item)}
      </h3>
      <Select
        label="Motif du retrait"
        state={motifError ? "error" : "default"}
        stateRelatedMessage={motifError}
        nativeSelectProps={{ value: motif, onChange: (e) => setMotif(e.target.value as Motif) }}
      >
        <option value="">Choisir</option>
        {MotifRetraitOrdreDuJour.options.map((m) => (
          <option key={m} value={m}>
            {libellesMotifRetrait[m]}
          </option>
        ))}
      </Select>
      <Input
        label="Commentaire"
        hintText="obligatoire pour le motif « autre » ; il figure au journal de la séance"
        textArea
        state={commentError ? "error" : "default"}
        stateRelatedMessage={commentError}
        nativeTextAreaProps={{ value: commentaire, onChange: (e) => setCommentaire(e.target.value) }}
      />
      {remove.error && !commentError ? <ErrorAlert error={remove.error} title="Le point n'a pas été retiré" /> : null}
      <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md")}>
        <Button type="submit" disabled={remove.isPending}>
          {remove.isPending ? "Retrait en cours…" : "Retirer le point"}
        </Button>
        <Button type="button" priority="secondary" onClick={() => onDone(undefined)}>
          Annuler
        </Button>
      </div>
    </form>
  );
}

function RemovedNotice({ label, view }: { label: string; view: RemovedView }) {
  const r = view.replanification;
  return (
    <Alert
      severity={r?.sessionId ? "success" : "warning"}
      title={`${label} retiré de l'ordre du jour`}
      description={
        r?.sessionId && r.date ? (
          <>
            Replanifié à la{" "}
            <Link href={`/cal/seances/${encodeURIComponent(r.sessionId)}`}>séance du {frDate(r.date)}</Link>.
          </>
        ) : (
          `Aucune séance suivante ne l'accueille${r?.motif ? ` (${frDatesIn(r.motif)})` : ""} : programmez une séance au calendrier, puis ajoutez-le à son ordre du jour.`
        )
      }
      className={fr.cx("fr-mb-3w")}
    />
  );
}

/** The items taken off this session's agenda, with their reason (for the record). */
export function Withdrawn({ session }: { session: SessionView }) {
  const retraits = session.retraits ?? [];
  if (retraits.length === 0) return null;
  return (
    <Table
      caption="Points retirés de l'ordre du jour"
      fixed={false}
      headers={["Point", "Motif", "Commentaire", "Retiré le"]}
      data={retraits.map((r) => [
        r.nature === "ATTRIBUTION" ? `Logement ${r.rplsId}` : `Bail ${r.cle} (logement ${r.rplsId})`,
        libellesMotifRetrait[r.motif as Motif] ?? r.motif,
        r.commentaire ?? "—",
        frDate(r.le),
      ])}
    />
  );
}

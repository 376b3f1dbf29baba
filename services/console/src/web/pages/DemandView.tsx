import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { sneCodeLists } from "@logis/contracts";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { ErrorAlert, Facts, Loading, Page, usePaged } from "../components";
import { can } from "../lib/access";
import { query, registration } from "../lib/api";
import { frDate, frDateTime, frNumber } from "../lib/format";
import { actionLabels, labelOf, statusLabels } from "../lib/labels";
import { useLocation } from "../lib/router";
import { useSession } from "../lib/session";

// Motifs a desk may pick: non-renewal is automatic, irrecevabilité is the CAL's (R441-2-8).
const deskMotifs = ["RADABA", "RADCON", "RADATT", "RADIRR"] as const;
type Motif = (typeof deskMotifs)[number];

function Radiate({ numero, onDone }: { numero: string; onDone: () => void }) {
  const [motif, setMotif] = useState<Motif | "">("");
  const [commentaire, setCommentaire] = useState("");
  const [missing, setMissing] = useState(false);
  const radiate = useMutation({
    mutationFn: () =>
      registration.radiate.mutate({
        numeroUnique: numero,
        motif: motif as Motif,
        ...(commentaire ? { commentaire } : {}),
      }),
    onSuccess: onDone,
  });
  return (
    <form
      className={fr.cx("fr-mt-3w", "fr-p-3w")}
      style={{ border: "1px solid var(--border-default-grey)" }}
      onSubmit={(e) => {
        e.preventDefault();
        if (!motif) return setMissing(true);
        radiate.mutate();
      }}
    >
      <h2 className={fr.cx("fr-h5")}>Radier la demande</h2>
      {radiate.error ? <ErrorAlert error={radiate.error} title="La radiation n'a pas abouti" /> : null}
      <Select
        label="Motif national de radiation"
        state={missing && !motif ? "error" : "default"}
        stateRelatedMessage={missing && !motif ? "choisissez un motif" : undefined}
        nativeSelectProps={{ value: motif, onChange: (e) => setMotif(e.target.value as Motif) }}
      >
        <option value="">Choisir</option>
        {deskMotifs.map((m) => (
          <option key={m} value={m}>
            {sneCodeLists.lists.motifRadiation[m]}
          </option>
        ))}
      </Select>
      <Input
        label="Commentaire"
        hintText="facultatif"
        textArea
        nativeTextAreaProps={{ value: commentaire, onChange: (e) => setCommentaire(e.target.value) }}
      />
      <Button type="submit" iconId="fr-icon-close-circle-line" disabled={radiate.isPending}>
        Confirmer la radiation
      </Button>
    </form>
  );
}

export function DemandView({ numero }: { numero: string }) {
  const session = useSession();
  const { search } = useLocation();
  const queryClient = useQueryClient();
  const demand = useQuery({
    queryKey: ["demand", numero],
    queryFn: () => query(registration.get)({ numeroUnique: numero }),
  });
  const history = useQuery({
    queryKey: ["history", numero],
    queryFn: () => query(registration.history)({ numeroUnique: numero }),
  });
  const newestFirst = useMemo(() => [...(history.data?.history ?? [])].reverse(), [history.data]);
  const historyPages = usePaged(newestFirst);
  const [radiating, setRadiating] = useState(false);
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: ["demand", numero] });
    void queryClient.invalidateQueries({ queryKey: ["history", numero] });
    void queryClient.invalidateQueries({ queryKey: ["search"] });
  };
  const renew = useMutation({
    mutationFn: () => registration.renew.mutate({ numeroUnique: numero }),
    onSuccess: refresh,
  });
  const principal = session?.principal;
  const d = demand.data;
  const f = d && "form" in d ? d.form : undefined;
  return (
    <Page title={`Demande ${numero}`}>
      {search.get("modifiee") ? (
        <Alert
          severity="success"
          title="Demande modifiée"
          description="La modification est inscrite à l'historique."
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      {search.get("rattachee") ? (
        <Alert
          severity="info"
          title="Même ménage"
          description={`Aucune nouvelle demande : le ménage est rattaché à sa demande existante ${numero}.`}
          className={fr.cx("fr-mb-3w")}
        />
      ) : null}
      {search.get("enregistree") ? (
        <Alert
          severity="success"
          title="Demande enregistrée"
          description={`Numéro unique : ${numero}. Remettez l'attestation au demandeur.`}
          className={fr.cx("fr-mb-3w")}
          small={false}
        />
      ) : null}
      {demand.isPending ? <Loading what="du dossier" /> : null}
      {demand.error ? (
        <ErrorAlert error={demand.error} retry={() => demand.refetch()} title="Le dossier n'a pas pu être lu" />
      ) : null}
      {d ? (
        <>
          <p>
            <Badge severity={d.status === "active" ? "success" : d.status === "radiated" ? "error" : "info"}>
              {statusLabels[d.status] ?? d.status}
            </Badge>
          </p>
          <Facts
            items={[
              ["Demandeur", f ? `${f.demandeur.nom.toUpperCase()} ${f.demandeur.prenom}` : "—"],
              ["Né(e) le", frDate(f?.demandeur.dateNaissance)],
              ["Département", d.departement],
              ["Guichet", d.guichet.nom],
              ["Dépôt (ancienneté)", frDate(d.dateDepot)],
              ["Dernier renouvellement", frDate(d.dateDernierRenouvellement)],
              ["Valable jusqu'au", frDate(d.validUntil)],
              ["Typologies souhaitées", f?.souhaits.typologies.join(", ") ?? "—"],
              ["Communes souhaitées", f?.souhaits.communes.join(", ") ?? "—"],
              ["Situation de logement", f ? labelOf("modeleLogement", f.logementActuel.modele) : "—"],
              ["Occupants", f ? frNumber(f.logementActuel.nombreOccupants) : "—"],
              ["Motifs", f ? f.motifs.map((m) => labelOf("motifDemande", m.code)).join(" ; ") : "—"],
              ["Recours DALO", f ? labelOf("statutDalo", f.situations.dalo.statut) : "—"],
              ...(d.radiation
                ? ([
                    ["Radiation", `${labelOf("motifRadiation", d.radiation.motif)} le ${frDate(d.radiation.date)}`],
                  ] as [string, string][])
                : []),
            ]}
          />
          {"sensibleMasque" in d && d.sensibleMasque ? (
            <Alert
              severity="info"
              small
              description="Des informations sensibles sont masquées : seul un agent habilité peut les lire."
              className={fr.cx("fr-mb-3w")}
            />
          ) : null}
          <div className={fr.cx("fr-btns-group", "fr-btns-group--inline-md", "fr-btns-group--icon-left")}>
            <Button
              iconId="fr-icon-printer-line"
              priority="secondary"
              linkProps={{ href: `/demandes/${numero}/attestation` }}
            >
              Attestation d'enregistrement
            </Button>
            {principal && can(principal, "score.read") ? (
              <Button
                iconId="fr-icon-bar-chart-box-line"
                priority="secondary"
                linkProps={{ href: `/cotation/${numero}` }}
              >
                Cotation
              </Button>
            ) : null}
            {principal && can(principal, "demand.update") && d.status === "active" ? (
              <Button
                iconId="fr-icon-edit-line"
                priority="secondary"
                linkProps={{ href: `/demandes/${numero}/modifier` }}
              >
                Modifier
              </Button>
            ) : null}
            {principal && can(principal, "demand.update") && d.status === "active" ? (
              <Button
                iconId="fr-icon-refresh-line"
                priority="secondary"
                onClick={() => renew.mutate()}
                disabled={renew.isPending}
              >
                Renouveler
              </Button>
            ) : null}
            {principal && can(principal, "demand.radiate") && d.status === "active" ? (
              <Button iconId="fr-icon-close-circle-line" priority="tertiary" onClick={() => setRadiating((r) => !r)}>
                Radier…
              </Button>
            ) : null}
          </div>
          {renew.isSuccess ? (
            <Alert
              severity="success"
              small
              description={`Demande renouvelée jusqu'au ${frDate(renew.data.validUntil)}.`}
              className={fr.cx("fr-mb-3w")}
            />
          ) : null}
          {renew.error ? <ErrorAlert error={renew.error} title="Le renouvellement n'a pas abouti" /> : null}
          {radiating && d.status === "active" ? (
            <Radiate
              numero={numero}
              onDone={() => {
                setRadiating(false);
                refresh();
              }}
            />
          ) : null}
        </>
      ) : null}
      <h2 className={fr.cx("fr-h4", "fr-mt-4w")}>Historique</h2>
      {history.isPending ? <Loading what="de l'historique" /> : null}
      {history.error ? (
        <ErrorAlert error={history.error} retry={() => history.refetch()} title="L'historique n'a pas pu être lu" />
      ) : null}
      {history.data ? (
        <>
          <Table
            caption="Historique du dossier"
            noCaption
            fixed={false}
            headers={["Date", "Action", "Par", "Champs modifiés", "Commentaire"]}
            data={historyPages.shown.map((h) => [
              frDateTime(h.at),
              actionLabels[h.action] ?? h.action,
              h.by.name ?? h.by.userId ?? "—",
              h.changes.length ? h.changes.join(", ") : "—",
              h.comment ?? "—",
            ])}
          />
          {historyPages.pager}
        </>
      ) : null}
    </Page>
  );
}

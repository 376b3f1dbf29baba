import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { type FormEvent, useState } from "react";
import { Empty, ErrorAlert, Facts, Loading, Page } from "../components";
import { can } from "../lib/access";
import { cal, errorData, messageOf, query } from "../lib/api";
import {
  type AgendaCandidate,
  type AttributionView,
  type CancelledView,
  decisionLabels,
  type OfferView,
  offerLabels,
  piecesLabels,
  quorumOf,
  type SessionView,
  voixLabel,
} from "../lib/cal-views";
import { frDate, frNumber } from "../lib/format";
import { organisationName } from "../lib/organisations";
import { Link } from "../lib/router";
import { useSession } from "../lib/session";
import { AgendaOrder, Withdrawn } from "./CalAgenda";
import { DecisionForm } from "./CalDecision";
import { OccupancyExaminations } from "./CalOccupancy";
import { OfferActions } from "./CalOffer";

type AttributionItem = Extract<SessionView["agenda"][number], { kind: "ATTRIBUTION" }>;
type OccupancyItem = Extract<SessionView["agenda"][number], { kind: "EXAMEN_OCCUPATION" }>;

/**
 * A CAL session: attendance and quorum, the agenda with each unit's candidates (eligibility, why
 * they were shortlisted), the decisions and their votes, the close, then the offers and their
 * deadlines; the minutes to print.
 */
export function CalSession({ id }: { id: string }) {
  const principal = useSession()?.principal;
  const manage = principal ? can(principal, "cal.manage") : false;
  const queryClient = useQueryClient();
  const session = useQuery({
    queryKey: ["cal-session", id],
    queryFn: async () => (await query(cal.getSession)({ id })) as unknown as SessionView,
    // Others change a session too (the agenda is planned by the landlord's system): read it afresh on opening.
    staleTime: 0,
  });
  const items = (session.data?.agenda ?? []).filter((i): i is AttributionItem => i.kind === "ATTRIBUTION");
  const occupancy = (session.data?.agenda ?? []).filter((i): i is OccupancyItem => i.kind === "EXAMEN_OCCUPATION");
  const attributions = useQueries({
    queries: items.map((item) => ({
      queryKey: ["cal-attribution", item.attributionId, session.data?.statut],
      queryFn: async () => (await query(cal.getAttribution)({ id: item.attributionId })) as unknown as AttributionView,
    })),
  });
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: ["cal-session", id] });
    await queryClient.invalidateQueries({ queryKey: ["cal-attribution"] });
  };
  const [presents, setPresents] = useState<string[]>();
  const attendance = useMutation({
    mutationFn: (list: string[]) => cal.recordAttendance.mutate({ id, presents: list }),
    onSuccess: refresh,
  });
  const close = useMutation({ mutationFn: () => cal.closeSession.mutate({ id }), onSuccess: refresh });
  const [deciding, setDeciding] = useState<{ item: AttributionItem; candidate: AgendaCandidate }>();
  const [cancelled, setCancelled] = useState<CancelledView>();

  if (session.isPending)
    return (
      <Page title="Séance de la commission">
        <Loading what="de la séance" />
      </Page>
    );
  if (session.error)
    return (
      <Page title="Séance de la commission">
        {errorData(session.error).httpStatus === 404 ? (
          <Empty title="Séance introuvable">
            Cette séance n'est pas programmée : revenez au <Link href="/cal">calendrier des séances</Link> pour la
            programmer.
          </Empty>
        ) : (
          <ErrorAlert error={session.error} retry={() => session.refetch()} title="La séance n'a pas pu être lue" />
        )}
      </Page>
    );
  const s = session.data;
  const quorum = quorumOf(s);
  const open = s.statut === "programmee" || s.statut === "ouverte";
  const checked = presents ?? s.presents;
  const decisionOf = (attributionId: string, demandId: string) =>
    s.decisions.find((d) => d.attributionId === attributionId && d.demandId === demandId);

  return (
    <Page title={`Séance du ${frDate(s.date)}`} lead={`Commission ${s.commissionId}`}>
      {cancelled ? <CancelledNotice view={cancelled} /> : null}
      <Facts
        items={[
          [
            "Statut",
            <Badge key="s" small noIcon severity={s.statut === "close" ? "success" : "info"}>
              {s.statut === "programmee" ? "programmée" : s.statut === "annulee" ? "annulée" : s.statut}
            </Badge>,
          ],
          ["Mode", s.mode],
          ["Ordre du jour", `${frNumber(s.agenda.length)} point(s), ${frNumber(s.capacite)} au plus`],
          ["Règlement intérieur", `version ${s.reglement.version}`],
        ]}
      />
      <p className="logis-no-print">
        <Link href={`/cal/seances/${id}/proces-verbal`}>Procès-verbal à imprimer</Link>
      </p>

      <section aria-labelledby="presences" className={fr.cx("fr-mb-6w")}>
        <h2 id="presences" className={fr.cx("fr-h4")}>
          Présences et quorum
        </h2>
        <p>
          {quorum.atteint ? (
            <Badge severity="success" small>
              Quorum atteint
            </Badge>
          ) : (
            <Badge severity="warning" small>
              Quorum non atteint
            </Badge>
          )}{" "}
          {frNumber(quorum.presents)} membre(s) à voix délibérative présent(s) sur {frNumber(quorum.requis)} requis.
          {quorum.atteint ? "" : " La commission ne peut pas délibérer : relevez les présences."}
        </p>
        {manage && open ? (
          <form
            onSubmit={(e) => {
              e.preventDefault();
              attendance.mutate(checked);
            }}
          >
            <Checkbox
              legend="Membres présents"
              options={s.membres.map((m) => ({
                label: `${m.nom} (${m.qualite}, voix ${m.voix === "deliberative" ? "délibérative" : "consultative"})`,
                nativeInputProps: {
                  name: "presents",
                  value: m.id,
                  checked: checked.includes(m.id),
                  onChange: (e) =>
                    setPresents(e.target.checked ? [...checked, m.id] : checked.filter((x) => x !== m.id)),
                },
              }))}
            />
            <Button type="submit" priority="secondary" disabled={attendance.isPending}>
              Enregistrer les présences
            </Button>
            {attendance.error ? (
              <ErrorAlert error={attendance.error} title="Les présences n'ont pas été enregistrées" />
            ) : null}
          </form>
        ) : (
          <Table
            caption="Membres"
            noCaption
            fixed={false}
            headers={["Membre", "Qualité", "Voix", "Présent"]}
            data={s.membres.map((m) => [
              m.nom,
              m.qualite,
              voixLabel(m.voix),
              s.presents.includes(m.id) ? "oui" : "non",
            ])}
          />
        )}
      </section>

      {manage && s.statut === "programmee" && s.agenda.length > 0 ? (
        <AgendaOrder session={s} onChange={refresh} />
      ) : null}

      <section aria-labelledby="ordre" className={fr.cx("fr-mb-6w")}>
        <h2 id="ordre" className={fr.cx("fr-h4")}>
          Ordre du jour
        </h2>
        {items.length === 0 && occupancy.length === 0 ? (
          <Empty title="Aucun logement à l'ordre du jour">
            Un logement s'inscrit à l'ordre du jour quand ses candidats sont proposés (désignation du réservataire ou
            proposition du bailleur).
          </Empty>
        ) : null}
        {items.map((item, i) => {
          const att = attributions[i]?.data;
          return (
            <div key={item.attributionId} className={fr.cx("fr-mb-4w")}>
              <h3 className={fr.cx("fr-h6")}>
                Logement {item.rplsId}
                {att?.logement
                  ? ` · ${att.logement.typologie} · ${att.logement.financement} · ${att.logement.commune}`
                  : ""}{" "}
                — réservataire {organisationName(item.reservataireId)}
              </h3>
              <Table
                caption={`Candidats pour le logement ${item.rplsId}`}
                fixed={false}
                headers={[
                  "Demande",
                  "DALO",
                  "Éligibilité",
                  "Pourquoi présenté",
                  "Décision",
                  ...(manage ? ["Action"] : []),
                ]}
                data={item.candidats.map((c) => {
                  const proposed = att?.candidats?.find((p) => p.demandId === c.demandId);
                  const decision = decisionOf(item.attributionId, c.demandId);
                  return [
                    c.numeroUnique,
                    c.dalo ? "oui" : "non",
                    c.eligibilite.eligible ? (
                      <Badge key="e" small severity="success">
                        éligible
                      </Badge>
                    ) : (
                      <span key="e">
                        <Badge small severity="error">
                          non éligible
                        </Badge>{" "}
                        {c.eligibilite.refus.map((r) => r.message).join(" ; ")}
                      </span>
                    ),
                    <Why
                      key="w"
                      attributionId={item.attributionId}
                      numeroUnique={c.numeroUnique}
                      known={
                        proposed?.justification
                          ? `${proposed.justification}${proposed.rangCotation ? ` (rang ${proposed.rangCotation.rank} sur ${proposed.rangCotation.of})` : ""}`
                          : undefined
                      }
                    />,
                    decision
                      ? `${decisionLabels[decision.type] ?? decision.type}${decision.rang ? ` (rang ${decision.rang})` : ""} — ${decision.votes.pour} pour, ${decision.votes.contre} contre, ${decision.votes.abstention} abst.`
                      : "à décider",
                    ...(manage
                      ? [
                          !decision && s.statut === "ouverte" ? (
                            <Button
                              key="d"
                              size="small"
                              priority="tertiary"
                              title={`Décider pour la demande ${c.numeroUnique}`}
                              onClick={() => setDeciding({ item, candidate: c })}
                            >
                              Décider
                            </Button>
                          ) : (
                            "—"
                          ),
                        ]
                      : []),
                  ];
                })}
              />
              {att && att.offres.length > 0 ? (
                <Table
                  caption={`Offres pour le logement ${item.rplsId}`}
                  fixed={false}
                  headers={[
                    "Demande",
                    "Rang",
                    "Notifiée le",
                    "Répondre avant",
                    "Condition",
                    "Statut",
                    ...(manage ? ["Suite"] : []),
                  ]}
                  data={att.offres.map((o) => [
                    o.numeroUnique,
                    frNumber(o.rang),
                    frDate(o.notifieeLe),
                    frDate(o.repondreAvant),
                    o.condition ? (
                      <Condition
                        key="c"
                        attributionId={item.attributionId}
                        offer={o}
                        manage={manage}
                        onChange={refresh}
                      />
                    ) : (
                      "—"
                    ),
                    offerLabels[o.statut] ?? o.statut,
                    ...(manage
                      ? [
                          <OfferActions
                            key="a"
                            attributionId={item.attributionId}
                            offer={o}
                            bail={att.bail}
                            onChange={refresh}
                          />,
                        ]
                      : []),
                  ])}
                />
              ) : null}
            </div>
          );
        })}
        {occupancy.length > 0 ? (
          <OccupancyExaminations session={s} items={occupancy} manage={manage} onChange={refresh} />
        ) : null}
        <Withdrawn session={s} />
        {manage && s.statut === "programmee" ? <AddItem id={id} onDone={refresh} /> : null}
        {deciding ? (
          <DecisionForm
            key={`${deciding.item.attributionId}-${deciding.candidate.demandId}`}
            sessionId={id}
            attributionId={deciding.item.attributionId}
            candidate={deciding.candidate}
            voters={s.membres.filter((m) => m.voix === "deliberative" && s.presents.includes(m.id))}
            onDone={async (recorded) => {
              setDeciding(undefined);
              if (recorded) await refresh();
            }}
          />
        ) : null}
      </section>

      {manage && s.statut === "ouverte" ? (
        <section aria-labelledby="cloture">
          <h2 id="cloture" className={fr.cx("fr-h4")}>
            Clôture
          </h2>
          <p>Clore la séance applique ses décisions : les offres partent vers les attributaires classés premiers.</p>
          <Button onClick={() => close.mutate()} disabled={close.isPending}>
            Clore la séance
          </Button>
          {close.error ? <ErrorAlert error={close.error} title="La séance n'a pas été close" /> : null}
        </section>
      ) : null}
      {manage && open ? (
        <CancelSession
          id={id}
          onDone={async (v) => {
            setCancelled(v);
            await refresh();
          }}
        />
      ) : null}
      {s.statut === "annulee" && !cancelled ? (
        <Alert
          severity="warning"
          small
          description="Séance annulée : son ordre du jour a été replanifié sur les séances suivantes de la commission."
        />
      ) : null}
      {s.statut === "close" ? (
        <Alert
          severity="success"
          small
          description="Séance close : les décisions sont appliquées et les offres notifiées."
        />
      ) : null}
    </Page>
  );
}

/** Why a household is on the list: what the proposal said, and the CAL's own account on request. */
function Why({ attributionId, numeroUnique, known }: { attributionId: string; numeroUnique: string; known?: string }) {
  const why = useMutation({
    mutationFn: () => query(cal.whyCandidate)({ id: attributionId, numeroUnique }),
  });
  return (
    <>
      {known ?? "—"}
      {why.data ? (
        <span className={fr.cx("fr-text--sm")} style={{ display: "block" }}>
          Selon la CAL : {why.data.motif}
        </span>
      ) : (
        <Button
          size="small"
          priority="tertiary no outline"
          title={`Pourquoi la demande ${numeroUnique} est-elle présentée ?`}
          onClick={() => why.mutate()}
          disabled={why.isPending}
        >
          Pourquoi ?
        </Button>
      )}
      {why.error ? (
        <span className={fr.cx("fr-text--sm")} style={{ display: "block" }}>
          Explication indisponible : {why.error.message}
        </span>
      ) : null}
    </>
  );
}

/** The secretary adds a unit whose candidates are proposed to the agenda of a session not yet open. */
function AddItem({ id, onDone }: { id: string; onDone: () => Promise<void> }) {
  const [attributionId, setAttributionId] = useState("");
  const [missing, setMissing] = useState(false);
  const add = useMutation({
    mutationFn: () => cal.planItem.mutate({ id, attributionId: attributionId.trim() }),
    onSuccess: async () => {
      setAttributionId("");
      await onDone();
    },
  });
  const data = errorData(add.error);
  const message = missing
    ? "Indiquez la référence de l'attribution (att_…)."
    : data.field === "attributionId" || data.issues?.[0]?.path.join(".") === "attributionId"
      ? (data.issues?.[0]?.message ?? add.error?.message)
      : undefined;
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMissing(attributionId.trim() === "");
    if (attributionId.trim() !== "") add.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="ajout" noValidate className={`${fr.cx("fr-mt-3w")} logis-no-print`}>
      <h3 id="ajout" className={fr.cx("fr-h6")}>
        Ajouter un logement à l'ordre du jour
      </h3>
      <Input
        label="Référence de l'attribution"
        hintText="att_<numéro RPLS>_<date de libération>, indiquée sur la page de l'attribution du logement"
        state={message ? "error" : "default"}
        stateRelatedMessage={message}
        nativeInputProps={{
          id: "ajout-attribution",
          value: attributionId,
          onChange: (e) => setAttributionId(e.target.value),
        }}
      />
      {add.error && !message ? <ErrorAlert error={add.error} title="Le logement n'a pas été ajouté" /> : null}
      <Button type="submit" priority="secondary" disabled={add.isPending}>
        Ajouter à l'ordre du jour
      </Button>
    </form>
  );
}

/** Cancelling a session: a written reason; the CAL plans its agenda again on the commission's next sessions. */
function CancelSession({ id, onDone }: { id: string; onDone: (view: CancelledView) => Promise<void> }) {
  const [motif, setMotif] = useState("");
  const [missing, setMissing] = useState(false);
  const cancel = useMutation({
    mutationFn: async () => (await cal.cancelSession.mutate({ id, motif: motif.trim() })) as unknown as CancelledView,
    onSuccess: onDone,
  });
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setMissing(motif.trim() === "");
    if (motif.trim() !== "") cancel.mutate();
  };
  return (
    <form onSubmit={submit} aria-labelledby="annulation" noValidate className={`${fr.cx("fr-mt-6w")} logis-no-print`}>
      <h2 id="annulation" className={fr.cx("fr-h4")}>
        Annuler la séance
      </h2>
      <p>Les logements de son ordre du jour sont replanifiés sur les séances suivantes de la commission.</p>
      <Input
        label="Motif de l'annulation"
        hintText="il figure au procès-verbal"
        textArea
        state={missing ? "error" : "default"}
        stateRelatedMessage={missing ? "Écrivez le motif de l'annulation." : undefined}
        nativeTextAreaProps={{ id: "annulation-motif", value: motif, onChange: (e) => setMotif(e.target.value) }}
      />
      {cancel.error ? <ErrorAlert error={cancel.error} title="La séance n'a pas été annulée" /> : null}
      <Button type="submit" priority="secondary" disabled={cancel.isPending}>
        Annuler la séance
      </Button>
    </form>
  );
}

function CancelledNotice({ view }: { view: CancelledView }) {
  const r = view.replanification;
  return (
    <Alert
      severity="warning"
      title="Séance annulée"
      className={fr.cx("fr-mb-3w")}
      description={
        <>
          {r && r.placements.length > 0
            ? r.placements.map((p) => (
                <span key={p.attributionId} style={{ display: "block" }}>
                  {p.attributionId} replanifié à la{" "}
                  <Link href={`/cal/seances/${encodeURIComponent(p.sessionId)}`}>séance du {frDate(p.date)}</Link>
                </span>
              ))
            : "Aucun logement à replanifier."}
          {r?.nonPlaces.map((n) => (
            <span key={n.attributionId} style={{ display: "block" }}>
              {n.attributionId} non replanifié : {n.motif}
            </span>
          ))}
        </>
      }
    />
  );
}

/** A suspensive condition: the piece awaited and its deadline; the secretary records the piece received. */
function Condition({
  attributionId,
  offer,
  manage,
  onChange,
}: {
  attributionId: string;
  offer: OfferView;
  manage: boolean;
  onChange: () => Promise<void>;
}) {
  const supply = useMutation({
    mutationFn: () =>
      cal.supplyPiece.mutate({
        id: attributionId,
        demandId: offer.demandId,
        piece: offer.condition?.piece as "AVIS_IMPOSITION",
      }),
    onSuccess: onChange,
  });
  const c = offer.condition;
  if (!c) return <>—</>;
  const label = piecesLabels[c.piece] ?? c.piece;
  if (c.levee) return <>{label} : fournie (condition levée)</>;
  return (
    <>
      {label} avant le {frDate(c.avant)}
      {manage && offer.statut !== "refusee" && offer.statut !== "echue" ? (
        <>
          <br />
          <Button
            size="small"
            priority="tertiary"
            onClick={() => supply.mutate()}
            disabled={supply.isPending}
            title={`Pièce reçue pour la demande ${offer.numeroUnique} : ${label}`}
          >
            Pièce reçue
          </Button>
        </>
      ) : null}
      {supply.error ? <span className={fr.cx("fr-error-text")}>{messageOf(supply.error)}</span> : null}
    </>
  );
}

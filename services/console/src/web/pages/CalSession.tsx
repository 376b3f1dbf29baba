import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Checkbox } from "@codegouvfr/react-dsfr/Checkbox";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useMutation, useQueries, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { Empty, ErrorAlert, Facts, Loading, Page } from "../components";
import { can } from "../lib/access";
import { cal, errorData, query } from "../lib/api";
import {
  type AgendaCandidate,
  type AttributionView,
  decisionLabels,
  offerLabels,
  quorumOf,
  type SessionView,
  voixLabel,
} from "../lib/cal-views";
import { frDate, frNumber } from "../lib/format";
import { Link } from "../lib/router";
import { useSession } from "../lib/session";
import { DecisionForm } from "./CalDecision";
import { OfferActions } from "./CalOffer";

type AttributionItem = Extract<SessionView["agenda"][number], { kind: "ATTRIBUTION" }>;

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
          <ErrorAlert error={session.error} title="La séance n'a pas pu être lue" />
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

      <section aria-labelledby="ordre" className={fr.cx("fr-mb-6w")}>
        <h2 id="ordre" className={fr.cx("fr-h4")}>
          Ordre du jour
        </h2>
        {items.length === 0 ? (
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
                — réservataire {item.reservataireId}
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
                    o.condition ? `${o.condition.piece} avant le ${frDate(o.condition.avant)}` : "—",
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

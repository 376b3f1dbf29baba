import { fr } from "@codegouvfr/react-dsfr";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { useQuery } from "@tanstack/react-query";
import { Empty, ErrorAlert, Facts, Loading, Page } from "../components";
import { cal, query } from "../lib/api";
import { type MinutesView, voixLabel } from "../lib/cal-views";
import { frDate, frNumber } from "../lib/format";
import { organisationName } from "../lib/organisations";
import { Link } from "../lib/router";

/** The minutes of a session, built by the CAL from its events, laid out to print. */
export function CalMinutes({ id }: { id: string }) {
  const minutes = useQuery({
    queryKey: ["cal-minutes", id],
    queryFn: async () => (await query(cal.sessionMinutes)({ id })) as unknown as MinutesView,
  });
  const m = minutes.data;
  return (
    <Page title={m ? `Procès-verbal de la séance du ${frDate(m.date)}` : "Procès-verbal"}>
      <p className="logis-no-print">
        <Link href={`/cal/seances/${id}`}>Retour à la séance</Link>
      </p>
      {minutes.isPending ? <Loading what="du procès-verbal" /> : null}
      {minutes.error ? (
        <ErrorAlert error={minutes.error} retry={() => minutes.refetch()} title="Le procès-verbal n'a pas pu être lu" />
      ) : null}
      {m ? (
        <div className="logis-attestation">
          <h2 className={fr.cx("fr-h4")}>{m.titre.replace(/\d{4}-\d{2}-\d{2}/, (d) => frDate(d))}</h2>
          <Facts
            items={[
              ["Commission", m.commissionId],
              ["Date", frDate(m.date)],
              ["Mode", m.mode],
              ["Statut", m.statut],
              ["Règlement intérieur", `version ${m.reglement}`],
              [
                "Quorum",
                `${frNumber(m.quorum.presents)} présent(s) à voix délibérative, ${frNumber(m.quorum.requis)} requis : ${m.quorum.atteint ? "atteint" : "non atteint"}`,
              ],
            ]}
          />
          {m.annulation ? (
            <p>
              Séance annulée le {frDate(m.annulation.le)} : {m.annulation.motif}
            </p>
          ) : null}
          <Table
            caption="Membres"
            fixed={false}
            headers={["Membre", "Qualité", "Voix", "Présence"]}
            data={m.membres.map((x) => [x.nom, x.qualite, voixLabel(x.voix), x.present ? "présent" : "absent"])}
          />
          {m.logements.length === 0 ? (
            <Empty title="Aucun logement examiné">
              L'ordre du jour de cette séance était vide : ajoutez les logements à examiner depuis la page de la séance.
            </Empty>
          ) : null}
          {m.logements.map((l) => (
            <Table
              key={l.rplsId}
              caption={`Logement ${l.rplsId} (réservataire ${organisationName(l.reservataireId)})`}
              fixed={false}
              headers={["Demande", "Décision", "Rang", "Condition", "Motifs", "Votes"]}
              data={l.candidats.map((c) => [
                c.numeroUnique,
                c.decision ?? "non examinée",
                c.rang ? frNumber(c.rang) : "—",
                c.condition ?? "—",
                c.motifs.join(" ; ") || "—",
                c.votes ?? "—",
              ])}
            />
          ))}
          <Button className="logis-no-print" iconId="fr-icon-printer-line" onClick={() => window.print()}>
            Imprimer
          </Button>
        </div>
      ) : null}
    </Page>
  );
}

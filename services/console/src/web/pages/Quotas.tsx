import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Badge } from "@codegouvfr/react-dsfr/Badge";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { useMutation, useQuery } from "@tanstack/react-query";
import { Empty, ErrorAlert, Loading } from "../components";
import { download, query, reporting } from "../lib/api";
import { frDecimal, frNumber } from "../lib/format";

type QuotasView = Awaited<ReturnType<typeof reporting.quotas.query>>;
type Suivi = QuotasView["epcis"][number]["q1HorsQpv"];

const pct = (n: number) => `${frDecimal(n)}\u00a0%`;
const etats: Record<Suivi["etat"], { label: string; severity: "success" | "warning" | "error" | "info" }> = {
  atteint: { label: "objectif atteint", severity: "success" },
  "en-retard": { label: "en retard, encore atteignable", severity: "warning" },
  "hors-d-atteinte": { label: "hors d'atteinte cette année", severity: "error" },
  "sans-objet": { label: "sans objet (aucune attribution comptée)", severity: "info" },
};

/** One legal objective as a gauge: the rate so far, the target's mark, and the state in words. */
function Gauge({ label, suivi }: { label: string; suivi: Suivi }) {
  const etat = etats[suivi.etat];
  const sentence = `${label} : ${suivi.taux === undefined ? "pas encore de taux" : pct(suivi.taux)} pour un objectif de ${pct(suivi.cible)} (${frNumber(suivi.numerateur)} sur ${frNumber(suivi.denominateur)}) — ${etat.label}.`;
  return (
    <div className={fr.cx("fr-mb-3w")}>
      <p className={fr.cx("fr-mb-1w")}>
        <strong>{label}</strong>{" "}
        <Badge small severity={etat.severity} noIcon>
          {etat.label}
        </Badge>
      </p>
      <div className="logis-gauge" role="img" aria-label={sentence} data-etat={suivi.etat}>
        <div className="logis-gauge__fill" style={{ width: `${Math.min(100, suivi.taux ?? 0)}%` }} />
        <div className="logis-gauge__target" style={{ left: `${Math.min(100, suivi.cible)}%` }} />
      </div>
      <p className={fr.cx("fr-text--sm", "fr-mt-1w")}>
        {suivi.taux === undefined ? "Pas encore de taux" : `Taux ${pct(suivi.taux)}`} · objectif {pct(suivi.cible)} ·{" "}
        {frNumber(suivi.numerateur)} sur {frNumber(suivi.denominateur)} attribution(s)
      </p>
    </div>
  );
}

/** The legal objectives of the year to date per EPCI, their warnings, and their CSV. */
export function Quotas({ departement, epci, annee }: { departement: string; epci: string; annee: number }) {
  const input = { ...(departement ? { departement } : {}), ...(epci ? { epci } : {}), annee };
  const quotas = useQuery({ queryKey: ["quotas", input], queryFn: () => query(reporting.quotas)(input) });
  const csv = useMutation({
    mutationFn: () =>
      download(
        "reporting",
        `/v1/objectifs/csv?${new URLSearchParams({ ...input, annee: String(annee) } as Record<string, string>)}`,
        `objectifs-${annee}.csv`,
      ),
  });
  return (
    <>
      {quotas.isPending ? <Loading what="des objectifs légaux" /> : null}
      {quotas.error ? (
        <ErrorAlert error={quotas.error} retry={() => quotas.refetch()} title="Les objectifs n'ont pas pu être lus" />
      ) : null}
      {quotas.data ? (
        <>
          {quotas.data.avertissements.length === 0 ? (
            <p>Aucun avertissement : chaque objectif est atteint ou encore atteignable au rythme de l'année.</p>
          ) : (
            quotas.data.avertissements.map((a) => (
              <Alert
                key={a.id}
                severity={a.etat === "hors-d-atteinte" ? "error" : "warning"}
                small
                className={fr.cx("fr-mb-2w")}
                description={`${a.message} Il faut ${frNumber(a.requises)} attribution(s) conforme(s) sur les ${frNumber(a.attributionsRestantes)} attendue(s) d'ici la fin de l'année.`}
              />
            ))
          )}
          {quotas.data.epcis.length === 0 ? (
            <Empty title="Aucune attribution comptée cette année dans ce périmètre">
              Les objectifs se suivent par EPCI à partir du premier bail signé de l'année ; élargissez le périmètre ou
              revenez après les premières attributions.
            </Empty>
          ) : null}
          {quotas.data.epcis.map((e) => (
            <div key={e.epci} className={fr.cx("fr-mb-4w")}>
              <h3 className={fr.cx("fr-h6")}>
                {e.libelle} ({e.epci})
              </h3>
              <Gauge label="Premier quartile hors QPV" suivi={e.q1HorsQpv} />
              <Gauge label="Autres quartiles en QPV" suivi={e.autresQuartilesEnQpv} />
              {e.prioritairesParReservataire.map((r) => (
                <Gauge key={r.reservataireId} label={`Ménages DALO et prioritaires — ${r.reservataireId}`} suivi={r} />
              ))}
            </div>
          ))}
        </>
      ) : null}
      <Button priority="secondary" iconId="fr-icon-download-line" onClick={() => csv.mutate()} disabled={csv.isPending}>
        Télécharger les objectifs (CSV pour tableur)
      </Button>
      {csv.data ? (
        <Alert
          severity="success"
          small
          className={fr.cx("fr-mt-2w")}
          description={`Fichier ${csv.data.name} téléchargé (${frNumber(csv.data.size)} octets).`}
        />
      ) : null}
      {csv.error ? <ErrorAlert error={csv.error} title="Les objectifs n'ont pas pu être téléchargés" /> : null}
    </>
  );
}

import { fr } from "@codegouvfr/react-dsfr";
import { Alert } from "@codegouvfr/react-dsfr/Alert";
import { Button } from "@codegouvfr/react-dsfr/Button";
import { Input } from "@codegouvfr/react-dsfr/Input";
import { Pagination } from "@codegouvfr/react-dsfr/Pagination";
import { Select } from "@codegouvfr/react-dsfr/Select";
import { Table } from "@codegouvfr/react-dsfr/Table";
import { keepPreviousData, useMutation, useQuery } from "@tanstack/react-query";
import { type FormEvent, useMemo, useState } from "react";
import { BarChart } from "../BarChart";
import { Empty, ErrorAlert, Facts, Loading, Page } from "../components";
import { download, query, reporting } from "../lib/api";
import { frDate, frDecimal, frNumber, isoFromFr, todayInParis } from "../lib/format";
import { organisationName } from "../lib/organisations";
import { navigate, useLocation } from "../lib/router";
import { useSession } from "../lib/session";
import { Quotas } from "./Quotas";

const PAGE_SIZE = 15;
/** A share the service gives in percent (`20` → `20 %`). */
const pct = (n: number) => `${frDecimal(n)}\u00a0%`;
const orDash = (n: number | undefined, f: (n: number) => string = frNumber) => (n === undefined ? "—" : f(n));

/**
 * Statistics of the territory: the demand (stock, new, radiations, waiting time, tension) and the
 * attributions (per reserver, contingent, landlord; DALO, priority households, first quartile,
 * QPV), as tables and charts, each with its CSV for spreadsheets. The filters live in the address.
 */
export function Reports() {
  const principal = useSession()?.principal;
  const { search } = useLocation();
  const today = todayInParis();
  const filters = {
    departement: search.get("departement") ?? principal?.territories.departements[0] ?? "",
    epci: search.get("epci") ?? "",
    du: search.get("du") ?? `${today.slice(0, 4)}-01-01`,
    au: search.get("au") ?? today,
  };
  const page = Number(search.get("page") ?? "1") || 1;
  const [draft, setDraft] = useState({ ...filters, du: frDate(filters.du), au: frDate(filters.au) });
  const input = {
    ...(filters.departement ? { departement: filters.departement } : {}),
    ...(filters.epci ? { epci: filters.epci } : {}),
    du: filters.du,
    au: filters.au,
  };
  const demand = useQuery({
    queryKey: ["stats-demandes", input],
    queryFn: () => query(reporting.demandStatistics)(input),
    placeholderData: keepPreviousData,
  });
  const attributions = useQuery({
    queryKey: ["stats-attributions", input],
    queryFn: () => query(reporting.attributionStatistics)(input),
    placeholderData: keepPreviousData,
  });
  const params = new URLSearchParams(input as Record<string, string>).toString();
  const csv = useMutation({
    mutationFn: (what: "demandes" | "attributions") =>
      download("reporting", `/v1/statistiques/${what}/csv?${params}`, `${what}.csv`),
  });
  const hrefOf = (f: typeof filters, p = 1) => {
    const q = new URLSearchParams();
    for (const [k, v] of Object.entries(f)) if (v) q.set(k, v);
    if (p > 1) q.set("page", String(p));
    return `/statistiques?${q}`;
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    navigate(hrefOf({ ...draft, du: isoFromFr(draft.du), au: isoFromFr(draft.au) }));
  };

  return (
    <Page
      title="Statistiques"
      lead="La demande et les attributions de votre territoire sur une période, en tableaux, graphiques et fichiers CSV."
    >
      <form onSubmit={submit} aria-label="Périmètre et période" className={fr.cx("fr-mb-4w")}>
        <div className={fr.cx("fr-grid-row", "fr-grid-row--gutters")}>
          <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
            <Select
              label="Département"
              nativeSelectProps={{
                value: draft.departement,
                onChange: (e) => setDraft({ ...draft, departement: e.target.value }),
              }}
            >
              {(principal?.territories.departements ?? []).map((d) => (
                <option key={d} value={d}>
                  {d}
                </option>
              ))}
            </Select>
          </div>
          {principal && principal.territories.epcis.length > 0 ? (
            <div className={fr.cx("fr-col-12", "fr-col-md-3")}>
              <Select
                label="EPCI"
                hint="facultatif"
                nativeSelectProps={{ value: draft.epci, onChange: (e) => setDraft({ ...draft, epci: e.target.value }) }}
              >
                <option value="">Tout le département</option>
                {principal.territories.epcis.map((s) => (
                  <option key={s} value={s}>
                    {s}
                  </option>
                ))}
              </Select>
            </div>
          ) : null}
          <div className={fr.cx("fr-col-6", "fr-col-md-3")}>
            <Input
              label="Du"
              hintText="jj/mm/aaaa"
              nativeInputProps={{ value: draft.du, onChange: (e) => setDraft({ ...draft, du: e.target.value }) }}
            />
          </div>
          <div className={fr.cx("fr-col-6", "fr-col-md-3")}>
            <Input
              label="Au"
              hintText="jj/mm/aaaa"
              nativeInputProps={{ value: draft.au, onChange: (e) => setDraft({ ...draft, au: e.target.value }) }}
            />
          </div>
        </div>
        <Button type="submit" iconId="fr-icon-filter-line">
          Afficher
        </Button>
      </form>
      {csv.data ? (
        <Alert
          severity="success"
          small
          className={fr.cx("fr-mb-3w")}
          description={`Fichier ${csv.data.name} téléchargé (${frNumber(csv.data.size)} octets).`}
        />
      ) : null}
      {csv.error ? <ErrorAlert error={csv.error} title="Le fichier n'a pas pu être téléchargé" /> : null}

      <section aria-labelledby="demande" className={fr.cx("fr-mb-6w")}>
        <h2 id="demande" className={fr.cx("fr-h4")}>
          La demande
        </h2>
        {demand.isPending ? <Loading what="des statistiques de la demande" /> : null}
        {demand.error ? (
          <ErrorAlert
            error={demand.error}
            retry={() => demand.refetch()}
            title="Les statistiques de la demande n'ont pas pu être lues"
          />
        ) : null}
        {demand.data ? (
          <DemandPart
            s={demand.data}
            page={page}
            axis={search.get("vd") ?? "parCommune"}
            hrefOf={(p, axis) => withParams(hrefOf(filters, p), { vd: axis ?? search.get("vd") })}
          />
        ) : null}
        <Button
          priority="secondary"
          iconId="fr-icon-download-line"
          onClick={() => csv.mutate("demandes")}
          disabled={csv.isPending}
        >
          Télécharger la demande (CSV pour tableur)
        </Button>
      </section>

      <section aria-labelledby="objectifs" className={fr.cx("fr-mb-6w")}>
        <h2 id="objectifs" className={fr.cx("fr-h4")}>
          Objectifs légaux {filters.au.slice(0, 4)}
        </h2>
        <p className={fr.cx("fr-text--sm")}>
          Depuis le 1er janvier : attributions hors QPV aux ménages du premier quartile, en QPV aux autres quartiles, et
          aux ménages DALO et prioritaires par réservataire ; le trait marque l'objectif.
        </p>
        <Quotas departement={filters.departement} epci={filters.epci} annee={Number(filters.au.slice(0, 4))} />
      </section>

      <section aria-labelledby="attributions">
        <h2 id="attributions" className={fr.cx("fr-h4")}>
          Les attributions
        </h2>
        {attributions.isPending ? <Loading what="des statistiques des attributions" /> : null}
        {attributions.error ? (
          <ErrorAlert
            error={attributions.error}
            retry={() => attributions.refetch()}
            title="Les statistiques des attributions n'ont pas pu être lues"
          />
        ) : null}
        {attributions.data ? (
          <AttributionsPart
            a={attributions.data}
            page={Number(search.get("pa") ?? "1") || 1}
            axis={search.get("va") ?? "parReservataire"}
            hrefOf={(p, axis) =>
              withParams(hrefOf(filters, page), {
                vd: search.get("vd"),
                va: axis ?? search.get("va"),
                pa: p > 1 ? String(p) : null,
              })
            }
          />
        ) : null}
        <Button
          priority="secondary"
          iconId="fr-icon-download-line"
          onClick={() => csv.mutate("attributions")}
          disabled={csv.isPending}
        >
          Télécharger les attributions (CSV pour tableur)
        </Button>
      </section>
    </Page>
  );
}

/** The address with these parameters set (or removed when null). */
function withParams(href: string, params: Record<string, string | null | undefined>) {
  const url = new URL(href, window.location.origin);
  for (const [k, v] of Object.entries(params)) {
    if (v) url.searchParams.set(k, v);
    else url.searchParams.delete(k);
  }
  return `${url.pathname}?${url.searchParams}`;
}

const demandAxes = {
  parCommune: ["commune", "Commune"],
  parEpci: ["EPCI", "EPCI"],
  parDepartement: ["département", "Département"],
  parTypologie: ["typologie souhaitée", "Typologie"],
  parDecile: ["décile de ressources", "Décile de ressources"],
} as const;
const attributionAxes = {
  parReservataire: ["réservataire", "Réservataire"],
  parContingent: ["contingent", "Contingent"],
  parBailleur: ["bailleur", "Bailleur"],
  parCommune: ["commune", "Commune"],
  parTypologie: ["typologie", "Typologie"],
} as const;

/** A choice of breakdown that changes the address (the page goes back to the first). */
function AxisSelect<K extends string>({
  label,
  axes,
  value,
  hrefOf,
}: {
  label: string;
  axes: Record<K, readonly [string, string]>;
  value: K;
  hrefOf: (axis: K) => string;
}) {
  return (
    <Select
      label={label}
      className={fr.cx("fr-mb-2w")}
      nativeSelectProps={{ value, onChange: (e) => navigate(hrefOf(e.target.value as K)) }}
    >
      {(Object.entries(axes) as [K, readonly [string, string]][]).map(([k, [name]]) => (
        <option key={k} value={k}>
          par {name}
        </option>
      ))}
    </Select>
  );
}

type DemandStats = Awaited<ReturnType<typeof reporting.demandStatistics.query>>;
type AttributionStats = Awaited<ReturnType<typeof reporting.attributionStatistics.query>>;

function DemandPart({
  s,
  page,
  axis: wanted,
  hrefOf,
}: {
  s: DemandStats;
  page: number;
  axis: string;
  hrefOf: (p: number, axis?: string) => string;
}) {
  const axis = (wanted in demandAxes ? wanted : "parCommune") as keyof typeof demandAxes;
  const [axisName, axisHeader] = demandAxes[axis];
  const e = s.ensemble;
  const categories = useMemo(() => s.parTypologie.map((t) => t.libelle), [s]);
  const series = useMemo(
    () => [
      { name: "Demandes actives", values: s.parTypologie.map((t) => t.actives), color: "#000091" },
      { name: "Nouvelles demandes", values: s.parTypologie.map((t) => t.nouvelles), color: "#6a6af4" },
      { name: "Attributions", values: s.parTypologie.map((t) => t.attributions.total), color: "#18753c" },
    ],
    [s],
  );
  const rows = s[axis];
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  return (
    <>
      <p className={fr.cx("fr-text--sm")}>
        Du {frDate(s.periode.du)} au {frDate(s.periode.au)}
        {s.filtres.departement ? `, département ${s.filtres.departement}` : ""}
        {s.filtres.epci ? `, EPCI ${s.filtres.epci}` : ""}.
      </p>
      <Facts
        items={[
          ["Demandes actives", frNumber(e.actives)],
          ["dont demandes de mutation", frNumber(e.mutation)],
          ["Nouvelles demandes", frNumber(e.nouvelles)],
          ["Radiations", frNumber(e.radiations)],
          ["Ménages prioritaires", `${frNumber(e.prioritaires)} (${orDash(e.partPrioritaires, pct)})`],
          [
            "Attente médiane des demandes actives",
            e.attente.medianeMois === undefined ? "—" : `${frDecimal(e.attente.medianeMois)} mois`,
          ],
          ["Tension (demandes par attribution)", orDash(e.tension, frDecimal)],
          ["Attributions", frNumber(e.attributions.total)],
        ]}
      />
      {e.actives === 0 && e.nouvelles === 0 ? (
        <Empty title="Aucune demande sur ce périmètre et cette période">
          Élargissez la période ou le territoire ; les demandes enregistrées apparaissent ici en quelques secondes.
        </Empty>
      ) : (
        <>
          <BarChart
            categories={categories}
            series={series}
            description={`Demandes par typologie souhaitée : ${s.parTypologie
              .map((t) => `${t.libelle} ${frNumber(t.actives)} actives, ${frNumber(t.nouvelles)} nouvelles`)
              .join(" ; ")}.`}
            yName="Demandes"
            testId="chart-demandes-typologie"
          />
          <AxisSelect label="Ventiler la demande" axes={demandAxes} value={axis} hrefOf={(a) => hrefOf(1, a)} />
          <Table
            caption={`La demande par ${axisName}`}
            fixed={false}
            headers={[axisHeader, "Actives", "Mutations", "Nouvelles", "Radiations", "Attributions", "Tension"]}
            data={shown.map((c) => [
              c.libelle,
              frNumber(c.actives),
              frNumber(c.mutation),
              frNumber(c.nouvelles),
              frNumber(c.radiations),
              frNumber(c.attributions.total),
              orDash(c.tension, frDecimal),
            ])}
          />
          {pages > 1 ? (
            <Pagination count={pages} defaultPage={page} getPageLinkProps={(p) => ({ href: hrefOf(p) })} />
          ) : null}
        </>
      )}
    </>
  );
}

function AttributionsPart({
  a,
  page,
  axis: wanted,
  hrefOf,
}: {
  a: AttributionStats;
  page: number;
  axis: string;
  hrefOf: (p: number, axis?: string) => string;
}) {
  const axis = (wanted in attributionAxes ? wanted : "parReservataire") as keyof typeof attributionAxes;
  const [axisName, axisHeader] = attributionAxes[axis];
  const rows = a[axis];
  const pages = Math.max(1, Math.ceil(rows.length / PAGE_SIZE));
  const shown = rows.slice((page - 1) * PAGE_SIZE, page * PAGE_SIZE);
  const e = a.ensemble;
  const categories = useMemo(() => a.parContingent.map((c) => c.libelle), [a]);
  const series = useMemo(
    () => [
      { name: "Attributions", values: a.parContingent.map((c) => c.attributions), color: "#000091" },
      { name: "dont ménages prioritaires", values: a.parContingent.map((c) => c.prioritaires), color: "#18753c" },
    ],
    [a],
  );
  return (
    <>
      <Facts
        items={[
          ["Attributions (baux signés)", frNumber(e.attributions)],
          ["Ménages DALO", frNumber(e.dalo)],
          ["Ménages prioritaires", `${frNumber(e.prioritaires)} (${orDash(e.partPrioritaires, pct)})`],
          ["Premier quartile hors QPV", `${frNumber(e.premierQuartileHorsQpv)} sur ${frNumber(e.horsQpv)}`],
          ["En QPV", frNumber(e.enQpv)],
          ["Logement d'abord", frNumber(e.logementDAbord)],
          [
            "Offres",
            `${frNumber(a.offres.faites)} faites, ${frNumber(a.offres.acceptees)} acceptées, ${frNumber(a.offres.refusees)} refusées, ${frNumber(a.offres.echues)} échues`,
          ],
        ]}
      />
      {e.attributions === 0 ? (
        <Empty title="Aucune attribution sur ce périmètre et cette période">
          Une attribution compte ici quand son bail est signé (après la décision de la commission et l'acceptation de
          l'offre).
        </Empty>
      ) : (
        <>
          <BarChart
            categories={categories}
            series={series}
            description={`Attributions par contingent : ${a.parContingent
              .map((c) => `${c.libelle} ${frNumber(c.attributions)}`)
              .join(" ; ")}.`}
            yName="Attributions"
            testId="chart-attributions-contingent"
          />
          <AxisSelect
            label="Ventiler les attributions"
            axes={attributionAxes}
            value={axis}
            hrefOf={(x) => hrefOf(1, x)}
          />
          <Table
            caption={`Attributions par ${axisName}`}
            fixed={false}
            headers={[
              axisHeader,
              "Attributions",
              "DALO",
              "Prioritaires",
              "Part prioritaires",
              "1er quartile hors QPV",
              "En QPV",
            ]}
            data={shown.map((r) => [
              // Reporting labels landlords and reservers by their id: the console's directory names them.
              axis === "parBailleur" || axis === "parReservataire" ? organisationName(r.cle) : r.libelle,
              frNumber(r.attributions),
              frNumber(r.dalo),
              frNumber(r.prioritaires),
              orDash(r.partPrioritaires, pct),
              frNumber(r.premierQuartileHorsQpv),
              frNumber(r.enQpv),
            ])}
          />
          {pages > 1 ? (
            <Pagination count={pages} defaultPage={page} getPageLinkProps={(p) => ({ href: hrefOf(p) })} />
          ) : null}
        </>
      )}
    </>
  );
}
